"""Rewritten sentences (kind "rewrite") and publication dates without a time."""

from __future__ import annotations

import datetime as dt

import pytest

import storytrace as st

SOURCE = (
    "The central bank raised its main interest rate by half a point on Tuesday to fight inflation. "
    "Officials said prices had risen faster than expected over the past three months in most regions. "
    "Markets fell sharply after the announcement, with bank shares leading the decline in early trade. "
    "The decision was the third increase this year and surprised many economists in the capital."
)
# The same four sentences reworded: clauses moved, a few words changed, no five words in a row kept.
REWRITE = (
    "To fight inflation the central bank on Tuesday raised its main rate of interest by half a point. "
    "In most regions prices had risen faster over the last three months than expected, officials said. "
    "After the announcement markets fell sharply in early trade, with the decline led by bank shares. "
    "Economists in the capital were surprised by the decision, the third increase of this year."
)
INDEPENDENT = (
    "Borrowing costs are going up again for households across the country this week. "
    "A spokesman for the governor told reporters that more steps could follow if needed soon. "
    "Shopkeepers in the old town complained that customers were already spending less money. "
    "Several analysts had predicted a pause, pointing to weak factory output and slow hiring."
)


def test_compare_finds_a_reworded_paragraph_as_one_passage():
    cmp = st.compare(SOURCE, REWRITE)
    rw = cmp.passages[cmp.passages["kind"] == "rewrite"]
    assert len(rw) == 1
    assert ((rw["similarity"] >= 0.34) & (rw["similarity"] < 1)).all()
    # Offsets are code points of whole sentences of each text.
    for p in rw.itertuples():
        assert SOURCE[p.a_start : p.a_end].strip() == SOURCE[p.a_start : p.a_end]
        assert REWRITE[p.b_start : p.b_end][0].isupper()
    off = st.compare(SOURCE, REWRITE, rewrites=False)
    assert set(off.passages["kind"]) <= {"verbatim"}
    assert cmp.b_in_a > 0.9 > off.b_in_a  # reworded text counts as found earlier


def test_independent_text_about_the_same_event_is_not_a_rewrite():
    assert len(st.compare(SOURCE, INDEPENDENT).passages) == 0


def test_trace_reports_rewrites_only_inside_pairs_sharing_text():
    corpus = st.Corpus()
    corpus.add(SOURCE + " " + INDEPENDENT, id="wire", published="2024-05-01T08:00:00Z")
    # Shares one sentence verbatim with the wire, and rewords the rest.
    corpus.add(
        REWRITE + " " + INDEPENDENT.split(". ")[0] + ". " + INDEPENDENT.split(". ")[1] + ".",
        id="paper",
        published="2024-05-01T12:00:00Z",
    )
    corpus.add(INDEPENDENT.replace("week", "month"), id="other", published="2024-05-02T12:00:00Z")
    result = st.trace(corpus)
    p = result.passages
    paper = p[p["target_id"] == "paper"]
    # The reworded paragraph and the copied sentences after it are one passage.
    assert set(paper["kind"]) == {"rewrite"}
    assert set(paper["source_id"]) == {"wire"}
    docs = result.documents.set_index("id")
    off = st.trace(corpus, rewrites=False).documents.set_index("id")
    assert docs.loc["paper", "reuse_share"] > off.loc["paper", "reuse_share"]
    assert docs.loc["paper", "origin_id"] == "wire"


def test_rewrite_options_are_checked():
    with pytest.raises(ValueError, match="rewrite_similarity"):
        st.compare("a", "b", rewrite_similarity=0)
    with pytest.raises(TypeError, match="rewrites"):
        st.compare("a", "b", rewrites="yes")


BODY = (
    "Rescue teams searched through the night for survivors after floods swept through three villages "
    "in the north of the country, officials said on Sunday, as the river rose to its highest level in "
    "decades and thousands of people were moved to schools and sports halls."
)


