"""The speed benchmark's corpus generator (benchmarks/speed/corpus.py): its shape and its truth."""

from __future__ import annotations

import pathlib

import pytest

import storytrace as st
from conftest import load_file

CORPUS = pathlib.Path(__file__).resolve().parents[2] / "benchmarks" / "speed" / "corpus.py"


speed = load_file("speed_corpus", CORPUS)
SENTENCES = [s for a in speed.random_articles(200, seed=5) for s in a.sentences]


@pytest.fixture(scope="module")
def small():
    return speed.make_corpus(600, seed=3, sentences=SENTENCES)


def test_size_ids_and_determinism(small):
    assert len(small.records) == 600
    ids = [r["id"] for r in small.records]
    assert len(set(ids)) == len(ids)
    again = speed.make_corpus(600, seed=3, sentences=SENTENCES)
    assert again.records == small.records and again.pairs == small.pairs
    assert speed.make_corpus(600, seed=4, sentences=SENTENCES).records != small.records
    assert small.source == "given sentences"
    with pytest.raises(ValueError, match="at least 10"):
        speed.make_corpus(5, sentences=SENTENCES)


def test_pairs_are_reprints_of_earlier_stories(small):
    by_id = {r["id"]: r for r in small.records}
    assert len(small.pairs) == 300  # half of the articles are reprints
    for wire, reprint in small.pairs:
        assert wire.startswith("wire-") and not reprint.startswith("wire-")
        assert by_id[reprint]["published"] > by_id[wire]["published"]
        assert small.same_story(wire, reprint)
        # The reprint carries the story's opening words (after its dateline) or an edit of them.
        body = by_id[wire]["text"].split(" ", 3)[-1]
        shared = set(body.split()[:40]) & set(by_id[reprint]["text"].split())
        assert len(shared) >= 20


def test_storytrace_finds_every_true_pair(small):
    result = st.trace(st.Corpus(small.records))
    linked = {frozenset(p) for p in zip(result.sources["source_id"], result.sources["target_id"])}
    assert {frozenset(p) for p in small.pairs} <= linked
    # Outlets' own articles share nothing but their page chrome.
    own = {r["id"] for r in small.records if r["id"] not in small.story}
    assert not (set(result.sources["source_id"]) | set(result.sources["target_id"])) & own
