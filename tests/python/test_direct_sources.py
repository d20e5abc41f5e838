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
