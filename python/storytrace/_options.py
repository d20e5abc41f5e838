"""Validation of the keyword options shared by ``trace``, ``compare`` and ``Index``."""

from __future__ import annotations

import difflib
import numbers
from collections.abc import Iterable, Mapping
from typing import Any

from . import _core

#: Default value of every option, with the type it must have.
DEFAULTS: dict[str, Any] = {
    "ngram": 5,
    "min_tokens": 15,
    "max_gap": 24,
    "fanout": 16,
    "min_shared": 3,
    "boilerplate_min_docs": 3,
    "boilerplate_min_share": 0.05,
    "wholly": 0.7,
    "containment_margin": 0.1,
    "rewrites": True,
    "rewrite_similarity": 0.6,
    "threads": 0,
}

_INT_OPTIONS = {"ngram", "min_tokens", "max_gap", "fanout", "min_shared", "boilerplate_min_docs", "threads"}
_BOOL_OPTIONS = {"rewrites"}
_MINIMUM = {
    "ngram": 1,
    "min_tokens": 1,
    "max_gap": 0,
    "fanout": 1,
    "min_shared": 1,
    "boilerplate_min_docs": 0,
    "threads": 0,
}


def check_options(options: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    """Return the options for the core, with defaults filled in, or raise a helpful error."""
    allowed = list(allowed)
    out = {name: DEFAULTS[name] for name in allowed}
    for name, value in options.items():
        if name not in out:
            close = difflib.get_close_matches(name, allowed, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"unknown option {name!r}.{hint} Known options: {', '.join(sorted(allowed))}.")
        if name in _BOOL_OPTIONS:
            if not isinstance(value, (bool, numbers.Integral)) or value not in (0, 1):
                raise TypeError(f"{name} must be True or False, not {value!r}")
            value = bool(value)
        elif name in _INT_OPTIONS:
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise TypeError(f"{name} must be an int, not {type(value).__name__}")
            value = int(value)
            if value < _MINIMUM[name]:
                raise ValueError(f"{name} must be at least {_MINIMUM[name]}, got {value}")
        else:
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise TypeError(f"{name} must be a number, not {type(value).__name__}")
            value = float(value)
            if not 0.0 <= value <= 1.0 or (name in ("wholly", "rewrite_similarity") and value == 0.0):
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        out[name] = value
    if "min_tokens" in out and out["min_tokens"] < out["ngram"]:
        if "min_tokens" in options:
            raise ValueError(
                f"min_tokens ({out['min_tokens']}) must be at least ngram ({out['ngram']}): "
                "a passage is at least one shingle long"
            )
        out["min_tokens"] = out["ngram"]
    if out.get("ngram", 1) > 64:
        raise ValueError(f"ngram must be at most 64, got {out['ngram']}")
    return out


def default_credits() -> dict[str, str]:
    """The built-in credit aliases: alias as written in a text -> canonical agency name."""
    return dict(_core.default_aliases())


def credit_table(credits: Mapping[str, str] | None) -> list[tuple[str, str]]:
    """The default aliases extended (or overridden) by the user's ``credits`` mapping."""
    entries = list(_core.default_aliases())
    if credits is None:
        return entries
    if not isinstance(credits, Mapping):
        raise TypeError(
            "credits must be a mapping of alias to agency name, such as {'(SNA)': 'Sputnik'}, "
            f"not {type(credits).__name__}"
        )
    for alias, canonical in credits.items():
        if not isinstance(alias, str) or not isinstance(canonical, str):
            raise TypeError("credits must map str aliases to str agency names")
        alias = alias.strip()
        if alias.startswith("(") and alias.endswith(")"):
            alias = alias[1:-1].strip()
        if not alias or not canonical.strip():
            raise ValueError("a credit alias and its agency name must not be empty")
        entries.append((alias, canonical.strip()))
    return entries
