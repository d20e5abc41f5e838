"""The bundled sample corpus: five web articles from April 2024, and what a user expects of them.

000 and 001 are two reprints of one Anadolu Agency story (siblings, not copier and copied); 004
credits Reuters; 002 and 003 are original as far as these five can tell.
"""

from __future__ import annotations

import pandas as pd
import pytest

import storytrace as st
from conftest import trimmed
from storytrace import _core

AA_000 = "000_e0e12a3c6eb4817c"
AA_001 = "001_d1aeb3a94d7ee87e"
REWRITE_002 = "002_b4e177b70937d680"
EARLIER_003 = "003_08f5dd3932140497"
REUTERS_004 = "004_cbc0cb32dec4f16f"
IDS = [AA_000, AA_001, REWRITE_002, EARLIER_003, REUTERS_004]


@pytest.fixture(scope="module")
def docs(sample_trace):
    return sample_trace.documents.set_index("id")


def _spans(trace: st.Trace, doc_id: str) -> list[tuple[int, int]]:
    p = trace.passages
    spans = [(r.target_start, r.target_end) for r in p[p.target_id == doc_id].itertuples()]
    spans += [(r.source_start, r.source_end) for r in p[p.source_id == doc_id].itertuples()]
    return spans


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    out, i = [], text.find(needle)
    while i >= 0:
        out.append((i, i + len(needle)))
        i = text.find(needle, i + 1)
    return out


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _covered(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in spans)


def test_sample_corpus_holds_the_five_files_by_stem(sample_corpus):
    assert sample_corpus.ids == IDS
    for doc in sample_corpus:
        assert doc.outlet is None and doc.published is None
        assert len(doc.text) > 1000


def test_000_and_001_are_siblings_under_anadolu(sample_trace):
    src = sample_trace.sources
    pair = src[src.source_id.isin([AA_000, AA_001]) & src.target_id.isin([AA_000, AA_001])]
    assert len(pair) == 1
    link = pair.iloc[0]
    assert link.direction_evidence == "sibling"
    assert link.agency == "Anadolu Agency"
    assert not link.is_origin  # neither is the other's origin
    g = sample_trace.graph()
    assert g.edges[link.source_id, link.target_id]["directed"] is False


def test_000_and_001_are_wholly_derived_from_anadolu(docs):
    for doc_id in (AA_000, AA_001):
        row = docs.loc[doc_id]
        assert row.derivation == "wholly"
        assert row.origin_outlet == "Anadolu Agency"
        assert row.origin_id is None
        assert row.credits == ["Anadolu Agency"]
    assert docs.loc[AA_000, "story_id"] == docs.loc[AA_001, "story_id"]


def test_the_anadolu_story(sample_trace):
    stories = sample_trace.stories
    assert len(stories) == 1
    story = stories.iloc[0]
    assert sorted(story.documents) == [AA_000, AA_001]
    assert story.origin_outlet == "Anadolu Agency" and story.origin_id is None


def test_passages_cover_the_shared_body(sample_corpus, sample_trace):
    a, b = sample_corpus[AA_000].text, sample_corpus[AA_001].text
    spans_a, spans_b = _spans(sample_trace, AA_000), _spans(sample_trace, AA_001)
    assert spans_a and spans_b
    # The paragraphs of 000 that 001 carries word for word are the shared body.
    shared = [p for p in a.split("\n\n") if len(st.tokenize(p)) >= 15 and p in b]
    assert len(shared) >= 5
    for para in shared:
        core = trimmed(para)
        for text, spans in ((a, spans_a), (b, spans_b)):
            (span,) = [(s, s + len(core)) for s, _ in _occurrences(text, core)]
            assert _covered(span, spans), para[:60]
    # Both first and last sentences of the body are inside.
    for needle in (
        "Israel has carried out a strike inside of Iran",
        "Israel had vowed to retaliate for the Iranian reprisal",
    ):
        for text, spans in ((a, spans_a), (b, spans_b)):
            assert _covered(_occurrences(text, needle)[0], spans)


