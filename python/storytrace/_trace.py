"""``trace``: the whole pipeline over a corpus, and the ``Trace`` it returns."""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import pathlib
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from . import _checkpoint, _core
from ._corpus import NO_TIME, Corpus, DocId, published_series
from ._display import HTML
from ._options import USED_BY, Options, check_options, credit_table, with_options_doc
from ._plot import Plots
from ._views import document_html, outlet_summary, trace_html

ProgressArg = "bool | Callable[[str, int, int], Any] | None"


# What each stage of the core is called on a progress bar.
_STAGES = {
    "tokenize": "tokenizing",
    "boilerplate": "learning boilerplate",
    "credits": "reading credits",
    "postings": "indexing shingles",
    "candidates": "finding candidate pairs",
    "align": "aligning passages",
    "attribute": "attributing",
    "offsets": "computing offsets",
}


# An automatic bar (progress=None) appears only once a run has lasted this long (seconds).
AUTO_DELAY = 1.0


def _in_kernel() -> bool:
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    return shell is not None and hasattr(shell, "kernel")


def interactive() -> bool:
    """Whether a person may be watching the output: a Jupyter kernel, or standard error on a terminal."""
    if _in_kernel():
        return True
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stream
        return False


class _TqdmProgress:
    """One tqdm bar per stage of the pipeline: a notebook widget in Jupyter (where ipywidgets is
    there), else text on standard error."""

    def __init__(self, delay: float = 0.0) -> None:
        from tqdm import tqdm

        self._tqdm: Any = tqdm
        if _in_kernel():
            try:
                import ipywidgets  # noqa: F401
                from tqdm.notebook import tqdm as notebook_tqdm

                self._tqdm = notebook_tqdm
            except ImportError:
                pass
        self._shown_from = time.monotonic() + delay  # no bar before then
        self._bar: Any = None
        self._stage: str | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self._bar is None and time.monotonic() < self._shown_from:
            return
        if stage != self._stage:
            self.close()
            self._stage = stage
            self._bar = self._tqdm(
                total=total,
                desc=_STAGES.get(stage, stage),
                leave=False,
                file=sys.stderr,
                bar_format="{desc}: {percentage:3.0f}%|{bar}| [{elapsed}<{remaining}]",
            )
        if self._bar is not None:
            self._bar.n = done
            self._bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _progress_callback(progress: Any) -> tuple[Callable[[str, int, int], Any] | None, Callable[[], None]]:
    if progress is False:
        return None, lambda: None
    if progress is None:  # automatic: a bar for a person watching a run that lasts
        if not interactive():
            return None, lambda: None
        if _in_kernel() and importlib.util.find_spec("ipywidgets") is None:
            # In Jupyter only a widget: text on standard error would be kept in the saved
            # notebook whenever it runs unwatched (nbclient, papermill).
            return None, lambda: None
        try:
            auto = _TqdmProgress(AUTO_DELAY)
        except ImportError:
            return None, lambda: None
        return auto, auto.close
    if progress is True:
        try:
            bar = _TqdmProgress()
        except ImportError:
            raise ValueError("progress=True needs tqdm: pip install tqdm (or storytrace[progress])") from None
        return bar, bar.close
    if callable(progress):
        return progress, lambda: None
    raise TypeError(
        f"progress must be None, True, False or a callable(stage, done, total), not {type(progress).__name__}"
    )


