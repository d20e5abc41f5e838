"""``compare``: two texts side by side."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from . import _core
from ._corpus import check_text
from ._display import HTML, side_by_side_html
from ._options import check_options, with_options_doc


@dataclass(frozen=True)
class Comparison:
    """What two texts share.

    Attributes
    ----------
    a_in_b, b_in_a : float
        Share of the tokens of ``a`` (of ``b``) inside passages found in the other text, copied or
        rewritten.
    jaccard : float
        Jaccard similarity of the two sets of shingles.
    passages : DataFrame
        ``a_start, a_end, b_start, b_end`` (code points: ``a[a_start:a_end]`` is the passage),
        ``tokens`` (in ``a``), ``b_tokens``, ``matched_tokens``, ``kind`` (``verbatim``, or
        ``rewrite`` for a stretch of ``b`` restating a stretch of ``a`` in other words, copied
        sentences inside it included) and ``similarity`` (1 for verbatim passages; for a
        rewrite, the tf-isf cosine of its two sides).
    """

    a: str = field(repr=False)
    b: str = field(repr=False)
    a_tokens: int
    b_tokens: int
    a_in_b: float
    b_in_a: float
    jaccard: float
    passages: pd.DataFrame = field(repr=False)

    def show(self) -> HTML:
        """Both texts side by side, each shared passage in its own colour and number on both
        sides; clicking a passage jumps to its copy in the other text, a dashed underline marks a
        rewritten passage."""
        p = self.passages
        return HTML(
            side_by_side_html(
                self.a,
                self.b,
                list(zip(p["a_start"], p["a_end"])),
                list(zip(p["b_start"], p["b_end"])),
                [str(k) for k in p["kind"]],
                f"{len(p)} shared passage{'s' * (len(p) != 1)} · {self.a_in_b:.0%} of A in B · "
                f"{self.b_in_a:.0%} of B in A",
            )
        )

    def _repr_html_(self) -> str:
        return self.show().markup


@with_options_doc("compare")
def compare(a: str, b: str, **options: Any) -> Comparison:
    """Compare two texts: the passages they share and how much of each the other holds.

    Parameters
    ----------
    a, b : str
        The texts.
    {options}

    Examples
    --------
    >>> import storytrace as st
    >>> body = ("Israel has carried out a strike inside of Iran, multiple American media outlets "
    ...         "reported Thursday citing anonymous US officials")
    >>> cmp = st.compare(body + ", in a move that threatens the region.", "WASHINGTON (AA) - " + body + ".")
    >>> round(cmp.a_in_b, 2), round(cmp.b_in_a, 2), len(cmp.passages)
    (0.73, 0.9, 1)
    """
    a = check_text(a, "text a")
    b = check_text(b, "text b")
    opts = check_options(options, "compare")
    raw = _core.compare(a, b, opts)
    passages = pd.DataFrame(
        {
            "a_start": raw["a_start"],
            "a_end": raw["a_end"],
            "b_start": raw["b_start"],
            "b_end": raw["b_end"],
            "tokens": raw["tokens"].astype("int64"),
            "b_tokens": raw["b_tokens_per_passage"].astype("int64"),
            "matched_tokens": raw["matched_tokens"].astype("int64"),
            "kind": pd.Categorical.from_codes(raw["kind"].astype("int8"), list(_core.PASSAGE_KIND)),
            "similarity": raw["similarity"].astype("float64"),
        }
    )
    return Comparison(
        a=a,
        b=b,
        a_tokens=int(raw["a_tokens"]),
        b_tokens=int(raw["b_tokens"]),
        a_in_b=float(raw["a_in_b"]),
        b_in_a=float(raw["b_in_a"]),
        jaccard=float(raw["jaccard"]),
        passages=passages,
    )
