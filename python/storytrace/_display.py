"""HTML views for Jupyter: a document with its passages highlighted, two texts side by side."""

from __future__ import annotations

import html
from collections.abc import Sequence

# Colour-blind-friendly pastels, one per origin.
_PALETTE = ("#a6cee3", "#fdbf6f", "#b2df8a", "#fb9a99", "#cab2d6", "#ffff99", "#8dd3c7", "#fccde5")


class HTML:
    """A piece of HTML that Jupyter renders; ``str()`` gives the markup."""

    def __init__(self, markup: str) -> None:
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return f"<storytrace.HTML: {len(self.markup)} characters; display it in Jupyter>"


def highlight_html(text: str, spans: Sequence[tuple[int, int, str, str]], header: str = "") -> str:
    """``text`` with ``(start, end, colour_key, tooltip)`` spans highlighted, and a legend.

    Overlapping spans: the first one given wins for the overlap.
    """
    colours: dict[str, str] = {}
    for _, _, key, _ in spans:
        colours.setdefault(key, _PALETTE[len(colours) % len(_PALETTE)])
    owner: list[int] = [-1] * (len(text) + 1)
    for k, (start, end, _, _) in enumerate(spans):
        for i in range(max(start, 0), min(end, len(text))):
            if owner[i] < 0:
                owner[i] = k
    parts = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and owner[j] == owner[i]:
            j += 1
        chunk = html.escape(text[i:j])
        if owner[i] >= 0:
            _, _, key, tip = spans[owner[i]]
            chunk = f'<mark style="background:{colours[key]}" title="{html.escape(tip, quote=True)}">{chunk}</mark>'
        parts.append(chunk)
        i = j
    legend = " ".join(
        f'<span style="background:{c};padding:0 4px">origin: {html.escape(k)}</span>'
        for k, c in colours.items()
    )
    head = f"<div><b>{html.escape(header)}</b></div>" if header else ""
    return (
        '<div class="storytrace" style="font-family:sans-serif;line-height:1.5">'
        f"{head}<div>{legend}</div>"
        f'<div style="white-space:pre-wrap;border:1px solid #ddd;padding:8px">{"".join(parts)}</div></div>'
    )


def side_by_side_html(
    a: str, b: str, spans_a: Sequence[tuple[int, int]], spans_b: Sequence[tuple[int, int]], header: str
) -> str:
    """Two texts in columns, passage k highlighted in the same colour on both sides."""
    left = highlight_html(
        a, [(s, e, f"passage {k + 1}", f"passage {k + 1}") for k, (s, e) in enumerate(spans_a)]
    )
    right = highlight_html(
        b, [(s, e, f"passage {k + 1}", f"passage {k + 1}") for k, (s, e) in enumerate(spans_b)]
    )
    return (
        f'<div><b>{html.escape(header)}</b></div><div style="display:flex;gap:12px">'
        f'<div style="flex:1">{left}</div><div style="flex:1">{right}</div></div>'
    )
