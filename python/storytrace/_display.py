"""HTML views for Jupyter: a trace's summary, a document with its passages highlighted, two texts
side by side.

Every text that comes from the corpus (texts, ids, outlets, credits) goes through
:func:`html.escape`: a text holding markup or a script shows as text. The styles are inline (a
notebook viewer that strips ``<style>`` still shows the colours). Each highlighted stretch is a
``<mark>`` inside one ``<div class="st-text">`` that holds the text and nothing else but marks
(and, in a comparison, links and passage numbers marked ``class="st-n"``); its ``data-start`` and
``data-end`` are the code-point offsets of the passage it belongs to.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Colour-blind-friendly pastels (ColorBrewer Paired and Set3), one per origin; text stays readable on each.
PALETTE = ("#a6cee3", "#fdbf6f", "#b2df8a", "#fb9a99", "#cab2d6", "#ffff99", "#8dd3c7", "#fccde5")
UNDECIDED = "#d9d9d9"  # shared text whose direction nothing decided
_FONT = "font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:14px;line-height:1.55"
_counter = itertools.count(1)


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


@dataclass(frozen=True)
class Span:
    """A stretch of a text to highlight: ``text[start:end]``, in the colour of ``key``."""

    start: int
    end: int
    key: str  # the legend entry (and colour) it belongs to
    title: str  # the tooltip
    dashed: bool = False  # a rewritten passage, not verbatim text
    link: str = ""  # id of the element this stretch links to (its counterpart)
    anchor: str = ""  # this stretch's own id
    number: int = 0  # a passage number shown before the stretch (0: none)


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def new_uid() -> str:
    """A prefix for element ids, unique within the process (two views in one notebook never clash)."""
    return f"st{next(_counter)}"


def colours(keys: Iterable[str], fixed: dict[str, str] | None = None) -> dict[str, str]:
    """A colour for each key, in order of first appearance (``fixed`` ones kept)."""
    out = dict(fixed or {})
    for key in keys:
        if key not in out:
            out[key] = PALETTE[sum(c in PALETTE for c in out.values()) % len(PALETTE)]
    return out


def marked_text(text: str, spans: Sequence[Span], colour: dict[str, str]) -> str:
    """``text`` escaped, with each span in a ``<mark>``; where spans overlap, the earlier one wins."""
    cuts = sorted({0, len(text)} | {min(max(v, 0), len(text)) for s in spans for v in (s.start, s.end)})
    parts = []
    opened: set[int] = set()
    for lo, hi in zip(cuts, cuts[1:]):
        chunk = esc(text[lo:hi])
        owner = next((k for k, s in enumerate(spans) if s.start <= lo and hi <= s.end), None)
        if owner is None:
            parts.append(chunk)
            continue
        s = spans[owner]
        style = f"background:{colour[s.key]};padding:1px 0;border-radius:2px;color:inherit"
        if s.dashed:
            style += ";border-bottom:2px dashed #555"
        attrs = (
            f' data-start="{s.start}" data-end="{s.end}" data-key="{esc(s.key)}"'
            f' title="{esc(s.title)}" style="{style}"'
        )
        first = owner not in opened
        opened.add(owner)
        if first and s.anchor:
            attrs += f' id="{esc(s.anchor)}"'
        number = ""
        if first and s.number:
            number = (
                f'<sup class="st-n" style="font-size:10px;font-weight:600;color:#444;'
                f'user-select:none">{s.number}</sup>'
            )
        mark = f"<mark{attrs}>{number}{chunk}</mark>"
        if s.link:
            mark = f'<a href="#{esc(s.link)}" style="color:inherit;text-decoration:none">{mark}</a>'
        parts.append(mark)
    return (
        f'<div class="st-text" style="white-space:pre-wrap;border:1px solid #ddd;border-radius:4px;'
        f'padding:8px 10px;max-height:32em;overflow-y:auto">{"".join(parts)}</div>'
    )


def swatch(colour: str, label: str) -> str:
    return (
        f'<span style="background:{colour};padding:1px 6px;border-radius:2px;'
        f'margin-right:6px;white-space:nowrap">{label}</span>'
    )


def legend(entries: Sequence[tuple[str, str]]) -> str:
    """``entries`` are (colour, label markup)."""
    if not entries:
        return '<div style="color:#666;margin:4px 0">no passage found in another document</div>'
    return (
        '<div class="st-legend" style="margin:4px 0">'
        + "".join(swatch(c, label) for c, label in entries)
        + "</div>"
    )


def badges(values: Sequence[str], title: str) -> str:
    return "".join(
        f'<span title="{esc(title)}" style="border:1px solid #888;border-radius:8px;padding:0 6px;'
        f'margin-left:4px;font-size:12px">{esc(v)}</span>'
        for v in values
    )


def box(inner: str) -> str:
    return f'<div class="storytrace" style="{_FONT}">{inner}</div>'


def table(header: Sequence[str], rows: Iterable[Sequence[object]], align: str = "left") -> str:
    """A small table; cells are escaped unless they are already markup (``HTML``)."""
    cell = "padding:2px 10px;border-bottom:1px solid #eee"

    def fmt(v: object) -> str:
        return v.markup if isinstance(v, HTML) else esc(v)

    head = "".join(f'<th style="{cell};text-align:{align}">{esc(h)}</th>' for h in header)
    body = "".join(
        "<tr>" + "".join(f'<td style="{cell};text-align:{align}">{fmt(v)}</td>' for v in row) + "</tr>"
        for row in rows
    )
    return f'<table style="border-collapse:collapse;margin:6px 0"><tr>{head}</tr>{body}</table>'


def bar(parts: Sequence[tuple[float, str, str]], width: int = 360) -> str:
    """A horizontal bar of ``(share, colour, label)`` parts."""
    cells = "".join(
        f'<div title="{esc(label)}" style="width:{share * 100:.2f}%;background:{colour}"></div>'
        for share, colour, label in parts
        if share > 0
    )
    return (
        f'<div style="display:flex;width:{width}px;height:12px;border:1px solid #bbb;'
        f'border-radius:2px;overflow:hidden;margin:4px 0">{cells}</div>'
    )


def side_by_side_html(
    a: str,
    b: str,
    spans_a: Sequence[tuple[int, int]],
    spans_b: Sequence[tuple[int, int]],
    kinds: Sequence[str],
    header: str,
) -> str:
    """Two texts in columns, passage k in the same colour and number on both sides, each side a
    link to the other."""
    uid = new_uid()
    keys = [f"passage {k + 1}" for k in range(len(spans_a))]
    colour = colours(keys)

    def side(text: str, spans: Sequence[tuple[int, int]], me: str, other: str) -> str:
        return marked_text(
            text,
            [
                Span(
                    s,
                    e,
                    keys[k],
                    f"{keys[k]} ({kinds[k]}): click for the other text's copy",
                    dashed=kinds[k] == "rewrite",
                    link=f"{uid}-{other}{k + 1}",
                    anchor=f"{uid}-{me}{k + 1}",
                    number=k + 1,
                )
                for k, (s, e) in enumerate(spans)
            ],
            colour,
        )

    column = '<div style="flex:1;min-width:0"><div style="font-weight:600;margin-bottom:2px">{}</div>{}</div>'
    return box(
        f'<div style="font-weight:600">{esc(header)}</div>'
        '<div style="display:flex;gap:12px;margin-top:4px">'
        + column.format("A", side(a, spans_a, "a", "b"))
        + column.format("B", side(b, spans_b, "b", "a"))
        + "</div>"
    )