@with_options_doc("trace")
def trace(
    corpus: Corpus,
    *,
    credits: Mapping[str, str] | None = None,
    progress: Any = None,
    checkpoint: str | os.PathLike[str] | None = None,
    **options: Any,
) -> Trace:
    """Find the passages documents share, where each came from, and how each document derives.

    Parameters
    ----------
    corpus : Corpus
        The documents. Publication times, where known, decide which text came first.
    credits : mapping, optional
        Extra credit aliases, ``{alias: agency}`` (``{"SNA": "Sputnik"}``), added to
        :func:`storytrace.default_credits`. An alias is matched as a bracketed dateline or closing
        credit, in a copyright line, or in an agency byline.
    progress : None, bool or callable, optional
        ``None`` (the default): a progress bar (tqdm) when a person is watching, in Jupyter (a
        widget, where ipywidgets is installed) or on a terminal, for a run that lasts over a
        second; nothing when the output goes to a file or a pipe. ``True``: a bar in any case; ``False``: never. A callable receives
        ``(stage, done, total)``.
    checkpoint : path, optional
        A directory for the aligned tables (each document's token counts and credits, and every
        passage as token spans), written as Parquet once the stages before attribution have run.
        A rerun on the same corpus, with the same credits and the same options up to ``align``,
        reads them back and runs attribution alone: tune ``wholly``, ``closer`` and the other
        attribution options at the cost of that stage. A directory whose tables were made for
        another corpus or other options is written over. Needs pyarrow.
    {options}

    Returns
    -------
    Trace

    Examples
    --------
    >>> import storytrace as st
    >>> result = st.trace(st.sample_corpus())
    >>> result.documents.set_index("id").loc["000_e0e12a3c6eb4817c", "derivation"]
    'wholly'
    """
    if not isinstance(corpus, Corpus):
        raise TypeError(
            f"trace() takes a storytrace.Corpus, not {type(corpus).__name__}; build one with st.Corpus()"
        )
    opts = check_options(options, "trace")
    args, day_only = stage_inputs(corpus, credit_table(credits), opts)
    callback, close = _progress_callback(progress)
    try:
        if checkpoint is None:
            raw = _core.trace(*args, callback, day_only, _core.global_ids(corpus._ids))
        else:
            directory = pathlib.Path(checkpoint)
            digest = _checkpoint.fingerprint(*args[:5], opts, day_only)
            aligned = _checkpoint.load(directory, digest, len(corpus))
            if aligned is None:
                aligned = _core.align_stage(*args, callback, day_only)
                _checkpoint.save(directory, digest, aligned)
            raw = _core.attribute_stage(*args, aligned, callback, day_only, _core.global_ids(corpus._ids))
    finally:
        close()
    return Trace(corpus, raw, opts.as_dict(USED_BY["trace"]), args[1])


#: texts, published, outlet codes, outlet names, credit aliases, options.
StageArgs = tuple[list[str], np.ndarray, np.ndarray, list[str], list[tuple[str, str]], Options]


def stage_inputs(
    corpus: Corpus, aliases: list[tuple[str, str]], opts: Options
) -> tuple[StageArgs, np.ndarray | None]:
    """The arguments the core's trace, align_stage and attribute_stage take first (texts,
    published, outlet codes, outlet names, aliases, options), and the day-only flags (None when no
    date is a day only)."""
    codes, names = pd.factorize(pd.Series(corpus._outlets, dtype=object), use_na_sentinel=True)
    published = np.asarray(corpus._published, dtype=np.int64)
    # A day without a time spans a range: the core orders and directs by its bounds.
    day = np.asarray(corpus._day_only, dtype=np.uint8)
    args: StageArgs = (
        list(corpus._texts),
        published,
        codes.astype(np.int32),
        [str(x) for x in names],
        aliases,
        opts,
    )
    return args, (day if day.any() else None)


def _with_none(values: list[Any]) -> np.ndarray:
    """An object array of values with a trailing None, so that index -1 reads None."""
    out = np.empty(len(values) + 1, dtype=object)
    out[: len(values)] = values
    out[len(values)] = None
    return out


# The kinds of passage (a Vocabulary record of alignment is a link, never a passage).
_PASSAGE_KINDS = [k for k in _core.PASSAGE_KIND if k != "vocabulary"]