@pytest.mark.parametrize("day", ["2024-03-31", dt.date(2024, 3, 31), "31 March 2024"])
def test_a_day_without_a_time_never_precedes_the_wire_that_day(day):
    # The wire at 05:28 UTC; a reprint known only by its day comes first in the corpus.
    corpus = st.Corpus()
    corpus.add("LONDON - " + BODY + " More to follow.", id="reprint", outlet="Daily", published=day)
    corpus.add(BODY, id="wire", outlet="Wire Service", published="2024-03-31T05:28:00+00:00")
    docs = st.trace(corpus).documents.set_index("id")
    assert docs.loc["wire", "derivation"] == "none"
    assert docs.loc["reprint", "derivation"] == "wholly"
    assert docs.loc["reprint", "origin_id"] == "wire"
    # The day is shown as its UTC midnight.
    assert str(docs.loc["reprint", "published"]) == "2024-03-31 00:00:00+00:00"


def test_days_are_ordered_by_date_and_times_in_other_zones_by_instant():
    corpus = st.Corpus()
    corpus.add(BODY, id="later-day", published="2024-04-02")
    corpus.add(BODY, id="earlier-day", published="2024-04-01")
    corpus.add(BODY, id="tokyo", published="2024-04-01T07:00:00+09:00")  # 2024-03-31 22:00 UTC
    corpus.add(BODY, id="new-york", published="2024-03-31T19:00:00-04:00")  # 23:00 UTC
    result = st.trace(corpus)
    docs = result.documents.set_index("id")
    assert docs.loc["tokyo", "derivation"] == "none"
    assert docs.loc["new-york", "origin_id"] == "tokyo"
    assert docs.loc["later-day", "derivation"] == "wholly"
    links = result.sources.set_index(["source_id", "target_id"])
    assert links.loc[("earlier-day", "later-day"), "direction_evidence"] == "published"


def test_the_last_day_pandas_can_hold_does_not_wrap_to_the_first():
    # 2262-04-11 plus the 36 hours a day may run past its UTC midnight is beyond int64
    # nanoseconds: the day's end saturates instead of wrapping to 1677.
    corpus = st.Corpus()
    corpus.add("PARIS - " + BODY + " More to follow.", id="far", outlet="Daily", published="2262-04-11")
    corpus.add(BODY, id="wire", outlet="Wire Service", published="2262-04-09T05:28:00Z")
    docs = st.trace(corpus).documents.set_index("id")
    assert docs.loc["far", "origin_id"] == "wire"
    assert docs.loc["wire", "derivation"] == "none"


@pytest.mark.parametrize(
    "published", ["2300-01-01", "1500-01-01T00:00Z", dt.datetime(2263, 1, 1), dt.date(1600, 5, 1)]
)
def test_a_date_outside_the_range_names_the_document(published):
    corpus = st.Corpus()
    with pytest.raises(ValueError, match=r"document 'late'.*outside the dates storytrace can hold"):
        corpus.add("text", id="late", published=published)
    with pytest.raises(ValueError, match=r"document 'late'.*outside the dates"):
        st.Corpus([{"id": "ok", "text": "x"}, {"id": "late", "text": "y", "published": published}])
    assert len(corpus) == 0


def test_the_index_takes_a_day_for_a_range_as_trace_does():
    index = st.Index()
    corpus = st.Corpus()
    corpus.add(BODY, id="wire", published="2024-03-31T05:28:00Z")
    corpus.add(BODY + " Updated.", id="day", published="2024-04-01")  # a day: up to 2024-04-02 12:00 UTC
    index.add(corpus)
    # Queried as published at 09:00 on 1 April: the day's document may precede it, not surely.
    hits = index.query(BODY, published="2024-04-01T09:00:00Z").set_index("source_id")
    assert set(hits.index) == {"wire", "day"}
    assert hits.loc["wire", "earlier"] and not hits.loc["day", "earlier"]
    # Queried as a day itself, the day before: the wire may precede it, the later day cannot.
    hits = index.query(BODY, published="2024-03-31").set_index("source_id")
    assert list(hits.index) == ["wire"] and not hits.loc["wire", "earlier"]
    # Two days are ordered by their dates.
    hits = index.query(BODY, published="2024-04-03").set_index("source_id")
    assert hits.loc["day", "earlier"] and hits.loc["wire", "earlier"]
