"""Deterministic whatever the thread count: the same tables from one thread and from several."""

from __future__ import annotations

import pandas as pd
import pytest

import storytrace as st
from conftest import synthetic_corpus

TABLES = ("documents", "sources", "passages", "stories")


def _assert_same(one: st.Trace, other: st.Trace) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(one, name), getattr(other, name), obj=name)


def test_synthetic_corpus_has_reuse_of_every_kind(reuters_like):
    # The corpus is only a good test of determinism if it exercises the whole pipeline.
    result = st.trace(reuters_like, threads=1)
    docs = result.documents
    assert len(docs) == len(reuters_like) == 300
    assert set(docs["derivation"].astype(str)) == {"none", "partially", "wholly"}
    evidence = set(result.sources["direction_evidence"])
    assert {"published", "sibling", "credit"} <= evidence
    assert (docs["boilerplate_tokens"] > 0).any()
    assert "Reuters" in set(docs["origin_outlet"].dropna())
    assert len(result.stories) > 10


def test_one_and_two_threads_give_identical_tables(reuters_like):
    _assert_same(st.trace(reuters_like, threads=1), st.trace(reuters_like, threads=2))


@pytest.mark.parametrize("threads", [0, 3, 8])
def test_any_thread_count_gives_identical_tables(reuters_like, threads):
    _assert_same(st.trace(reuters_like, threads=1), st.trace(reuters_like, threads=threads))


def test_larger_corpus_across_many_work_blocks():
    # Enough documents for several blocks in every parallel stage (256 documents per block; 1,024
    # pairs or documents per block in attribution), and sibling links, whose passages attribution
    # tallies from both of their documents.
    corpus = synthetic_corpus(seed=2, docs=4000)
    one = st.trace(corpus, threads=1)
    assert len(one.sources) > 2 * 1024
    assert (one.sources["direction_evidence"] == "sibling").sum() > 100
    _assert_same(one, st.trace(corpus, threads=2))


def test_repeated_runs_give_identical_tables(reuters_like):
    _assert_same(st.trace(reuters_like, threads=2), st.trace(reuters_like, threads=2))


def test_generated_corpus_is_deterministic():
    a, b = synthetic_corpus(seed=5, docs=50), synthetic_corpus(seed=5, docs=50)
    pd.testing.assert_frame_equal(a.to_pandas(), b.to_pandas())
    assert not synthetic_corpus(seed=6, docs=50).to_pandas().equals(a.to_pandas())


def test_index_results_do_not_depend_on_threads(reuters_like):
    queries = [d.text for d in list(reuters_like)[::37]]
    results = []
    for threads in (1, 2):
        index = st.Index(threads=threads)
        index.add(reuters_like)
        results.append([sorted(index.query(q, top=50)["source_id"]) for q in queries])
    assert results[0] == results[1]