class Trace:
    """The result of :func:`trace`: tables of documents, sources, passages and stories.

    Attributes
    ----------
    documents : DataFrame
        One row per document: ``id, outlet, published, title, tokens, boilerplate_tokens,
        derivation, reuse_share, shared_share, vocabulary_share, origin_id, origin_outlet,
        origin_evidence, credits, story_id``. ``vocabulary_share`` is the share of the document's
        rarer vocabulary held by the earlier document of its candidate pairs that holds the most
        (0 when none holds ``vocabulary_share`` of it): a document that shares no passage is
        ``partially`` derived on it alone (``origin_evidence`` 'vocabulary').
    sources : DataFrame
        One row per linked pair: ``target_id, source_id, source_outlet, target_outlet,
        shared_tokens, containment, source_containment, is_origin, direct, direction_evidence,
        agency, evidence``. ``evidence`` is 'passages' for a link of aligned passages and
        'vocabulary' for one that rests on the document-level evidence alone (its ``containment``
        the share of the target's rarer vocabulary the source holds, its shared tokens 0).
    passages : DataFrame
        One row per aligned passage, with code-point offsets into both texts (``text[start:end]``
        is the passage) and UTF-8 byte offsets. ``direct`` marks the passages whose source is where
        the target most likely copied that text from; the others show the same text in siblings
        and in earlier links of a chain.
    stories : DataFrame
        One row per connected group of documents that share text.
    """

    def __init__(
        self, corpus: Corpus, raw: dict[str, Any], options: dict[str, Any], published: np.ndarray
    ) -> None:
        self.options = dict(options)
        self._ids = list(corpus._ids)
        self._texts = list(corpus._texts)
        self._outlets = list(corpus._outlets)
        self._titles = list(corpus._titles)
        self._published = published
        self._day_only = np.asarray(corpus._day_only, dtype=bool)
        self._raw = raw
        self._id_ext = _with_none(self._ids)
        self._outlet_ext = _with_none(self._outlets)
        self._agency_ext = _with_none(list(raw["agencies"]))
        #: The agencies the credit table knows (their canonical names).
        self.agencies = frozenset(raw["agencies"])
        self._row = {doc_id: i for i, doc_id in enumerate(self._ids)}
        self.candidates = int(raw["candidates"])

    # -- helpers ----------------------------------------------------------------------------
    def _origin_outlet(self, origin_doc: np.ndarray, origin_agency: np.ndarray) -> np.ndarray:
        doc_outlet = self._outlet_ext[origin_doc]
        agency = self._agency_ext[origin_agency]
        return np.where(origin_doc >= 0, doc_outlet, agency)

    @staticmethod
    def _names(codes: np.ndarray, names: list[str]) -> pd.Series:
        # The few names become a column of pandas' own string type once, then are picked by
        # code: converting a column of many Python strings costs far more.
        return pd.Series(names).take(codes.astype(np.intp)).reset_index(drop=True)

    # -- tables -----------------------------------------------------------------------------
    @functools.cached_property
    def documents(self) -> pd.DataFrame:
        d = self._raw["documents"]
        tokens = d["tokens"].astype(np.int64)
        boiler = d["boilerplate_tokens"].astype(np.int64)
        effective = np.maximum(tokens - boiler, 1)
        agency_names = np.asarray(self._raw["agencies"], dtype=object)
        credit_names = agency_names[d["credit_agency"].astype(np.intp)]
        begin = d["credit_begin"].astype(np.intp)
        credits = [list(credit_names[begin[i] : begin[i + 1]]) for i in range(len(self._ids))]
        story = d["story"]
        story_id = np.asarray(self._raw["stories"]["id"], dtype=np.int64)
        return pd.DataFrame(
            {
                "id": pd.Series(self._ids, dtype=object),
                "outlet": pd.Series(self._outlets, dtype=object),
                "published": published_series(self._published),
                "title": pd.Series(self._titles, dtype=object),
                "tokens": tokens,
                "boilerplate_tokens": boiler,
                "derivation": pd.Categorical.from_codes(
                    d["derivation"].astype(np.int8), categories=list(_core.DERIVATION), ordered=True
                ),
                "reuse_share": d["reuse_share"],
                "shared_share": np.minimum(d["shared_tokens"] / effective, 1.0),
                "vocabulary_share": d["vocabulary_share"],
                "origin_id": pd.Series(self._id_ext[d["origin_doc"]], dtype=object),
                "origin_outlet": pd.Series(
                    self._origin_outlet(d["origin_doc"], d["origin_agency"]), dtype=object
                ),
                "origin_evidence": self._names(d["origin_evidence"], list(_core.ORIGIN_EVIDENCE)),
                "credits": pd.Series(credits, dtype=object),
                "story_id": pd.Series(
                    story_id[np.maximum(story, 0)] if len(story_id) else story, dtype="Int64"
                ).mask(story < 0),
            }
        )

    @functools.cached_property
    def sources(self) -> pd.DataFrame:
        links = self._raw["links"]
        src, tgt = links["source"].astype(np.intp), links["target"].astype(np.intp)
        return pd.DataFrame(
            {
                "target_id": pd.Series(self._id_ext[tgt], dtype=object),
                "source_id": pd.Series(self._id_ext[src], dtype=object),
                "source_outlet": pd.Series(self._outlet_ext[src], dtype=object),
                "target_outlet": pd.Series(self._outlet_ext[tgt], dtype=object),
                "shared_tokens": links["shared_tokens"].astype(np.int64),
                "containment": links["containment"],
                "source_containment": links["source_containment"],
                "is_origin": links["is_origin"].astype(bool),
                "direct": links["direct"].astype(bool),
                "direction_evidence": self._names(links["evidence"], list(_core.EVIDENCE)),
                "agency": pd.Series(self._agency_ext[links["agency"]], dtype=object),
                "evidence": pd.Categorical.from_codes(
                    links["vocabulary"].astype(np.int8), ["passages", "vocabulary"]
                ),
            }
        )

    @functools.cached_property
    def passages(self) -> pd.DataFrame:
        p = self._raw["passages"]
        src, tgt = p["source"].astype(np.intp), p["target"].astype(np.intp)
        return pd.DataFrame(
            {
                "target_id": pd.Series(self._id_ext[tgt], dtype=object),
                "source_id": pd.Series(self._id_ext[src], dtype=object),
                "target_start": p["target_start"],
                "target_end": p["target_end"],
                "source_start": p["source_start"],
                "source_end": p["source_end"],
                "tokens": p["tokens"].astype(np.int64),
                "source_tokens": p["source_tokens"].astype(np.int64),
                "matched_tokens": p["matched_tokens"].astype(np.int64),
                "kind": pd.Categorical.from_codes(p["kind"].astype(np.int8), _PASSAGE_KINDS),
                "similarity": p["similarity"].astype(np.float64),
                "origin_id": pd.Series(self._id_ext[p["origin_doc"]], dtype=object),
                "origin_outlet": pd.Series(
                    self._origin_outlet(p["origin_doc"], p["origin_agency"]), dtype=object
                ),
                "direction_evidence": self._names(p["evidence"], list(_core.EVIDENCE)),
                "direct": p["direct"].astype(bool),
                "target_byte_start": p["target_byte_start"],
                "target_byte_end": p["target_byte_end"],
                "source_byte_start": p["source_byte_start"],
                "source_byte_end": p["source_byte_end"],
            }
        )

    @functools.cached_property
    def stories(self) -> pd.DataFrame:
        s = self._raw["stories"]
        begin, docs = s["begin"].astype(np.intp), s["docs"].astype(np.intp)
        count = len(begin) - 1
        members = [docs[begin[k] : begin[k + 1]] for k in range(count)]
        first = []
        for m in members:
            times = self._published[m]
            times = times[times != NO_TIME]
            first.append(times.min() if len(times) else NO_TIME)
        return pd.DataFrame(
            {
                "story_id": np.asarray(s["id"], dtype=np.int64),
                "documents": pd.Series([list(self._id_ext[m]) for m in members], dtype=object),
                "outlets": pd.Series(
                    [sorted({o for o in self._outlet_ext[m] if o is not None}) for m in members], dtype=object
                ),
                "size": np.asarray([len(m) for m in members], dtype=np.int64),
                "origin_id": pd.Series(self._id_ext[s["origin_doc"]], dtype=object),
                "origin_outlet": pd.Series(
                    self._origin_outlet(s["origin_doc"], s["origin_agency"]), dtype=object
                ),
                "first_published": published_series(np.asarray(first, dtype=np.int64)),
            }
        )

    # -- one document ---------------------------------------------------------------------
    def _index_of(self, doc_id: DocId) -> int:
        try:
            return self._row[doc_id]
        except (KeyError, TypeError):
            raise KeyError(f"no document with id {doc_id!r} in this trace") from None

    def document(self, doc_id: DocId) -> pd.Series:
        """The row of :attr:`documents` of one document; its ``name`` is the row's position.

        Raises ``KeyError`` for an id the trace does not hold.

        Examples
        --------
        >>> import storytrace as st
        >>> result = st.trace(st.sample_corpus())
        >>> result.document("001_d1aeb3a94d7ee87e")["derivation"]
        'wholly'
        """
        return self.documents.iloc[self._index_of(doc_id)]

    def text(self, doc_id: DocId) -> str:
        """The text of one document as traced: the passages' offsets point into it.

        Examples
        --------
        >>> import storytrace as st
        >>> result = st.trace(st.sample_corpus())
        >>> p = result.passages.iloc[0]
        >>> result.text(p.target_id)[p.target_start : p.target_end][:36]
        'Israel has carried out a strike insi'
        """
        return self._texts[self._index_of(doc_id)]

    @functools.cached_property
    def day_only(self) -> pd.Series:
        """Per row of :attr:`documents`: True where the publication time is a day without a time.

        Such a date stands for the whole day, in any time zone: it orders only against times
        outside it (see the guide's "Dates" section).
        """
        return pd.Series(self._day_only, name="day_only")

    def _rows_of(self, raw: Mapping[str, np.ndarray], doc_id: DocId, side: str) -> np.ndarray:
        if side not in ("target", "source", "either"):
            raise ValueError(f"side must be 'target', 'source' or 'either', not {side!r}")
        i = self._index_of(doc_id)
        # A vectorized compare of the core's document numbers, not of ids: a trace has millions.
        if side == "either":
            return np.flatnonzero((raw["target"] == i) | (raw["source"] == i))
        return np.flatnonzero(raw[side] == i)

    def passages_of(self, doc_id: DocId, side: str = "target") -> pd.DataFrame:
        """The rows of :attr:`passages` where the document is the ``"target"`` (what it took from
        others), the ``"source"`` (what others took from it) or ``"either"``.

        Examples
        --------
        >>> import storytrace as st
        >>> result = st.trace(st.sample_corpus())
        >>> result.passages_of("001_d1aeb3a94d7ee87e")["source_id"].tolist()
        ['000_e0e12a3c6eb4817c']
        """
        return self.passages.iloc[self._rows_of(self._raw["passages"], doc_id, side)]

    def sources_of(self, doc_id: DocId, side: str = "target") -> pd.DataFrame:
        """The rows of :attr:`sources` where the document is the ``"target"``, the ``"source"`` or
        ``"either"``: ``result.sources_of(d, "source").query("direct")`` are the documents that
        copied ``d``."""
        return self.sources.iloc[self._rows_of(self._raw["links"], doc_id, side)]

    # -- views ------------------------------------------------------------------------------

    def graph(self) -> Any:
        """The links as a ``networkx.DiGraph``: documents as nodes, source -> target edges.

        Undirected links (nothing decided their direction) and siblings (two reprints of one
        agency's copy) carry ``directed=False``. Edges with ``direct=True`` say where each target
        copied its text from: ``g.edge_subgraph([e for e, d in g.edges.items() if d["direct"]])``
        is the propagation graph of copies.
        """
        try:
            import networkx as nx
        except ImportError:
            raise ImportError("graph() needs networkx: pip install networkx (or storytrace[graph])") from None
        g = nx.DiGraph()
        docs = self.documents
        for row in docs.itertuples(index=False):
            g.add_node(
                row.id,
                outlet=row.outlet,
                published=None if pd.isna(row.published) else row.published,
                derivation=str(row.derivation),
                reuse_share=float(row.reuse_share),
                origin_outlet=row.origin_outlet,
                credits=list(row.credits),
            )
        for row in self.sources.itertuples(index=False):
            g.add_edge(
                row.source_id,
                row.target_id,
                shared_tokens=int(row.shared_tokens),
                containment=float(row.containment),
                is_origin=bool(row.is_origin),
                direct=bool(row.direct),
                direction_evidence=row.direction_evidence,
                directed=row.direction_evidence not in ("undirected", "sibling"),
                agency=row.agency,
            )
        return g

    def show(self, doc_id: DocId) -> HTML:
        """The document as HTML, each passage found earlier highlighted in its origin outlet's colour.

        A legend names the origin outlets (with the tokens each gave), the header carries the
        derivation and the credits; hovering a passage tells its source, origin, length and how its
        direction was decided. Rewritten passages are underlined with a dashed line; shared text
        whose direction nothing decided is grey.

        Examples
        --------
        >>> import storytrace as st
        >>> view = st.trace(st.sample_corpus()).show("001_d1aeb3a94d7ee87e")
        >>> "<mark" in view.markup
        True
        """
        return HTML(document_html(self, doc_id))

    def _repr_html_(self) -> str:
        return trace_html(self)

    @functools.cached_property
    def plot(self) -> Plots:
        """Plots of this trace (matplotlib): ``timeline(story_id)``, ``outlets()``, ``graph(story_id)``."""
        return Plots(self)

    def outlet_summary(self) -> pd.DataFrame:
        """One row per outlet: how much of its text is original or copied, and how often it was copied.

        Columns: ``outlet, is_agency, documents, tokens`` (outside boilerplate), ``original_share``
        (of its tokens, not found earlier), ``derived_share`` (found earlier), of which
        ``agency_share`` (whose origin is an agency) and ``outlet_copy_share`` (whose origin is
        another outlet) and ``own_copy_share`` (whose origin is one of its own earlier
        documents), ``originated`` (its documents whose text others copied) and ``copied_by``
        (documents of other outlets whose text traces back to it). A document's reused tokens are
        credited to its origin outlet (where most of its reused text came from); a passage's text
        is credited to the passage's origin. Sorted by ``originated``, then ``copied_by``, most
        first.

        Examples
        --------
        >>> import storytrace as st
        >>> st.trace(st.sample_corpus()).outlet_summary().columns[:4].tolist()
        ['outlet', 'is_agency', 'documents', 'tokens']
        """
        return outlet_summary(self)

    def summary(self, limit: int = 50) -> str:
        """A readable provenance summary: counts, then up to ``limit`` documents and stories."""
        docs = self.documents
        counts = docs["derivation"].value_counts()
        lines = [
            f"{len(docs)} documents ({counts.get('wholly', 0)} wholly derived, "
            f"{counts.get('partially', 0)} partially derived, {counts.get('none', 0)} with no reused text), "
            f"{_plural(len(self.stories), 'story', 'stories')}, {_plural(len(self.passages), 'passage')}.",
            "",
        ]
        how_found = {
            "passages": "from its passages",
            "credit": "by its credit alone",
            "vocabulary": "by its vocabulary alone",
        }
        for row in docs.head(limit).itertuples(index=False):
            if row.origin_evidence == "vocabulary":
                verdict = (
                    f"{row.derivation} derived ({row.vocabulary_share:.0%} of its rarer vocabulary "
                    f"found earlier, no passage; {row.tokens} tokens)"
                )
            elif row.derivation != "none":
                verdict = f"{row.derivation} derived ({row.reuse_share:.0%} of {row.tokens} tokens reused)"
            elif row.credits:
                verdict = f"no text found in another document ({row.tokens} tokens)"
            else:
                verdict = f"original as far as this corpus can tell ({row.tokens} tokens, none reused)"
            line = f"{row.id}: {verdict}"
            if row.origin_outlet is not None or row.origin_id is not None:
                origin = row.origin_outlet or "unknown outlet"
                if row.origin_id is not None:
                    origin = f"{row.origin_id} ({origin})"
                line += f"; origin {origin}, {how_found.get(row.origin_evidence, row.origin_evidence)}"
            if row.credits:
                line += "; credits " + ", ".join(row.credits)
            lines.append(line)
        if len(docs) > limit:
            lines.append(f"... and {len(docs) - limit} more documents")
        stories = self.stories.head(limit)
        if len(stories):
            lines.append("")
        # Links grouped by story, in one pass.
        story_of = dict(zip(docs["id"], docs["story_id"]))
        links: dict[int, list[str]] = {}
        for s in self.sources.itertuples(index=False):
            if s.direction_evidence == "sibling":
                how = f"{s.source_id} and {s.target_id} are siblings under {s.agency}"
            elif s.direction_evidence == "undirected":
                how = f"{s.source_id} <-> {s.target_id} (direction undecided)"
            else:
                how = f"{s.source_id} -> {s.target_id}"
            shared = (
                f"{s.containment:.0%} of the target's rarer vocabulary, no passage"
                if s.evidence == "vocabulary"
                else f"{s.shared_tokens} shared tokens, containment {s.containment:.2f}"
            )
            links.setdefault(int(story_of[s.target_id]), []).append(
                f"  {how}: {shared} [{s.direction_evidence}]"
            )
        for row in stories.itertuples(index=False):
            origin = row.origin_outlet or "undecided"
            if row.origin_id is not None:
                origin = f"{row.origin_id} ({row.origin_outlet or 'unknown outlet'})"
            lines.append(f"story {row.story_id}: {', '.join(map(str, row.documents))} — origin {origin}")
            lines.extend(links.get(int(row.story_id), [])[:limit])
        if len(self.stories) > limit:
            lines.append(f"... and {len(self.stories) - limit} more stories")
        return "\n".join(lines)

    def __repr__(self) -> str:
        counts = self.documents["derivation"].value_counts()
        return (
            f"<storytrace.Trace: {len(self._ids)} documents ({counts.get('wholly', 0)} wholly, "
            f"{counts.get('partially', 0)} partially derived), {len(self.stories)} stories, "
            f"{len(self.passages)} passages>"
        )

    # -- export -----------------------------------------------------------------------------
    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "documents": self.documents,
            "sources": self.sources,
            "passages": self.passages,
            "stories": self.stories,
        }

    def to_parquet(self, directory: str | os.PathLike[str]) -> list[str]:
        """Write documents, sources, passages and stories as Parquet files; returns their paths."""
        os.makedirs(directory, exist_ok=True)
        paths = []
        # Decided once for the corpus, so that the id columns of all four tables keep one type.
        mixed = self._ids_are_mixed()
        for name, df in self.tables().items():
            path = os.path.join(directory, f"{name}.parquet")
            (_ids_as_str(df) if mixed else df).to_parquet(path, index=False)
            paths.append(path)
        return paths

    def _ids_are_mixed(self) -> bool:
        """Whether ids mix int and str; raises when two of them would be written alike (0 and "0")."""
        if len({type(v) for v in self._ids}) < 2:
            return False
        written: dict[str, DocId] = {}
        for v in self._ids:
            other = written.setdefault(str(v), v)
            if other is not v and other != v:
                raise ValueError(
                    f"ids {other!r} and {v!r} differ only in type and would be written as the same id; "
                    "give the corpus ids of one type (all str or all int)"
                )
        return True

    def to_csv(self, directory: str | os.PathLike[str]) -> list[str]:
        """Write the four tables as CSV files (list columns as JSON); returns their paths."""
        self._ids_are_mixed()
        os.makedirs(directory, exist_ok=True)
        paths = []
        for name, df in self.tables().items():
            out = df.copy()
            for col in out.columns:
                # Only object columns can hold lists (map() then any() fails on an empty datetime column).
                if out[col].dtype == object and out[col].map(lambda v: isinstance(v, list)).any():
                    out[col] = out[col].map(json.dumps)
            path = os.path.join(directory, f"{name}.csv")
            out.to_csv(path, index=False)
            paths.append(path)
        return paths


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


_ID_COLUMNS = ("id", "origin_id", "target_id", "source_id")


def _ids_as_str(df: pd.DataFrame) -> pd.DataFrame:
    """Every id as str: for a corpus that mixes int and str ids, which Parquet cannot store in one column."""
    out = df
    for col in _ID_COLUMNS:
        if col in df.columns:
            out = out.assign(**{col: df[col].map(lambda v: None if v is None else str(v)).astype(object)})
    if "documents" in df.columns:
        out = out.assign(documents=df["documents"].map(lambda ids: [str(v) for v in ids]).astype(object))
    return out
