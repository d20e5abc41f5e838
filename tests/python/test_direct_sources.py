"""Direct sources: which of the documents holding a text the target copied it from."""

from __future__ import annotations

import pytest

import storytrace as st

WIRE = (
    "WASHINGTON (AP) — The Senate passed a bill on Thursday that would expand broadband access in rural "
    "counties, sending the measure to the House after months of negotiation between the two parties. "
    "The bill sets aside twelve billion dollars for new lines and towers over five years, and requires "
    "providers that take the money to offer a low-cost plan to families on public assistance. "
    "Supporters said the plan would close a gap that left many farming towns without reliable service, "
    "while critics argued that earlier programs had paid for networks that were never finished. "
    "The House is expected to take up the bill next month, and the White House said it would sign it."
)
# A copy desk's edits of the wire: four words changed, spread out.
EDITS = {"passed": "approved", "sets": "puts", "close": "narrow", "expected": "likely"}


def edited(text: str) -> str:
    return " ".join(EDITS.get(w, w) for w in text.split(" "))


@pytest.fixture(scope="module")
def chain() -> st.Trace:
    corpus = st.Corpus()
    corpus.add(WIRE, id="wire", outlet="Associated Press", published="2024-05-02T08:00:00Z")
    corpus.add(
        "Metro Ledger\n\n" + edited(WIRE),
        id="ledger",
        outlet="Metro Ledger",
        published="2024-05-02T09:00:00Z",
    )
    corpus.add("Valley Times\n\n" + WIRE, id="times", outlet="Valley Times", published="2024-05-02T10:00:00Z")
    # The Courier copied the Ledger's page: its edits and the AP credit with them.
    corpus.add(
        "Coastal Courier\n\n" + edited(WIRE),
        id="courier",
        outlet="Coastal Courier",
        published="2024-05-02T11:00:00Z",
    )
    return st.trace(corpus)


def _passage(result: st.Trace, source: str, target: str):
    p = result.passages
    rows = p[(p["source_id"] == source) & (p["target_id"] == target)]
    assert len(rows) == 1, f"expected one passage {source} -> {target}, got {len(rows)}"
    return rows.iloc[0]


def test_a_copy_keeping_a_reprints_edits_copied_that_reprint(chain):
    assert edited(WIRE) != WIRE
    assert _passage(chain, "ledger", "courier")["direct"]
    assert not _passage(chain, "wire", "courier")["direct"]
    assert not _passage(chain, "times", "courier")["direct"]
    # Both credit AP, but the courier carries the ledger's edits: not siblings.
    link = chain.sources.set_index(["source_id", "target_id"]).loc[("ledger", "courier")]
    assert link["direction_evidence"] == "published"
    assert link["direct"]
    # The origin is still the agency's own copy.
    assert chain.documents.set_index("id").loc["courier", "origin_id"] == "wire"


def test_reprints_of_the_wire_copied_the_wire(chain):
    assert _passage(chain, "wire", "ledger")["direct"]
    assert _passage(chain, "wire", "times")["direct"]
    # The ledger edited the wire, the times did not: no shared edits, so they are siblings.
    sib = chain.sources[(chain.sources["direction_evidence"] == "sibling")]
    assert {frozenset(x) for x in zip(sib["source_id"], sib["target_id"])} >= {frozenset({"ledger", "times"})}
    assert not chain.passages[chain.passages["direction_evidence"] == "sibling"]["direct"].any()


def test_direct_passages_agree_with_links_and_graph(chain):
    direct_pairs = set(zip(*chain.passages[chain.passages["direct"]][["source_id", "target_id"]].T.values))
    linked = set(zip(*chain.sources[chain.sources["direct"]][["source_id", "target_id"]].T.values))
    assert direct_pairs == linked == {("wire", "ledger"), ("wire", "times"), ("ledger", "courier")}
    g = chain.graph()
    assert {(s, t) for s, t, d in g.edges(data="direct") if d} == linked
    # Every document that reuses text has at least one direct source.
    derived = set(chain.documents.loc[chain.documents["derivation"] != "none", "id"])
    assert derived == {t for _, t in linked}


def test_evaluate_scores_the_direct_passages(chain):
    cols = ["target_id", "source_id", "target_start", "target_end", "source_start", "source_end"]
    right = chain.passages[chain.passages["direct"]][cols]
    e = st.evaluate(chain, passages=right)
    assert (e.passage_precision, e.passage_recall, e.plagdet) == (1.0, 1.0, 1.0)
    # A gold that names the wire as the courier's source is not found: the courier copied the ledger.
    wrong = chain.passages[
        (chain.passages["source_id"] == "wire") & (chain.passages["target_id"] == "courier")
    ]
    e = st.evaluate(chain, passages=wrong[cols])
    assert e.passage_recall == 0.0 and e.passage_precision == 0.0


