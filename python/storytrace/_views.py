"""What a :class:`~storytrace.Trace` shows in Jupyter: its summary, one document, the outlets."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Protocol

import numpy as np
import pandas as pd

from ._display import HTML, UNDECIDED, Span, badges, bar, box, colours, esc, legend, marked_text, table

if TYPE_CHECKING:
    from ._corpus import DocId


class TraceAPI(Protocol):
    """What the views and plots read of a :class:`~storytrace.Trace`: its public API only."""

    agencies: frozenset[str]

    @property
    def documents(self) -> pd.DataFrame: ...
    @property
    def sources(self) -> pd.DataFrame: ...
    @property
    def passages(self) -> pd.DataFrame: ...
    @property
    def stories(self) -> pd.DataFrame: ...
    @property
    def day_only(self) -> pd.Series: ...
    def document(self, doc_id: DocId) -> pd.Series: ...
    def text(self, doc_id: DocId) -> str: ...
    def passages_of(self, doc_id: DocId, side: str = ...) -> pd.DataFrame: ...
    def sources_of(self, doc_id: DocId, side: str = ...) -> pd.DataFrame: ...
    def outlet_summary(self) -> pd.DataFrame: ...


# Derivation colours (also the plots'): wholly derived, partially derived, none.
DERIVATION_COLOURS = {"wholly": "#d95f02", "partially": "#7570b3", "none": "#1b9e77"}
UNDECIDED_KEY = "direction undecided"


def outlet_summary(result: TraceAPI) -> pd.DataFrame:
    """Per outlet: its documents and tokens, the shares of its text that are original, copied
    from an agency or copied from another outlet, and how often others copied it."""
    docs = result.documents
    effective = (docs["tokens"] - docs["boilerplate_tokens"]).clip(lower=0).astype(float)
    reused = effective * docs["reuse_share"]
    agencies = result.agencies
    from_agency = docs["origin_outlet"].map(lambda o: o in agencies)
    own = docs["origin_outlet"].eq(docs["outlet"]) & docs["origin_outlet"].notna()
    outlet = docs["outlet"].fillna("(unknown outlet)")
    frame = pd.DataFrame(
        {
            "outlet": outlet,
            "tokens": effective,
            "reused": reused,
            "agency": reused.where(from_agency, 0.0),
            "own": reused.where(own & ~from_agency, 0.0),
        }
    )
    # A document "originated" text when it is the origin of a passage of another outlet's
    # document; those documents "copied" its outlet.
    p = result.passages
    outlet_of = dict(zip(docs["id"], outlet))
    origin = p["origin_id"].map(outlet_of)
    target = p["target_id"].map(outlet_of)
    across = p[origin.notna() & (origin != target)]
    originators = across.drop_duplicates("origin_id")["origin_id"].map(outlet_of).value_counts()
    copiers = across.drop_duplicates(["origin_id", "target_id"])
    copiers = copiers.assign(outlet=copiers["origin_id"].map(outlet_of)).drop_duplicates(
        ["outlet", "target_id"]
    )
    copied = copiers["outlet"].value_counts()
    g = frame.groupby("outlet", sort=False)
    out = pd.DataFrame(
        {
            "documents": g.size(),
            "tokens": g["tokens"].sum(),
            "reused_tokens": g["reused"].sum(),
            "agency_tokens": g["agency"].sum(),
            "own_tokens": g["own"].sum(),
        }
    )
    total = out["tokens"].where(out["tokens"] > 0, 1.0)
    summary = pd.DataFrame(
        {
            "outlet": out.index.astype(object),
            "is_agency": [o in agencies for o in out.index],
            "documents": out["documents"].to_numpy(np.int64),
            "tokens": out["tokens"].to_numpy(np.int64),
            "original_share": 1.0 - (out["reused_tokens"] / total).to_numpy(),
            "derived_share": (out["reused_tokens"] / total).to_numpy(),
            "agency_share": (out["agency_tokens"] / total).to_numpy(),
            "outlet_copy_share": ((out["reused_tokens"] - out["agency_tokens"] - out["own_tokens"]) / total)
            .clip(lower=0)
            .to_numpy(),
            "own_copy_share": (out["own_tokens"] / total).to_numpy(),
            "originated": originators.reindex(out.index, fill_value=0).to_numpy(np.int64),
            "copied_by": copied.reindex(out.index, fill_value=0).to_numpy(np.int64),
        }
    )
    return summary.sort_values(
        ["originated", "copied_by", "documents", "outlet"], ascending=[False, False, False, True]
    ).reset_index(drop=True)


def trace_html(result: TraceAPI, top: int = 8) -> str:
    """The summary a trace shows in Jupyter."""
    docs = result.documents
    n = len(docs)
    counts = docs["derivation"].value_counts()
    parts = [
        (counts.get(k, 0) / max(n, 1), DERIVATION_COLOURS[k], k) for k in ("wholly", "partially", "none")
    ]
    labels = {"wholly": "wholly derived", "partially": "partially derived", "none": "original / no reuse"}
    key = "".join(
        f'<span style="margin-right:12px"><span style="display:inline-block;width:10px;height:10px;'
        f'background:{DERIVATION_COLOURS[k]};margin-right:4px"></span>{labels[k]}: {counts.get(k, 0):,}'
        f" ({counts.get(k, 0) / max(n, 1):.0%})</span>"
        for k in ("wholly", "partially", "none")
    )
    head = (
        f'<div style="font-weight:600;font-size:15px">storytrace · {n:,} documents · '
        f"{len(result.stories):,} stories · {len(result.sources):,} links · {len(result.passages):,} passages</div>"
    )
    outlets = outlet_summary(result)
    originating = outlets[outlets["originated"] > 0].head(top)
    rows = [
        (
            HTML(esc(r.outlet) + (' <span style="color:#888">(agency)</span>' if r.is_agency else "")),
            f"{r.originated:,}",
            f"{r.copied_by:,}",
            f"{r.documents:,}",
            f"{r.derived_share:.0%}",
        )
        for r in originating.itertuples(index=False)
    ]
    reused = (docs["reuse_share"] * (docs["tokens"] - docs["boilerplate_tokens"]).clip(lower=0)).sum()
    agency = float((outlets["agency_share"] * outlets["tokens"]).sum())
    agency_line = (
        f"<div>Reused text copied from agencies: {agency / reused:.0%} of {int(reused):,} reused tokens.</div>"
        if reused > 0
        else ""
    )
    body = [head, bar(parts), f"<div>{key}</div>", agency_line]
    if rows:
        body.append('<div style="margin-top:8px;font-weight:600">Top originating outlets</div>')
        body.append(
            table(
                ("outlet", "documents others copied", "copies of them", "documents", "its text derived"),
                rows,
            )
        )
    body.append(
        '<div style="color:#666;font-size:12px">result.documents · .sources · .passages · .stories; '
        "result.show(id) for one document; result.plot.timeline(story_id), .outlets(), .graph(story_id)</div>"
    )
    return box("".join(body))


def document_html(result: TraceAPI, doc_id: DocId) -> str:
    """One document, each passage found earlier highlighted in its origin outlet's colour."""
    d = result.document(doc_id)
    doc_id = d["id"]  # the stored id (True finds 1: the header names 1)
    mine = result.passages_of(doc_id, "target")
    # A link with no direction (siblings reprinting one agency copy, or nothing decided) is
    # shared text on either side: its passages are shown on its source side too.
    mirrored = result.passages_of(doc_id, "source")
    mirrored = mirrored[mirrored["direction_evidence"].isin(["sibling", "undirected"])]
    found = []
    for r in mine.itertuples(index=False):
        found.append((r, int(r.target_start), int(r.target_end), int(r.tokens), r.source_id, "from"))
    for r in mirrored.itertuples(index=False):
        found.append(
            (r, int(r.source_start), int(r.source_end), int(r.source_tokens), r.target_id, "shared with")
        )
    # Where passages overlap, the one the document copied from (direct), then the longest, is shown.
    found.sort(key=lambda f: (not f[0].direct, -(f[2] - f[1]), f[1]))
    spans: list[Span] = []
    passages_of: dict[str, int] = {}
    sources_of: dict[str, set[object]] = {}
    holders: list[tuple[int, int, str]] = []  # (start, end, "id (outlet)") of every passage
    for r, start, end, tokens, other, how in found:
        # The key is the legend's label: an outlet's name never takes another's place.
        if r.direction_evidence == "undirected":
            key = UNDECIDED_KEY
        elif r.origin_outlet is not None:
            key = f"origin: {r.origin_outlet}"
        elif r.origin_id is not None:
            key = f"origin: document {r.origin_id}, outlet unknown"
        else:
            key = "origin unknown"
        origin = r.origin_outlet or "unknown outlet"
        if r.origin_id is not None:
            origin = f"{r.origin_id} ({origin})"
        kind = "verbatim" if r.kind == "verbatim" else f"rewritten, similarity {r.similarity:.2f}"
        other_outlet = result.document(other)["outlet"] or "unknown outlet"
        holders.append((start, end, f"{other} ({other_outlet})"))
        spans.append(
            Span(
                start,
                end,
                key,
                f"{how} {other} ({other_outlet}); origin {origin}; {tokens} tokens, {kind}; "
                f"direction: {r.direction_evidence}",
                dashed=r.kind == "rewrite",
            )
        )
        passages_of[key] = passages_of.get(key, 0) + 1
        sources_of.setdefault(key, set()).add(other)
    # A passage hidden under another is named in the tooltip of the one shown.
    for k, span in enumerate(spans):
        also = [h for j, h in enumerate(holders) if j != k and h[0] < span.end and span.start < h[1]]
        if also:
            names = ", ".join(dict.fromkeys(h[2] for h in also if h[2] != holders[k][2]))
            if names:
                spans[k] = dataclasses.replace(span, title=f"{span.title}; this text is also in {names}")
    colour = colours([s.key for s in spans if s.key != UNDECIDED_KEY], {UNDECIDED_KEY: UNDECIDED})
    entries = [
        (
            colour[k],
            esc(k)
            + f" · {passages_of[k]} passage{'s' * (passages_of[k] != 1)}"
            + f" from {len(sources_of[k])} document{'s' * (len(sources_of[k]) != 1)}",
        )
        for k in dict.fromkeys(s.key for s in spans)
    ]
    published = ""
    if not pd.isna(d["published"]):
        when = pd.Timestamp(d["published"])
        day_only = result.day_only.iloc[d.name]
        published = f" · {when:%Y-%m-%d} (date only)" if day_only else f" · {when.isoformat()}"
    copied_by = int(result.sources_of(doc_id, "source")["direct"].sum())
    head = (
        f'<div style="font-weight:600">{esc(doc_id)} · {esc(d["outlet"] or "unknown outlet")}{esc(published)}</div>'
        f"<div>{esc(d['derivation'])} derived ({d['reuse_share']:.0%} of {int(d['tokens']):,} tokens found earlier)"
        f" · origin: {esc(d['origin_outlet'] or '—')}"
        + (f" · copied by {copied_by} later document{'s' * (copied_by != 1)}" if copied_by else "")
        + (f" · credits:{badges(list(d['credits']), 'credited in the text')}" if d["credits"] else "")
        + "</div>"
    )
    return box(head + legend(entries) + marked_text(result.text(doc_id), spans, colour))
