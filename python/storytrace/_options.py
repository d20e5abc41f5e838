"""Validation of the keyword options shared by ``trace``, ``compare`` and ``Index``."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from . import _core
from ._corpus import check_unicode

F = TypeVar("F", bound=Callable[..., Any])

#: Every option as the core defines it (cpp/include/storytrace/options.hpp): name, type,
#: default, minimum, maximum, used_by, help (one line) and doc (a paragraph).
SPECS: dict[str, dict[str, Any]] = {spec["name"]: spec for spec in _core.OPTIONS}
#: Default value of every option.
DEFAULTS: dict[str, Any] = {name: spec["default"] for name, spec in SPECS.items()}
#: The options each entry point takes: "trace", "compare", "index".
USED_BY: dict[str, tuple[str, ...]] = {
    use: tuple(name for name, spec in SPECS.items() if use in spec["used_by"])
    for use in ("trace", "compare", "index")
}


def _check_names(names: Iterable[str], allowed: Sequence[str]) -> None:
    for name in names:
        if name not in allowed:
            close = difflib.get_close_matches(name, allowed, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"unknown option {name!r}.{hint} Known options: {', '.join(sorted(allowed))}.")


class Options(_core.TraceOptions):
    """The options of :func:`trace`, :func:`compare` and :class:`Index`, checked once by the core.

    Each is a keyword (see :func:`trace` for what they mean); those not given keep their
    defaults. The values are read-only attributes.

    Examples
    --------
    >>> import storytrace as st
    >>> opts = st.Options(ngram=8)
    >>> opts.ngram, opts.min_tokens, opts.rewrites
    (8, 15, True)
    >>> st.Options(ngram=20).min_tokens  # a passage is at least one shingle long
    20
    """

    def __init__(self, **options: Any) -> None:
        _check_names(options, list(SPECS))
        super().__init__(**options)

    def as_dict(self, names: Iterable[str] | None = None) -> dict[str, Any]:
        """The options (those named, or all) as a dict."""
        values = super().as_dict()
        return values if names is None else {name: values[name] for name in names}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _core.TraceOptions) and self.as_dict() == other.as_dict()

    def __hash__(self) -> int:
        return hash(tuple(self.as_dict().items()))

    def __repr__(self) -> str:
        changed = {k: v for k, v in self.as_dict().items() if v != DEFAULTS[k]}
        return "Options(" + ", ".join(f"{k}={v!r}" for k, v in changed.items()) + ")"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.as_dict()))


def _rebuild(cls: type[Options], values: dict[str, Any]) -> Options:
    return cls(**values)


def check_options(options: Mapping[str, Any], use: str) -> Options:
    """The options for the core, for entry point ``use`` ("trace", "compare" or "index"), or a
    helpful error: ValueError for an unknown option or a value out of range, TypeError for a
    value of the wrong type."""
    _check_names(options, USED_BY[use])
    return Options(**options)


def options_doc(use: str) -> str:
    """The numpydoc entries of the options ``use`` takes, for a docstring's Parameters."""
    lines = []
    for name in USED_BY[use]:
        spec = SPECS[name]
        lines.append(f"{name} : {spec['type']}, default {spec['default']!r}")
        lines.extend("    " + line for line in spec["doc"].split("\n"))
    return "\n".join(lines)


def with_options_doc(use: str) -> Callable[[F], F]:
    """Writes the options' entries into the ``{options}`` place of a function's docstring."""

    def decorate(fn: F) -> F:
        if fn.__doc__:
            indent = " " * 4
            entries = options_doc(use).replace("\n", "\n" + indent)
            fn.__doc__ = fn.__doc__.replace("{options}", entries)
        return fn

    return decorate


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
        check_unicode(alias, f"the credit alias {alias!r}")
        check_unicode(canonical, f"the agency name of credit alias {alias!r}")
        alias = alias.strip()
        if alias.startswith("(") and alias.endswith(")"):
            alias = alias[1:-1].strip()
        if not alias or not canonical.strip():
            raise ValueError("a credit alias and its agency name must not be empty")
        entries.append((alias, canonical.strip()))
    return entries
