"""storytrace.evaluate: derivation, origin and direction scores, and the PAN passage measures."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

import storytrace as st
from storytrace._evaluate import pan_scores, pan_scores_by_category

IDS = {
    "000": "000_e0e12a3c6eb4817c",
    "001": "001_d1aeb3a94d7ee87e",
    "002": "002_b4e177b70937d680",
    "003": "003_08f5dd3932140497",
    "004": "004_cbc0cb32dec4f16f",
}


@pytest.fixture(scope="module")
def sample_trace() -> st.Trace:
    return st.trace(st.sample_corpus())


# ---------------------------------------------------------------------------------------------
# PAN measures, worked out by hand
# ---------------------------------------------------------------------------------------------

CASE = ("t", "s", 0, 100, 0, 100)


def test_pan_perfect_detection():
    assert pan_scores([CASE], [CASE]) == (1.0, 1.0, 1.0, 1.0)


def test_pan_split_detection_is_penalised_by_granularity():
    halves = [("t", "s", 0, 50, 0, 50), ("t", "s", 50, 100, 50, 100)]
    p, r, g, plagdet = pan_scores([CASE], halves)
    assert (p, r, g) == (1.0, 1.0, 2.0)
    assert plagdet == pytest.approx(1 / math.log2(3))


def test_pan_partial_and_shifted_detections():
    p, r, g, plagdet = pan_scores([CASE], [("t", "s", 0, 50, 0, 50)])
    assert (p, r, g) == (1.0, 0.5, 1.0)
    assert plagdet == pytest.approx(2 / 3)
    # Shifted by half: half of the case found, half of the detection right.
    p, r, _, _ = pan_scores([CASE], [("t", "s", 50, 150, 50, 150)])
    assert (p, r) == (0.5, 0.5)


def test_pan_detection_of_another_pair_detects_nothing():
    p, r, g, _ = pan_scores([CASE], [CASE, ("t", "x", 0, 100, 0, 100)])
    assert (p, r, g) == (0.5, 1.0, 1.0)
    # Overlap in one document only is no detection.
    p, r, _, plagdet = pan_scores([CASE], [("t", "s", 0, 100, 200, 300)])
    assert (p, r, plagdet) == (0.0, 0.0, 0.0)


def test_pan_pairs_are_unordered():
    assert pan_scores([CASE], [("s", "t", 0, 100, 0, 100)]) == (1.0, 1.0, 1.0, 1.0)


def test_pan_nothing_to_score():
    assert all(math.isnan(x) for x in pan_scores([], []))
    _, r, g, plagdet = pan_scores([CASE], [])
    assert (r, plagdet) == (0.0, 0.0) and g == 1.0


spans = hs.tuples(hs.integers(0, 1000), hs.integers(1, 200)).map(lambda x: (x[0], x[0] + x[1]))


@settings(deadline=None)
@given(
    hs.lists(hs.tuples(hs.sampled_from("abc"), hs.sampled_from("xyz"), spans, spans), min_size=1, max_size=8),
    hs.integers(1, 4),
)
def test_pan_exact_and_evenly_split_detections(raw, k):
    # Cases of different pairs, or far apart within a pair, so that no two overlap.
    cases = [
        (t, s, 10_000 * i + a0, 10_000 * i + a1, 10_000 * i + b0, 10_000 * i + b1)
        for i, (t, s, (a0, a1), (b0, b1)) in enumerate(raw)
    ]
    assert pan_scores(cases, cases) == (1.0, 1.0, 1.0, 1.0)
    pieces = []
    for t, s, a0, a1, b0, b1 in cases:
        k_here = min(k, a1 - a0, b1 - b0)
        cut_a = [a0 + (a1 - a0) * i // k_here for i in range(k_here + 1)]
        cut_b = [b0 + (b1 - b0) * i // k_here for i in range(k_here + 1)]
        pieces += [(t, s, cut_a[i], cut_a[i + 1], cut_b[i], cut_b[i + 1]) for i in range(k_here)]
    p, r, g, _ = pan_scores(cases, pieces)
    assert p == pytest.approx(1.0) and r == pytest.approx(1.0)
    assert g == pytest.approx(len(pieces) / len(cases))


# ---------------------------------------------------------------------------------------------
# evaluate() on a real trace
# ---------------------------------------------------------------------------------------------


def test_derivation_scores_by_hand(sample_trace):
    # Predicted: 000 wholly, 001 wholly, 002 none, 003 none, 004 none.
    gold = {
        IDS["000"]: "wholly",
        IDS["001"]: "partially",
        IDS["002"]: "partially",
        IDS["003"]: "none",
        IDS["004"]: "none",
    }
    e = st.evaluate(sample_trace, gold)
    d = e.derivation
    assert (d.loc["wholly", "precision"], d.loc["wholly", "recall"]) == (0.5, 1.0)
    assert math.isnan(d.loc["partially", "precision"]) and d.loc["partially", "recall"] == 0.0
    assert d.loc["partially", "f1"] == 0.0
    assert d.loc["none", "precision"] == pytest.approx(2 / 3) and d.loc["none", "recall"] == 1.0
    assert list(d["support"]) == [1, 2, 2]
    assert e.derivation_macro_f1 == pytest.approx((2 / 3 + 0 + 0.8) / 3)
    assert e.binary_f1 == pytest.approx(0.8)  # derived: precision 1, recall 2/3
    assert e.confusion.loc["partially", "wholly"] == 1 and e.confusion.loc["partially", "none"] == 1
    assert int(e.confusion.to_numpy().sum()) == 5


def test_origin_accuracy(sample_trace):
    gold = pd.DataFrame(
        {
            "id": [IDS["000"], IDS["001"], IDS["004"], IDS["002"]],
            "origin_outlet": ["Anadolu Agency", "Anadolu Agency", "Reuters", None],
            "origin_id": [None, None, None, IDS["003"]],  # 002's gold origin is 003: wrong
        }
    )
    e = st.evaluate(sample_trace, gold)
    assert e.origin_support == 4
    assert e.origin_accuracy == pytest.approx(3 / 4)
    assert math.isnan(e.derivation_macro_f1)  # no derivation labels given


def test_direction_accuracy():
    body = " ".join(f"word{i}" for i in range(60))
    corpus = st.Corpus()
    corpus.add(body, id="early", published="2024-01-01T08:00Z")
    corpus.add("Update. " + body, id="late", published="2024-01-01T09:00Z")
    corpus.add(body + " More.", id="undated-a")
    corpus.add(body + " More.", id="undated-b")
    result = st.trace(corpus)
    right = pd.DataFrame({"source_id": ["early"], "target_id": ["late"]})
    assert st.evaluate(result, sources=right).direction_accuracy == 1.0
    wrong = pd.DataFrame({"source_id": ["late"], "target_id": ["early"]})
    assert st.evaluate(result, sources=wrong).direction_accuracy == 0.0
    # Two identical undated texts: the link is undirected, which is not a right direction.
    undecided = pd.DataFrame({"source_id": ["undated-a"], "target_id": ["undated-b"]})
    e = st.evaluate(result, sources=undecided)
    assert e.direction_accuracy == 0.0 and e.direction_support == 1


def test_passages_against_the_trace_itself(hand_trace):
    gold = hand_trace.passages[hand_trace.passages["direct"]]
    assert len(gold) >= 2
    e = st.evaluate(hand_trace, passages=gold)
    assert (e.passage_precision, e.passage_recall, e.passage_granularity, e.plagdet) == (1.0, 1.0, 1.0, 1.0)
    # A gold passage twice as long as the one found: half recalled.
    p = gold.iloc[0]
    longer = gold.head(1).assign(
        target_end=p.target_end + (p.target_end - p.target_start),
        source_end=p.source_end + (p.source_end - p.source_start),
    )
    e = st.evaluate(hand_trace, passages=longer)
    assert e.passage_recall == pytest.approx(0.5)
    assert e.passage_support == 1


def test_pan_measures_per_category(hand_trace):
    gold = hand_trace.passages[hand_trace.passages["direct"]].reset_index(drop=True)
    assert len(gold) >= 2
    # Every gold passage found, the first in a category of its own; then one more passage, never
    # found, in that category: its recall halves, the other's stays.
    gold = gold.assign(category=["first"] + ["rest"] * (len(gold) - 1))
    e = st.evaluate(hand_trace, passages=gold)
    table = e.passages_by_category.set_index("category")
    assert list(table.index) == ["first", "rest", "entire"]
    assert (table["plagdet"] == 1.0).all()
    assert table.loc["first", "support"] == 1 and table.loc["entire", "support"] == len(gold)
    assert table.loc["entire", "plagdet"] == e.plagdet
    p = gold.iloc[0]
    missed = gold.head(1).assign(target_start=p.target_end + 10**6, target_end=p.target_end + 2 * 10**6)
    e = st.evaluate(hand_trace, passages=pd.concat([gold, missed], ignore_index=True))
    table = e.passages_by_category.set_index("category")
    assert table.loc["rest", "recall"] == 1.0
    assert table.loc["first", "recall"] < 1.0
    assert table.loc["first", "support"] == 2
    # No category column: no table.
    assert st.evaluate(hand_trace, passages=gold.drop(columns="category")).passages_by_category.empty
    with pytest.raises(ValueError, match="one category per gold case"):
        pan_scores_by_category(
            list(
                gold[
                    ["target_id", "source_id", "target_start", "target_end", "source_start", "source_end"]
                ].itertuples(index=False, name=None)
            ),
            ["x"],
            [],
        )


def test_sibling_passages_are_not_detections(sample_trace):
    # The sample's two Anadolu reprints share their body as siblings: neither copied the other, so
    # a gold passage between them is not detected.
    siblings = sample_trace.passages[sample_trace.passages["direction_evidence"] == "sibling"]
    assert len(siblings) == 1
    e = st.evaluate(sample_trace, passages=siblings)
    assert e.passage_recall == 0.0 and e.passage_support == 1


def test_summary_lists_every_measure(sample_trace):
    e = st.evaluate(sample_trace, {IDS["000"]: "wholly"})
    table = e.summary()
    assert list(table.columns) == ["measure", "value", "support"]
    assert "plagdet (PAN)" in set(table["measure"])
    assert "macro-F1" in repr(e)


def test_bad_gold_labels(sample_trace):
    with pytest.raises(TypeError, match="Trace"):
        st.evaluate("not a trace", {})
    with pytest.raises(ValueError, match="not in the trace"):
        st.evaluate(sample_trace, {"no-such-id": "wholly"})
    with pytest.raises(ValueError, match="derivation must be one of"):
        st.evaluate(sample_trace, {IDS["000"]: "entirely"})
    with pytest.raises(ValueError, match="missing"):
        st.evaluate(sample_trace, passages=pd.DataFrame({"target_id": [IDS["000"]]}))
    with pytest.raises(TypeError, match="DataFrame"):
        st.evaluate(sample_trace, sources=[("a", "b")])  # type: ignore[arg-type]
