"""``evaluate``: how right a trace is, against gold labels, with the measures the field reports."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ._trace import Trace

DERIVATIONS = ("wholly", "partially", "none")

# A passage as the PAN measures see it: a document pair and a character span in each document.
_Case = tuple[Any, Any, int, int, int, int]  # (target_id, source_id, t0, t1, s0, s1)


@dataclass(frozen=True)
class Evaluation:
    """Scores of a :class:`Trace` against gold labels (see :func:`evaluate`).

    Every score is ``nan`` when the gold labels say nothing it could be computed from.
    """

    derivation: pd.DataFrame = field(repr=False)
    """Per class (wholly, partially, none): precision, recall, f1, support."""
    derivation_macro_f1: float
    binary_f1: float
    """F1 of "derived" (wholly or partially) against "none"."""
    confusion: pd.DataFrame = field(repr=False)
    """Gold derivation (rows) against predicted derivation (columns)."""
    origin_accuracy: float
    origin_support: int
    direction_accuracy: float
    """Share of gold (source, target) pairs whose predicted link points the same way."""
    direction_support: int
    passage_precision: float
    passage_recall: float
    passage_granularity: float
    plagdet: float
    passage_support: int
    passages_by_category: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    """The PAN measures per category of the gold passages (their ``category`` column: obfuscation,
    translation, summary ...), with an ``entire`` row: columns category, precision, recall,
    granularity, plagdet, support. Empty when the gold passages have no category."""

    def summary(self) -> pd.DataFrame:
        """Every headline score in one table (measure, value, support)."""
        rows = [
            ("derivation macro-F1", self.derivation_macro_f1, int(self.derivation["support"].sum())),
            ("binary F1 (derived or not)", self.binary_f1, int(self.derivation["support"].sum())),
            ("origin accuracy", self.origin_accuracy, self.origin_support),
            ("direction accuracy", self.direction_accuracy, self.direction_support),
            ("passage precision (PAN)", self.passage_precision, self.passage_support),
            ("passage recall (PAN)", self.passage_recall, self.passage_support),
            ("passage granularity (PAN)", self.passage_granularity, self.passage_support),
            ("plagdet (PAN)", self.plagdet, self.passage_support),
        ]
        return pd.DataFrame(rows, columns=["measure", "value", "support"])

    def __repr__(self) -> str:
        def fmt(x: float) -> str:
            return "n/a" if math.isnan(x) else f"{x:.3f}"

        return (
            f"<storytrace.Evaluation: derivation macro-F1 {fmt(self.derivation_macro_f1)}, binary F1 "
            f"{fmt(self.binary_f1)}, origin accuracy {fmt(self.origin_accuracy)}, direction accuracy "
            f"{fmt(self.direction_accuracy)}, plagdet {fmt(self.plagdet)}>"
        )


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def _ratio(num: float, den: float) -> float:
    return num / den if den else math.nan


def _counts(gold: pd.Series, pred: pd.Series) -> tuple[int, int, int]:
    """True positives, false positives and false negatives of two boolean Series."""
    return int((gold & pred).sum()), int((~gold & pred).sum()), int((gold & ~pred).sum())


def _derivation_scores(gold: pd.Series, pred: pd.Series) -> tuple[pd.DataFrame, float, float, pd.DataFrame]:
    """Per-class scores, macro-F1 over the classes that occur (in gold or predicted), binary F1."""
    rows = []
    for cls in DERIVATIONS:
        tp, fp, fn = _counts(gold == cls, pred == cls)
        precision = tp / (tp + fp) if tp + fp else math.nan  # nothing predicted in this class
        recall = tp / (tp + fn) if tp + fn else math.nan  # nothing of this class in the gold
        f1 = _f1(precision if tp + fp else 0.0, recall if tp + fn else 0.0) if tp + fp + fn else math.nan
        rows.append((cls, precision, recall, f1, int((gold == cls).sum())))
    table = pd.DataFrame(rows, columns=["derivation", "precision", "recall", "f1", "support"]).set_index(
        "derivation"
    )
    occurring = table["f1"].dropna()
    macro = float(occurring.mean()) if len(occurring) else math.nan
    if len(gold):
        tp, fp, fn = _counts(gold != "none", pred != "none")
        binary = _f1(tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0)
    else:
        binary = math.nan
    confusion = pd.crosstab(
        pd.Categorical(gold, categories=DERIVATIONS),
        pd.Categorical(pred, categories=DERIVATIONS),
        dropna=False,
    )
    confusion.index.name, confusion.columns.name = "gold", "predicted"
    return table, macro, binary, confusion


def _intervals_length(intervals: Iterable[tuple[int, int]]) -> int:
    """Total length of the union of half-open intervals."""
    total, end = 0, -1
    for a, b in sorted(intervals):
        if b <= end:
            continue
        total += b - max(a, end)
        end = b
    return total


def _overlap(a0: int, a1: int, b0: int, b1: int) -> tuple[int, int] | None:
    lo, hi = max(a0, b0), min(a1, b1)
    return (lo, hi) if lo < hi else None


def pan_scores(cases: Sequence[_Case], detections: Sequence[_Case]) -> tuple[float, float, float, float]:
    """PAN precision, recall, granularity and plagdet (Potthast et al., 2010).

    Cases and detections are ``(target_id, source_id, target_start, target_end, source_start,
    source_end)``; characters count in both documents. A detection detects a case when both are
    about the same pair of documents and overlap in both. Documents are unordered within a pair.
    """

    def key(c: _Case) -> tuple[Any, Any, int, int, int, int]:
        # The same pair of documents whichever way round a case or detection names them.
        t, s, t0, t1, s0, s1 = c
        return (
            (t, s, t0, t1, s0, s1)
            if (str(type(t)), str(t)) <= (str(type(s)), str(s))
            else (s, t, s0, s1, t0, t1)
        )

    cases_k = [key(c) for c in cases]
    dets_k = [key(d) for d in detections]
    by_pair: dict[tuple[Any, Any], list[int]] = {}
    for j, d in enumerate(dets_k):
        by_pair.setdefault((d[0], d[1]), []).append(j)

    def meet(c: _Case, d: _Case) -> tuple[tuple[int, int], tuple[int, int]] | None:
        a = _overlap(c[2], c[3], d[2], d[3])
        b = _overlap(c[4], c[5], d[4], d[5])
        return (a, b) if a and b else None

    recall_sum = 0.0
    detected_by: list[list[int]] = []
    covered_in_det: dict[int, tuple[list[tuple[int, int]], list[tuple[int, int]]]] = {}
    for c in cases_k:
        hits = []
        first_doc: list[tuple[int, int]] = []
        second_doc: list[tuple[int, int]] = []
        for j in by_pair.get((c[0], c[1]), []):
            m = meet(c, dets_k[j])
            if m is None:
                continue
            hits.append(j)
            first_doc.append(m[0])
            second_doc.append(m[1])
            parts = covered_in_det.setdefault(j, ([], []))
            parts[0].append(m[0])
            parts[1].append(m[1])
        detected_by.append(hits)
        size = (c[3] - c[2]) + (c[5] - c[4])
        if size > 0:
            recall_sum += (_intervals_length(first_doc) + _intervals_length(second_doc)) / size
    precision_sum = 0.0
    for j, d in enumerate(dets_k):
        size = (d[3] - d[2]) + (d[5] - d[4])
        if size > 0 and j in covered_in_det:
            precision_sum += (
                _intervals_length(covered_in_det[j][0]) + _intervals_length(covered_in_det[j][1])
            ) / size
    precision = _ratio(precision_sum, len(dets_k)) if dets_k else (math.nan if not cases_k else 0.0)
    recall = _ratio(recall_sum, len(cases_k))
    detected = [len(h) for h in detected_by if h]
    granularity = sum(detected) / len(detected) if detected else (math.nan if not cases_k else 1.0)
    if math.isnan(precision) or math.isnan(recall):
        plagdet = math.nan
    else:
        plagdet = _f1(precision, recall) / math.log2(1 + granularity)
    return precision, recall, granularity, plagdet


_PASSAGE_COLUMNS = ["target_id", "source_id", "target_start", "target_end", "source_start", "source_end"]


def pan_scores_by_category(
    cases: Sequence[_Case],
    categories: Sequence[Any],
    detections: Sequence[_Case],
    pair_category: Mapping[tuple[Any, Any], Any] | None = None,
) -> pd.DataFrame:
    """The PAN measures per category of the gold cases, as PAN reports them per sub-corpus.

    A detection counts in the category of its document pair (``(target_id, source_id)``):
    ``pair_category`` when given (it may name pairs with no gold case, such as PAN's
    no-plagiarism pairs), else the category of the pair's gold cases (the first one's). A detection
    in a pair of no category counts in the ``entire`` row only.

    Examples
    --------
    >>> from storytrace._evaluate import pan_scores_by_category
    >>> cases = [("t1", "s1", 0, 10, 0, 10), ("t2", "s2", 0, 10, 0, 10)]
    >>> found = [("t1", "s1", 0, 10, 0, 10)]
    >>> pan_scores_by_category(cases, ["copy", "summary"], found)[["category", "recall"]].values.tolist()
    [['copy', 1.0], ['summary', 0.0], ['entire', 0.5]]
    """
    if len(categories) != len(cases):
        raise ValueError(f"one category per gold case: {len(categories)} categories for {len(cases)} cases")
    of_pair: dict[tuple[Any, Any], Any] = {}
    for c, cat in zip(cases, categories):
        of_pair.setdefault((c[0], c[1]), cat)
    if pair_category is not None:
        of_pair.update(pair_category)
    rows = []
    for cat in sorted(set(categories) | set(of_pair.values()), key=str):
        g = [c for c, k in zip(cases, categories) if k == cat]
        d = [x for x in detections if of_pair.get((x[0], x[1])) == cat]
        rows.append((cat, *pan_scores(g, d), len(g)))
    rows.append(("entire", *pan_scores(cases, detections), len(cases)))
    return pd.DataFrame(
        rows, columns=["category", "precision", "recall", "granularity", "plagdet", "support"]
    )


def _detections(result: Trace) -> list[_Case]:
    """The trace's direct passages as PAN detections: each names the document the target most
    likely copied that text from. The other passages show the same text in siblings (which reprint
    one agency's copy; neither copied the other) and in earlier links of a chain."""
    claimed = result.passages[result.passages["direct"]]
    return list(claimed[_PASSAGE_COLUMNS].itertuples(index=False, name=None))


def _as_frame(gold: Any, what: str) -> pd.DataFrame | None:
    if gold is None:
        return None
    if isinstance(gold, pd.DataFrame):
        return gold
    if isinstance(gold, Mapping):
        return pd.DataFrame(
            [{"id": k, **(v if isinstance(v, Mapping) else {"derivation": v})} for k, v in gold.items()]
        )
    raise TypeError(f"{what} must be a DataFrame (or a mapping for documents), not {type(gold).__name__}")


def evaluate(
    result: Trace,
    documents: pd.DataFrame | Mapping[Any, Any] | None = None,
    *,
    sources: pd.DataFrame | None = None,
    passages: pd.DataFrame | None = None,
) -> Evaluation:
    """Score a trace against gold labels, with the measures this field reports.

    Parameters
    ----------
    result : Trace
        What :func:`storytrace.trace` found.
    documents : DataFrame or mapping, optional
        Gold labels per document: a column ``id`` and any of ``derivation`` (``wholly``,
        ``partially``, ``none``), ``origin_id`` and ``origin_outlet``. A mapping
        ``{id: derivation}`` or ``{id: {"derivation": ..., "origin_id": ...}}`` works too. Only
        the documents listed are scored.
    sources : DataFrame, optional
        Gold directed links, columns ``source_id`` and ``target_id``: the direction accuracy is the
        share of them whose predicted link points the same way (a missing, undirected or sibling
        link counts as wrong).
    passages : DataFrame, optional
        Gold passages with ``target_id, source_id, target_start, target_end, source_start,
        source_end`` in code points (and optionally ``category``): scored with the PAN measures (character precision and recall
        over both documents, granularity, plagdet = F1 / log2(1 + granularity)) against the
        trace's direct passages (``passages.direct``). The others name documents that hold the
        same text but were not copied: siblings, and earlier links of a chain. With a
        ``category`` column, ``passages_by_category`` gives the measures per category too
        (:func:`pan_scores_by_category`).

    Returns
    -------
    Evaluation
        Derivation precision/recall/F1 per class and macro-averaged (METER's three levels), binary
        F1, origin accuracy, direction accuracy and the PAN passage measures.

    Examples
    --------
    >>> import storytrace as st
    >>> result = st.trace(st.sample_corpus())
    >>> gold = {"000_e0e12a3c6eb4817c": "wholly", "001_d1aeb3a94d7ee87e": "wholly",
    ...         "002_b4e177b70937d680": "none", "003_08f5dd3932140497": "none"}
    >>> st.evaluate(result, gold).derivation_macro_f1
    1.0
    """
    if not isinstance(result, Trace):
        raise TypeError(
            f"evaluate() takes the Trace that storytrace.trace returned, not {type(result).__name__}"
        )
    docs = result.documents.set_index("id", drop=False)
    gold_docs = _as_frame(documents, "documents")
    empty = pd.Series([], dtype=object)

    gold_der, pred_der = empty, empty
    origin_accuracy, origin_support = math.nan, 0
    if gold_docs is not None:
        if "id" not in gold_docs.columns:
            raise ValueError("the gold documents need an 'id' column")
        unknown = [i for i in gold_docs["id"] if i not in docs.index]
        if unknown:
            raise ValueError(f"gold labels name documents that are not in the trace: {unknown[:5]!r}")
        if "derivation" in gold_docs.columns:
            labelled = gold_docs[gold_docs["derivation"].notna()]
            bad = set(labelled["derivation"]) - set(DERIVATIONS)
            if bad:
                raise ValueError(f"gold derivation must be one of {DERIVATIONS}, got {sorted(map(str, bad))}")
            gold_der = labelled["derivation"].astype(str).reset_index(drop=True)
            pred_der = docs.loc[list(labelled["id"]), "derivation"].astype(str).reset_index(drop=True)
        correct = total = 0
        for row in gold_docs.itertuples(index=False):
            gold_id = getattr(row, "origin_id", None)
            gold_outlet = getattr(row, "origin_outlet", None)
            has_id = gold_id is not None and not (isinstance(gold_id, float) and math.isnan(gold_id))
            has_outlet = isinstance(gold_outlet, str)
            if not (has_id or has_outlet):
                continue
            total += 1
            predicted = docs.loc[row.id]
            if has_id:
                correct += predicted["origin_id"] == gold_id
            else:
                correct += predicted["origin_outlet"] == gold_outlet
        origin_accuracy, origin_support = _ratio(correct, total), total

    table, macro, binary, confusion = _derivation_scores(gold_der, pred_der)

    direction_accuracy, direction_support = math.nan, 0
    gold_links = _as_frame(sources, "sources")
    if gold_links is not None:
        predicted_links = {
            (s, t): e
            for s, t, e in zip(
                result.sources["source_id"], result.sources["target_id"], result.sources["direction_evidence"]
            )
        }
        correct = 0
        for s, t in zip(gold_links["source_id"], gold_links["target_id"]):
            evidence = predicted_links.get((s, t))
            correct += evidence is not None and evidence not in ("undirected", "sibling")
        direction_support = len(gold_links)
        direction_accuracy = _ratio(correct, direction_support)

    precision = recall = granularity = plagdet = math.nan
    passage_support = 0
    by_category = pd.DataFrame()
    gold_passages = _as_frame(passages, "passages")
    if gold_passages is not None:
        missing = [c for c in _PASSAGE_COLUMNS if c not in gold_passages.columns]
        if missing:
            raise ValueError(f"gold passages need the columns {_PASSAGE_COLUMNS}; missing {missing}")
        cases = list(gold_passages[_PASSAGE_COLUMNS].itertuples(index=False, name=None))
        detections = _detections(result)
        precision, recall, granularity, plagdet = pan_scores(cases, detections)
        passage_support = len(cases)
        if "category" in gold_passages.columns:
            by_category = pan_scores_by_category(cases, list(gold_passages["category"]), detections)

    return Evaluation(
        derivation=table,
        derivation_macro_f1=macro,
        binary_f1=binary,
        confusion=confusion,
        origin_accuracy=origin_accuracy,
        origin_support=origin_support,
        direction_accuracy=direction_accuracy,
        direction_support=direction_support,
        passage_precision=precision,
        passage_recall=recall,
        passage_granularity=granularity,
        plagdet=plagdet,
        passage_support=passage_support,
        passages_by_category=by_category,
    )