@pytest.mark.parametrize(
    "chrome",
    [
        "US officials confirm Israel carried out strike inside Iran: Reports",
        "American media outlets say Israel carried out ballistic missile attack on Iran, "
        "citing anonymous US officials",
        "By Michael Hernandez",
        "Kaynak:Source of News",
        "This news has been read 142 times in total",
        "ADD A COMMENT to TO THE NEWS",
        "UYARI",
        "Previous and Next News",
    ],
)
def test_headlines_and_page_chrome_of_000_are_outside_every_passage(sample_corpus, sample_trace, chrome):
    text = sample_corpus[AA_000].text
    found = _occurrences(text, chrome)
    assert found, f"{chrome!r} should be in the text of 000"
    for occurrence in found:
        for span in _spans(sample_trace, AA_000):
            assert not _overlaps(occurrence, span), (chrome, span)


def test_headline_of_001_is_outside_every_passage(sample_corpus, sample_trace):
    text = sample_corpus[AA_001].text
    headline = text.split("\n", 1)[0]
    assert "Massive explosions" in headline
    for span in _spans(sample_trace, AA_001):
        assert not _overlaps((0, len(headline)), span)


def test_004_credits_reuters_and_shares_nothing(docs, sample_trace):
    row = docs.loc[REUTERS_004]
    assert row.credits == ["Reuters"]
    assert row.origin_outlet == "Reuters"
    assert row.origin_evidence == "credit"
    assert row.origin_id is None
    assert row.derivation == "none" and row.reuse_share == 0
    assert pd.isna(row.story_id)
    p = sample_trace.passages
    assert not ((p.target_id == REUTERS_004) | (p.source_id == REUTERS_004)).any()


def test_004_credit_comes_from_its_dateline_and_copyright(sample_corpus):
    text = sample_corpus[REUTERS_004].text
    credits = _core.find_credits(text, list(st.default_credits().items()))
    assert {agency for agency, _, _ in credits} == {"Reuters"}
    found = {text[s:e] for _, s, e in credits}
    assert "(Reuters)" in found
    assert any(f.startswith("Copyright 2024") for f in found)


@pytest.mark.parametrize("doc_id", [REWRITE_002, EARLIER_003])
def test_002_and_003_are_original(docs, sample_trace, doc_id):
    row = docs.loc[doc_id]
    assert row.derivation == "none"
    assert row.reuse_share == 0
    assert row.credits == []
    assert row.origin_id is None and row.origin_outlet is None
    assert pd.isna(row.story_id)
    p = sample_trace.passages
    assert not ((p.target_id == doc_id) | (p.source_id == doc_id)).any()
    assert not ((sample_trace.sources.target_id == doc_id) | (sample_trace.sources.source_id == doc_id)).any()


@pytest.mark.parametrize(
    "phrase",
    ["According to CBS News", "told CBS News and ABC News", "Syrian media reports", "According to SANA"],
)
def test_attributions_of_facts_are_not_credits(sample_corpus, docs, phrase):
    holders = [d.id for d in sample_corpus if phrase in d.text]
    assert holders, f"{phrase!r} should be in the sample corpus"
    for doc_id in holders:
        credits = _core.find_credits(sample_corpus[doc_id].text, list(st.default_credits().items()))
        names = {agency for agency, _, _ in credits}
        assert "Syrian Arab News Agency" not in names
        assert not any("CBS" in n for n in names)
        assert "Syrian Arab News Agency" not in docs.loc[doc_id, "credits"]


def test_sample_trace_is_the_same_on_one_and_two_threads(sample_corpus, sample_trace):
    for threads in (1, 2):
        other = st.trace(sample_corpus, threads=threads)
        for name in ("documents", "sources", "passages", "stories"):
            pd.testing.assert_frame_equal(getattr(other, name), getattr(sample_trace, name))