# The Ledger's own paragraphs around the wire story, and a closing line two outlets word alike.
LEDGER_INTRO = (
    "Farmers in the valley have waited a decade for fast internet, and the county's broadband "
    "committee met on Tuesday night to hear what the federal money could mean for them."
)
LEDGER_CLOSE = (
    "The committee will publish its own map of the county's dead zones at the library next week, "
    "and residents can add their addresses to it until the end of the month."
)
SUBSCRIBE = "Read every local story on any device: subscribe today for unlimited access to our newsroom and its archives."


def _kept_paragraphs(copy_close: bool, credit: bool = False, **options) -> st.Trace:
    wire = WIRE if credit else WIRE.replace(" (AP)", "")
    corpus = st.Corpus()
    corpus.add(wire, id="wire", outlet="Associated Press", published="2024-05-02T08:00:00Z")
    corpus.add(
        LEDGER_INTRO + "\n\n" + wire + "\n\n" + LEDGER_CLOSE + "\n\n" + SUBSCRIBE,
        id="ledger",
        outlet="Metro Ledger",
        published="2024-05-02T09:00:00Z",
    )
    # The Courier copied the Ledger's whole story, its own paragraphs with it; or it ran the wire
    # story and only a closing line worded like the Ledger's.
    body = LEDGER_INTRO + "\n\n" + wire + "\n\n" + LEDGER_CLOSE if copy_close else wire
    corpus.add(
        "Coastal Courier\n\n" + body + "\n\nBy the Courier staff.\n\n" + SUBSCRIBE,
        id="courier",
        outlet="Coastal Courier",
        published="2024-05-02T11:00:00Z",
    )
    return st.trace(corpus, **options)


def _direct_sources(result: st.Trace, target: str) -> set[str]:
    s = result.sources
    return set(s[(s["target_id"] == target) & s["direct"]]["source_id"])


def test_a_copy_keeping_a_reprints_own_paragraphs_copied_that_reprint():
    # Word for word the wire's text in the middle: only the Ledger's own paragraphs around it
    # tell that the Courier copied the Ledger, which holds all the wire text the Courier has.
    result = _kept_paragraphs(copy_close=True)
    assert _direct_sources(result, "courier") == {"ledger"}
    p = result.passages
    mine = p[p["target_id"] == "courier"]
    assert set(mine[mine["direct"]]["source_id"]) == {"ledger"}
    # Its origin is still the wire: the agency wrote the story the Ledger built on.
    assert result.documents.set_index("id").loc["courier", "origin_id"] == "wire"
    # The rule's options reach it: asked for more own text than the Ledger's paragraphs hold, or
    # off for every target (no holders allowed), the wire is the direct source again.
    by_source = mine.set_index("source_id")["tokens"]
    ledger_own = by_source["ledger"] - by_source["wire"]  # the Ledger's passage beside the wire's
    assert ledger_own >= 15
    for options in ({"own_text": int(ledger_own) + 1}, {"own_text_holders": 0}):
        assert _direct_sources(_kept_paragraphs(copy_close=True, **options), "courier") == {"wire"}, options


def test_a_line_worded_alike_elsewhere_does_not_make_a_source():
    # Text only the Ledger holds, but in a passage of its own: the story was still the wire's.
    result = _kept_paragraphs(copy_close=False)
    assert "wire" in _direct_sources(result, "courier")
    p = result.passages
    body = p[(p["target_id"] == "courier") & (p["tokens"] > 50)]
    assert set(body[body["direct"]]["source_id"]) == {"wire"}


def test_papers_crediting_the_agency_that_share_their_own_paragraphs_are_not_siblings():
    # Both carry "(AP)", but the Courier also has the Ledger's own paragraphs: it copied the
    # Ledger, it is not a second reprint of AP's copy beside it.
    result = _kept_paragraphs(copy_close=True, credit=True)
    s = result.sources.set_index(["target_id", "source_id"])
    assert s.loc[("courier", "ledger"), "direction_evidence"] == "published"
    assert _direct_sources(result, "courier") == {"ledger"}
    # Sharing only AP's text and a line worded alike, they are siblings under AP.
    result = _kept_paragraphs(copy_close=False, credit=True)
    s = result.sources.set_index(["target_id", "source_id"])
    assert s.loc[("courier", "ledger"), "direction_evidence"] == "sibling"
    assert s.loc[("courier", "ledger"), "agency"] == "Associated Press"
