"""The public API of DESIGN.md: every name exists and does what the contract says."""

from __future__ import annotations

import html
import json
import math
import os
import random
import re

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import storytrace as st
from conftest import AP_BODY, FOOTER, WIRE_BODY, ntokens, paragraphs, prose, trimmed

DOCUMENT_COLUMNS = [
    "id",
    "outlet",
    "published",
    "tokens",
    "derivation",
    "reuse_share",
    "origin_id",
    "origin_outlet",
    "credits",
    "story_id",
]
SOURCE_COLUMNS = [
    "target_id",
    "source_id",
    "source_outlet",
    "shared_tokens",
    "containment",
    "is_origin",
    "direction_evidence",
]
PASSAGE_COLUMNS = [
    "target_id",
    "source_id",
    "target_start",
    "target_end",
    "source_start",
    "source_end",
    "tokens",
    "origin_id",
]
STORY_COLUMNS = ["story_id", "documents", "outlets", "origin_id", "origin_outlet", "first_published"]


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT


def _plain(values) -> list:
    """Values as plain Python objects, every kind of missing value as None (for round trips)."""
    out = []
    for v in values:
        if isinstance(v, (list, tuple, np.ndarray)):
            out.append([_plain([x])[0] for x in v])
        elif _missing(v):
            out.append(None)
        elif isinstance(v, np.generic):
            out.append(v.item())
        else:
            out.append(v)
    return out


def _by_id(df: pd.DataFrame) -> pd.DataFrame:
    return df.set_index("id")


# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Corpus",
        "read_jsonl",
        "read_csv",
        "read_parquet",
        "trace",
        "Trace",
        "compare",
        "Comparison",
        "Index",
        "FormatError",
        "tokenize",
        "sample_corpus",
        "default_credits",
        "HASH_SEED",
    ],
)
def test_public_names_exist(name):
    assert hasattr(st, name)
    assert name in st.__all__


def test_format_error_is_a_value_error():
    assert issubclass(st.FormatError, ValueError)


def test_hash_seed_is_the_documented_constant():
    assert st.HASH_SEED == int.from_bytes(b"storytr1", "little")


# ---------------------------------------------------------------------------------------------
# Corpus
# ---------------------------------------------------------------------------------------------


def test_version_is_the_one_of_pyproject():
    # Written once, in pyproject.toml: the installed distribution and the compiled core report it.
    import importlib.metadata
    import pathlib

    assert st.__version__ == st._core.__version__ == importlib.metadata.version("storytrace")
    pyproject = (pathlib.Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert re.findall(r'^version = "(.+)"$', pyproject, re.MULTILINE) == [st.__version__]


def test_the_package_has_no_import_circle():
    # Every import between the package's modules, those for type checking included, runs one way.
    import ast
    import pathlib

    import networkx as nx

    package = pathlib.Path(st.__file__).parent
    graph = nx.DiGraph()
    for path in package.glob("*.py"):
        graph.add_node(path.stem)
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                names = [node.module] if node.module else [a.name for a in node.names]
                graph.add_edges_from((path.stem, n.split(".")[0]) for n in names)
    graph.remove_edges_from(nx.selfloop_edges(graph))
    assert nx.is_directed_acyclic_graph(graph), nx.find_cycle(graph)
    assert graph.has_edge("_trace", "_views") and graph.has_edge("_plot", "_views")


def test_add_returns_the_id_given():
    corpus = st.Corpus()
    assert corpus.add("A text.", id="a") == "a"
    assert corpus.add("Another text.", id=7) == 7
    assert len(corpus) == 2
    assert corpus["a"].text == "A text."
    assert corpus[7].text == "Another text."


def test_add_without_id_gives_fresh_integer_ids():
    corpus = st.Corpus()
    first = corpus.add("one")
    second = corpus.add("two")
    assert isinstance(first, int) and isinstance(second, int)
    assert first != second
    corpus.add("three", id=second + 1)
    third = corpus.add("four")
    assert third not in (first, second, second + 1)
    assert [corpus[i].text for i in (first, second, second + 1, third)] == ["one", "two", "three", "four"]
    assert corpus.ids == [first, second, second + 1, third]


def test_add_keeps_every_field():
    corpus = st.Corpus()
    corpus.add(
        "Body.",
        id="x",
        outlet="Daily A",
        published="2024-04-19T08:30:00Z",
        title="Head",
        url="https://a.example/1",
    )
    doc = corpus["x"]
    assert (doc.id, doc.text, doc.outlet, doc.title, doc.url) == (
        "x",
        "Body.",
        "Daily A",
        "Head",
        "https://a.example/1",
    )
    assert doc.published == pd.Timestamp("2024-04-19T08:30:00Z")


def test_outlet_defaults_to_the_host_of_the_url():
    corpus = st.Corpus()
    corpus.add("Body.", id="x", url="https://www.example-news.com/world/1")
    assert corpus["x"].outlet == "example-news.com"


def test_getitem_of_an_unknown_id_is_a_key_error():
    corpus = st.Corpus()
    corpus.add("Body.", id="x")
    with pytest.raises(KeyError, match="'y'"):
        corpus["y"]


def test_extend_with_dicts_returns_ids_in_order():
    corpus = st.Corpus()
    ids = corpus.extend(
        [
            {"id": "a", "text": "first", "outlet": "O1"},
            {"text": "second"},
            {"id": "c", "text": "third", "published": "2024-01-01"},
        ]
    )
    assert ids[0] == "a" and ids[2] == "c"
    assert len(corpus) == 3
    assert [corpus[i].text for i in ids] == ["first", "second", "third"]
    assert corpus["a"].outlet == "O1"
    assert corpus["c"].published == pd.Timestamp("2024-01-01", tz="UTC")


def test_extend_with_a_dataframe():
    df = pd.DataFrame(
        {
            "id": ["a", "b"],
            "text": ["first text", "second text"],
            "outlet": ["O1", None],
            "published": [pd.Timestamp("2024-04-19T10:00:00Z"), pd.NaT],
        }
    )
    corpus = st.Corpus()
    assert corpus.extend(df) == ["a", "b"]
    assert corpus["a"].outlet == "O1" and corpus["b"].outlet is None
    assert corpus["a"].published == pd.Timestamp("2024-04-19T10:00:00Z")
    assert corpus["b"].published is None


def test_corpus_constructor_takes_records():
    corpus = st.Corpus([{"id": 1, "text": "x"}, {"id": 2, "text": "y"}])
    assert len(corpus) == 2 and corpus[2].text == "y"


def test_from_pandas_with_custom_column_names():
    df = pd.DataFrame(
        {
            "body": ["Text one.", "Text two."],
            "doc": ["d1", "d2"],
            "source": ["Paper", "Wire"],
            "date": ["2024-04-19T10:00:00+02:00", "2024-04-19T09:00:00Z"],
            "unused": [1, 2],
        }
    )
    corpus = st.Corpus.from_pandas(df, text="body", id="doc", outlet="source", published="date")
    assert len(corpus) == 2
    assert corpus["d1"].text == "Text one." and corpus["d1"].outlet == "Paper"
    assert corpus["d1"].published == pd.Timestamp("2024-04-19T08:00:00Z")
    assert corpus["d2"].published == pd.Timestamp("2024-04-19T09:00:00Z")


def test_from_pandas_with_only_a_text_column():
    corpus = st.Corpus.from_pandas(pd.DataFrame({"text": ["x", "y"]}))
    assert len(corpus) == 2
    assert [d.text for d in corpus] == ["x", "y"]
    assert len(set(corpus.ids)) == 2


def test_from_pandas_with_a_named_column_that_is_missing():
    df = pd.DataFrame({"body": ["x"]})
    with pytest.raises(ValueError, match="no column 'date'"):
        st.Corpus.from_pandas(df, text="body", published="date")


RECORDS = [
    {
        "id": "a1",
        "text": "Première ligne — «citation» 東京 ✓",
        "outlet": "Le Monde",
        "published": "2024-04-19T08:00:00Z",
        "title": "Titre",
        "url": "https://lemonde.fr/a1",
    },
    {
        "id": "a2",
        "text": 'Second, with "quotes", commas\nand a newline.',
        "outlet": "AP",
        "published": None,
        "title": None,
        "url": None,
    },
    {
        "id": "a3",
        "text": "Third",
        "outlet": None,
        "published": "2024-04-20T00:00:00+05:30",
        "title": "T3",
        "url": None,
    },
]


def _check_round_trip(corpus: st.Corpus) -> None:
    assert len(corpus) == len(RECORDS)
    for rec in RECORDS:
        doc = corpus[rec["id"]]
        assert doc.text == rec["text"]
        assert doc.outlet == rec["outlet"]
        assert doc.title == rec["title"]
        assert doc.url == rec["url"]
        if rec["published"] is None:
            assert doc.published is None
        else:
            assert doc.published == pd.Timestamp(rec["published"])
    assert corpus.ids == [r["id"] for r in RECORDS]


def test_read_jsonl_round_trip(tmp_path):
    path = tmp_path / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for rec in RECORDS:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        f.write("\n")  # a blank line is skipped
    _check_round_trip(st.read_jsonl(path))


def test_read_jsonl_keeps_integer_ids(tmp_path):
    path = tmp_path / "ints.jsonl"
    path.write_text("\n".join(json.dumps({"id": i, "text": f"text {i}"}) for i in range(3)), encoding="utf-8")
    corpus = st.read_jsonl(path)
    assert corpus.ids == [0, 1, 2]


def test_read_jsonl_with_other_field_names(tmp_path):
    path = tmp_path / "other.jsonl"
    path.write_text(json.dumps({"key": "k", "content": "hello", "site": "S"}) + "\n", encoding="utf-8")
    corpus = st.read_jsonl(path, text="content", id="key", outlet="site")
    assert corpus["k"].text == "hello" and corpus["k"].outlet == "S"


def test_read_csv_round_trip(tmp_path):
    path = tmp_path / "corpus.csv"
    pd.DataFrame(RECORDS).to_csv(path, index=False)
    _check_round_trip(st.read_csv(path))


def test_read_parquet_round_trip(tmp_path):
    path = tmp_path / "corpus.parquet"
    pd.DataFrame(RECORDS).to_parquet(path, index=False)
    _check_round_trip(st.read_parquet(path))


def test_read_parquet_with_datetime_column(tmp_path):
    path = tmp_path / "dates.parquet"
    df = pd.DataFrame(
        {
            "id": [1, 2],
            "text": ["x", "y"],
            "published": pd.to_datetime(["2024-04-19T09:00:00Z", None], utc=True),
        }
    )
    df.to_parquet(path, index=False)
    corpus = st.read_parquet(path)
    assert corpus[1].published == pd.Timestamp("2024-04-19T09:00:00Z")
    assert corpus[2].published is None


def test_to_pandas_lists_the_documents():
    corpus = st.Corpus()
    corpus.add("x", id="a", outlet="O", published="2024-01-01T00:00:00Z")
    corpus.add("y", id="b")
    df = corpus.to_pandas()
    assert list(df.columns) == ["id", "text", "outlet", "published", "title", "url"]
    assert df["id"].tolist() == ["a", "b"]
    assert df["published"].iloc[0] == pd.Timestamp("2024-01-01T00:00:00Z")
    assert pd.isna(df["published"].iloc[1])


# ---------------------------------------------------------------------------------------------
# trace(): the tables
# ---------------------------------------------------------------------------------------------


def test_trace_returns_a_trace_with_the_design_columns(hand_trace):
    assert isinstance(hand_trace, st.Trace)
    for name, columns in [
        ("documents", DOCUMENT_COLUMNS),
        ("sources", SOURCE_COLUMNS),
        ("passages", PASSAGE_COLUMNS),
        ("stories", STORY_COLUMNS),
    ]:
        df = getattr(hand_trace, name)
        assert isinstance(df, pd.DataFrame)
        missing = [c for c in columns if c not in df.columns]
        assert not missing, f"{name} lacks {missing}"


def test_an_empty_corpus_gives_empty_tables_with_the_design_columns():
    result = st.trace(st.Corpus())
    for name, columns in [
        ("documents", DOCUMENT_COLUMNS),
        ("sources", SOURCE_COLUMNS),
        ("passages", PASSAGE_COLUMNS),
        ("stories", STORY_COLUMNS),
    ]:
        df = getattr(result, name)
        assert len(df) == 0
        assert set(columns) <= set(df.columns)


def test_documents_has_one_row_per_document_in_corpus_order(hand_made, hand_trace):
    docs = hand_trace.documents
    assert docs["id"].tolist() == hand_made.corpus.ids
    for row in docs.itertuples(index=False):
        assert row.outlet == hand_made.outlets[row.id]
        assert row.published == hand_made.published[row.id]
        assert row.tokens == ntokens(hand_made.texts[row.id])


def test_earliest_document_is_the_origin_of_the_reprints(hand_made, hand_trace):
    docs = _by_id(hand_trace.documents)
    first, *later = hand_made.reprints
    assert min(hand_made.published[d] for d in hand_made.reprints) == hand_made.published[first]
    assert docs.loc[first, "origin_id"] is None
    assert docs.loc[first, "derivation"] == "none"
    for doc_id in later:
        assert docs.loc[doc_id, "origin_id"] == first
        assert docs.loc[doc_id, "origin_outlet"] == hand_made.outlets[first]


def test_a_copy_of_a_copy_is_traced_to_the_first_document(hand_made, hand_trace):
    # review-fire copied post-fire's version (post's own intro included); post-fire copied herald-fire.
    docs = _by_id(hand_trace.documents)
    assert hand_made.texts["review-fire"].endswith(hand_made.texts["post-fire"].split("\n\n", 1)[1])
    assert docs.loc["post-fire", "origin_id"] == "herald-fire"
    assert docs.loc["review-fire", "origin_id"] == "herald-fire"
    # The link to the copy it was taken from exists, but the copy is not the origin.
    src = hand_trace.sources
    link = src[(src.target_id == "review-fire") & (src.source_id == "post-fire")]
    assert len(link) == 1 and not link.is_origin.iloc[0]
    link = src[(src.target_id == "review-fire") & (src.source_id == "herald-fire")]
    assert len(link) == 1 and link.is_origin.iloc[0]


def test_a_chain_is_followed_whatever_the_corpus_order():
    body = "\n\n".join(WIRE_BODY)
    for order in ([0, 1, 2], [2, 1, 0], [1, 2, 0]):
        corpus = st.Corpus()
        docs = [
            ("a", "First: " + body, "2024-01-01T00:00:00Z"),
            ("b", "Second: " + body, "2024-01-02T00:00:00Z"),
            ("c", "Third: " + body, "2024-01-03T00:00:00Z"),
        ]
        for k in order:
            doc_id, text, when = docs[k]
            corpus.add(text, id=doc_id, outlet=f"Outlet {doc_id}", published=when)
        d = _by_id(st.trace(corpus).documents)
        assert d.loc["a", "origin_id"] is None
        assert d.loc["b", "origin_id"] == "a"
        assert d.loc["c", "origin_id"] == "a"


def test_derivation_and_reuse_share_follow_from_what_was_copied(hand_made, hand_trace):
    docs = _by_id(hand_trace.documents)
    for doc_id in hand_made.reprints + hand_made.unrelated:
        share = hand_made.copied_tokens.get(doc_id, 0) / ntokens(hand_made.texts[doc_id])
        got = docs.loc[doc_id, "reuse_share"]
        assert 0.0 <= got <= 1.0
        assert got == pytest.approx(share, abs=1e-9), doc_id
        expected = "none" if share == 0 else ("wholly" if share >= 0.7 else "partially")
        assert docs.loc[doc_id, "derivation"] == expected, doc_id
    # The construction covers all three levels.
    assert set(docs["derivation"].astype(str)) == {"none", "partially", "wholly"}


def test_reuse_share_is_between_zero_and_one(reuters_like):
    docs = st.trace(reuters_like).documents
    assert docs["reuse_share"].between(0.0, 1.0).all()
    assert ((docs["reuse_share"] > 0) == (docs["derivation"] != "none")).all()


def test_unrelated_documents_share_nothing(hand_made, hand_trace):
    docs = _by_id(hand_trace.documents)
    for doc_id in hand_made.unrelated:
        assert docs.loc[doc_id, "derivation"] == "none"
        assert docs.loc[doc_id, "origin_id"] is None and docs.loc[doc_id, "origin_outlet"] is None
        assert pd.isna(docs.loc[doc_id, "story_id"])
    p = hand_trace.passages
    assert not (p.target_id.isin(hand_made.unrelated) | p.source_id.isin(hand_made.unrelated)).any()


def test_credits_are_lists(hand_trace, ap_siblings):
    assert all(isinstance(c, list) and c == [] for c in hand_trace.documents["credits"])
    docs = _by_id(st.trace(ap_siblings).documents)
    assert docs.loc["ledger-subway", "credits"] == ["Associated Press"]
    assert docs.loc["times-subway", "credits"] == ["Associated Press"]
    assert docs.loc["times-council", "credits"] == []


def test_story_groups_the_reprints(hand_made, hand_trace):
    docs = _by_id(hand_trace.documents)
    story_ids = {docs.loc[d, "story_id"] for d in hand_made.reprints}
    assert len(story_ids) == 1
    (story_id,) = story_ids
    stories = hand_trace.stories
    assert len(stories) == 1
    row = stories.set_index("story_id").loc[story_id]
    assert set(row["documents"]) == set(hand_made.reprints)
    assert row["outlets"] == sorted({hand_made.outlets[d] for d in hand_made.reprints})
    assert row["origin_id"] == "herald-fire"
    assert row["origin_outlet"] == "Daily Herald"
    assert row["first_published"] == min(hand_made.published[d] for d in hand_made.reprints)


def test_sources_are_directed_by_publication_time(hand_made, hand_trace):
    src = hand_trace.sources
    # Every two reprints share the first three paragraphs: one link per pair.
    n = len(hand_made.reprints)
    assert len(src) == n * (n - 1) // 2
    assert (src["direction_evidence"] == "published").all()
    for row in src.itertuples(index=False):
        assert hand_made.published[row.source_id] < hand_made.published[row.target_id]
        assert row.source_outlet == hand_made.outlets[row.source_id]
        assert 0 < row.containment <= 1
        assert row.is_origin == (row.source_id == "herald-fire")
    shared = src.set_index(["target_id", "source_id"])["shared_tokens"]
    assert shared.loc[("post-fire", "herald-fire")] == ntokens(hand_made.body)
    assert shared.loc[("star-fire", "herald-fire")] == hand_made.copied_tokens["star-fire"]


def test_passages_point_at_the_shared_text(hand_made, hand_trace):
    p = hand_trace.passages
    assert len(p) > 0
    for row in p.itertuples(index=False):
        target, source = hand_made.texts[row.target_id], hand_made.texts[row.source_id]
        t, s = target[row.target_start : row.target_end], source[row.source_start : row.source_end]
        assert t == s  # the reprints copy verbatim
        assert row.tokens == ntokens(t)
        assert t in hand_made.texts["herald-fire"] or t.startswith(
            hand_made.texts["review-fire"].split("\n\n")[1]
        )
    herald = p[(p.source_id == "herald-fire") & (p.target_id == "post-fire")]
    assert len(herald) == 1
    row = herald.iloc[0]
    assert hand_made.texts["post-fire"][row.target_start : row.target_end] == trimmed(hand_made.body)
    assert row.origin_id == "herald-fire"


def test_one_document_s_row_text_passages_and_links(hand_made, hand_trace):
    docs, p, src = hand_trace.documents, hand_trace.passages, hand_trace.sources
    for k, doc_id in enumerate(docs["id"]):
        row = hand_trace.document(doc_id)
        assert row.name == k
        pd.testing.assert_series_equal(row, docs.iloc[k])
        assert hand_trace.text(doc_id) == hand_made.texts[doc_id]
        for side, column in (("target", "target_id"), ("source", "source_id")):
            pd.testing.assert_frame_equal(hand_trace.passages_of(doc_id, side), p[p[column] == doc_id])
            pd.testing.assert_frame_equal(hand_trace.sources_of(doc_id, side), src[src[column] == doc_id])
        either = (p.target_id == doc_id) | (p.source_id == doc_id)
        pd.testing.assert_frame_equal(hand_trace.passages_of(doc_id, "either"), p[either])
    assert len(hand_trace.passages_of("post-fire")) > 0
    assert hand_trace.day_only.tolist() == [False] * len(docs)
    for bad in ("nope", ["post-fire"]):
        with pytest.raises(KeyError, match="no document with id"):
            hand_trace.document(bad)
        with pytest.raises(KeyError, match="no document with id"):
            hand_trace.text(bad)
    with pytest.raises(ValueError, match="side must be 'target', 'source' or 'either', not 'both'"):
        hand_trace.passages_of("post-fire", "both")


def test_day_only_follows_the_documents():
    corpus = st.Corpus()
    corpus.add("one two three", id="a", published="2024-01-01")
    corpus.add("four five six", id="b", published="2024-01-01T10:00Z")
    corpus.add("seven eight nine", id="c")
    result = st.trace(corpus)
    assert result.day_only.tolist() == [True, False, False]
    assert result.day_only.index.equals(result.documents.index)


def test_story_ids_stay_when_unrelated_documents_are_added():
    rng = random.Random(11)
    story, other = prose(rng, 80), prose(rng, 80)

    def corpus(extra: bool) -> st.Corpus:
        c = st.Corpus()
        if extra:  # before the story in corpus order, and a second story sharing nothing with it
            c.add(prose(rng, 50), id="lone", outlet="Z", published="2024-01-01T00:00Z")
            c.add(other, id="o1", outlet="Y", published="2024-01-01T01:00Z")
            c.add(other, id="o2", outlet="Z", published="2024-01-01T02:00Z")
        c.add(story, id="s1", outlet="X", published="2024-01-02T00:00Z")
        c.add(story + " " + prose(rng, 10), id=7, outlet="Y", published="2024-01-02T03:00Z")
        return c

    alone, more = st.trace(corpus(False)), st.trace(corpus(True))
    (story_id,) = alone.stories["story_id"]
    assert story_id == min(int(g) for g in st._core.global_ids(["s1", 7]))
    by_id = more.stories.set_index("story_id")
    assert sorted(by_id.loc[story_id, "documents"], key=str) == [7, "s1"]
    assert len(more.stories) == 2 and story_id in set(more.documents["story_id"].dropna())
    docs = _by_id(more.documents)
    assert docs.loc["s1", "story_id"] == docs.loc[7, "story_id"] == story_id
    assert pd.isna(docs.loc["lone", "story_id"])
    assert docs.loc["o1", "story_id"] == by_id.index[by_id["documents"].map(lambda m: "o1" in m)][0]


def test_graph_has_the_documents_and_the_links(hand_made, hand_trace):
    g = hand_trace.graph()
    assert isinstance(g, nx.DiGraph)
    assert set(g.nodes) == set(hand_made.corpus.ids)
    expected = {
        (a, b)
        for a in hand_made.reprints
        for b in hand_made.reprints
        if hand_made.published[a] < hand_made.published[b]
    }
    assert set(g.edges) == expected
    edge = g.edges["herald-fire", "post-fire"]
    assert edge["shared_tokens"] == ntokens(hand_made.body)
    assert edge["is_origin"] is True
    assert edge["directed"] is True
    assert g.nodes["post-fire"]["outlet"] == "Evening Post"


def test_graph_marks_siblings_as_undirected(ap_siblings):
    g = st.trace(ap_siblings).graph()
    assert g.number_of_edges() == 1
    ((u, v, data),) = g.edges(data=True)
    assert {u, v} == {"ledger-subway", "times-subway"}
    assert data["directed"] is False
    assert data["direction_evidence"] == "sibling"


def test_show_highlights_the_passage_escaped():
    shared = (
        'Shares of AT&T rose after the <b>regulator</b> said "the merger" may proceed, and analysts at '
        "Smith & Sons called it a turning point for the industry over the next five years or so."
    )
    corpus = st.Corpus()
    corpus.add("Early copy.\n\n" + shared, id="first", outlet="Wire", published="2024-01-01T00:00:00Z")
    corpus.add(
        "A later paper's intro.\n\n" + shared + "\n\nIts own close.",
        id="second",
        outlet="Paper",
        published="2024-01-02T00:00:00Z",
    )
    result = st.trace(corpus)
    view = result.show("second")
    markup = view._repr_html_()
    assert isinstance(markup, str)
    marks = re.findall(r"<mark[^>]*>(.*?)</mark>", markup, flags=re.S)
    assert marks == [html.escape(trimmed(shared))]
    assert "<b>regulator</b>" not in markup
    assert "AT&amp;T" in markup
    # The document with no incoming passage has no highlight.
    assert "<mark" not in result.show("first")._repr_html_()
    with pytest.raises(KeyError):
        result.show("nope")


def test_show_highlights_both_siblings(ap_siblings):
    # Siblings both reprint the agency's copy: each one's view highlights the shared body.
    result = st.trace(ap_siblings)
    body = trimmed(AP_BODY.split("—", 1)[1])
    for doc_id in ("ledger-subway", "times-subway"):
        marks = re.findall(r"<mark[^>]*>(.*?)</mark>", result.show(doc_id)._repr_html_(), flags=re.S)
        assert len(marks) == 1
        assert html.unescape(marks[0]).endswith(body)
        assert "origin: Associated Press" in result.show(doc_id)._repr_html_()
    assert "<mark" not in result.show("times-council")._repr_html_()


def test_to_parquet_writes_the_four_tables(tmp_path, hand_trace):
    paths = hand_trace.to_parquet(tmp_path / "out")
    assert sorted(os.path.basename(p) for p in paths) == [
        "documents.parquet",
        "passages.parquet",
        "sources.parquet",
        "stories.parquet",
    ]
    for name in ("documents", "sources", "passages", "stories"):
        back = pd.read_parquet(tmp_path / "out" / f"{name}.parquet")
        orig = getattr(hand_trace, name)
        assert list(back.columns) == list(orig.columns)
        assert len(back) == len(orig)
        for col in orig.columns:
            assert _plain(back[col]) == _plain(orig[col]), (name, col)


def test_to_parquet_with_mixed_id_types(tmp_path):
    corpus = st.Corpus()
    body = "\n\n".join(WIRE_BODY)
    corpus.add("A: " + body, id=1, published="2024-01-01")
    corpus.add("B: " + body, id="two", published="2024-01-02")
    result = st.trace(corpus)
    result.to_parquet(tmp_path)
    back = pd.read_parquet(tmp_path / "documents.parquet")
    assert back["id"].tolist() == ["1", "two"]
    assert pd.read_parquet(tmp_path / "passages.parquet")["source_id"].tolist() == ["1"]


def test_to_csv_writes_the_four_tables(tmp_path, hand_trace):
    hand_trace.to_csv(tmp_path)
    docs = pd.read_csv(tmp_path / "documents.csv")
    assert docs["id"].tolist() == hand_trace.documents["id"].tolist()
    assert [json.loads(c) for c in docs["credits"]] == hand_trace.documents["credits"].tolist()
    stories = pd.read_csv(tmp_path / "stories.csv")
    assert [sorted(json.loads(d)) for d in stories["documents"]] == [
        sorted(d) for d in hand_trace.stories["documents"]
    ]


def test_to_csv_of_a_trace_without_stories(tmp_path):
    corpus = st.Corpus()
    corpus.add("Nothing shared here at all.", id="a")
    paths = st.trace(corpus).to_csv(tmp_path)
    assert sorted(os.path.basename(p) for p in paths) == [
        "documents.csv",
        "passages.csv",
        "sources.csv",
        "stories.csv",
    ]
    assert len(pd.read_csv(tmp_path / "stories.csv")) == 0


def test_trace_repr_and_summary(hand_trace):
    assert "7 documents" in repr(hand_trace)
    summary = hand_trace.summary()
    assert "herald-fire" in summary and "Daily Herald" in summary


def test_progress_callback_is_called():
    calls = []
    corpus = st.Corpus()
    body = "\n\n".join(WIRE_BODY)
    corpus.add(body, id="a", published="2024-01-01")
    corpus.add(body, id="b", published="2024-01-02")
    st.trace(corpus, progress=lambda stage, done, total: calls.append((stage, done, total)))
    assert calls
    assert all(isinstance(s, str) and 0 <= d <= t for s, d, t in calls)
    # Every stage reports, in pipeline order, and ends complete (a benchmark times stages this way).
    order = [s for i, (s, _, _) in enumerate(calls) if i == 0 or calls[i - 1][0] != s]
    stages = ["tokenize", "boilerplate", "credits", "postings", "candidates", "align", "attribute", "offsets"]
    assert order == stages
    last = {s: (d, t) for s, d, t in calls}
    assert all(d == t for d, t in last.values())


def test_progress_bar(capsys):
    st.trace(st.sample_corpus(), progress=True)
    err = capsys.readouterr().err
    for stage in ("tokenizing", "aligning passages", "computing offsets"):
        assert stage in err
    assert "100%" in err


def test_an_exception_in_the_progress_callback_propagates():
    corpus = st.Corpus()
    corpus.add("a b c d e f g", id="a")

    def boom(stage, done, total):
        raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here"):
        st.trace(corpus, progress=boom)


# ---------------------------------------------------------------------------------------------
# Time-aware attribution, siblings, boilerplate, credits
# ---------------------------------------------------------------------------------------------


def test_undated_reprints_crediting_ap_are_siblings(ap_siblings):
    result = st.trace(ap_siblings)
    src = result.sources
    assert len(src) == 1
    link = src.iloc[0]
    assert {link.source_id, link.target_id} == {"ledger-subway", "times-subway"}
    assert link.direction_evidence == "sibling"
    assert link.agency == "Associated Press"
    assert not link.is_origin
    docs = _by_id(result.documents)
    body_tokens = ntokens(AP_BODY) - ntokens("NEW YORK (AP)")
    for doc_id in ("ledger-subway", "times-subway"):
        assert docs.loc[doc_id, "origin_outlet"] == "Associated Press"
        assert docs.loc[doc_id, "origin_id"] is None
        assert docs.loc[doc_id, "reuse_share"] >= body_tokens / docs.loc[doc_id, "tokens"] - 1e-9
    story = result.stories.iloc[0]
    assert story.origin_outlet == "Associated Press" and story.origin_id is None
    assert (result.passages["direction_evidence"] == "sibling").all()
    assert result.passages["origin_outlet"].tolist() == ["Associated Press"]


def test_mixed_dated_and_undated_reprints_are_still_siblings_under_ap():
    corpus = st.Corpus()
    corpus.add("Head one\n\n" + AP_BODY, id="x", outlet="Paper X", published="2024-04-19T09:00:00Z")
    corpus.add("Head two\n\n" + AP_BODY, id="y", outlet="Paper Y")
    src = st.trace(corpus).sources
    assert src["direction_evidence"].tolist() == ["sibling"]


def test_agency_in_the_corpus_is_the_origin_of_its_reprints():
    corpus = st.Corpus()
    corpus.add("Headline\n\n" + AP_BODY, id="ap", outlet="Associated Press")
    corpus.add("Local headline\n\n" + AP_BODY, id="paper", outlet="Springfield Ledger")
    result = st.trace(corpus)
    link = result.sources.iloc[0]
    assert (link.source_id, link.target_id) == ("ap", "paper")
    assert link.direction_evidence == "credit"
    docs = _by_id(result.documents)
    assert docs.loc["paper", "origin_id"] == "ap"
    assert docs.loc["paper", "origin_outlet"] == "Associated Press"


def test_undated_documents_are_directed_by_containment():
    body = "\n\n".join(WIRE_BODY)
    extra = "\n\n".join(
        [
            "In a statement, the utility company said it had cut power to about nine thousand customers "
            "as a precaution and would restore service once inspectors had checked the lines along the "
            "canyon road.",
            "School districts in the valley cancelled classes for Monday, and the county fair, due to "
            "open on Thursday, was postponed until further notice, organizers said in a post on their "
            "website.",
        ]
    )
    corpus = st.Corpus()
    corpus.add(body + "\n\n" + extra, id="long", outlet="A")
    corpus.add(body, id="short", outlet="B")
    src = st.trace(corpus).sources
    assert len(src) == 1
    link = src.iloc[0]
    # All of "short" is in "long" but not the reverse: "short" is the derived text.
    assert (link.source_id, link.target_id, link.direction_evidence) == ("long", "short", "containment")


def test_equal_evidence_is_reported_undirected():
    body = "\n\n".join(WIRE_BODY)
    corpus = st.Corpus()
    corpus.add(body, id="a", outlet="A")
    corpus.add(body, id="b", outlet="B")
    result = st.trace(corpus)
    assert result.sources["direction_evidence"].tolist() == ["undirected"]
    docs = result.documents
    assert (docs["derivation"] == "none").all()
    assert docs["origin_id"].isna().all()
    assert result.graph().edges[next(iter(result.graph().edges))]["directed"] is False


def test_uncredited_copies_of_an_agency_reprint_are_traced_to_the_agency():
    # x and y both run AP's story (siblings); z copies it without the credit, w copies z.
    body = AP_BODY.split("—", 1)[1].strip()
    corpus = st.Corpus()
    corpus.add("Head X\n\n" + AP_BODY, id="x", outlet="Paper X", published="2024-04-19T09:00:00Z")
    corpus.add("Head Y\n\n" + AP_BODY, id="y", outlet="Paper Y", published="2024-04-19T10:00:00Z")
    corpus.add("Head Z\n\n" + body, id="z", outlet="Paper Z", published="2024-04-19T11:00:00Z")
    corpus.add("Head W\n\n" + body, id="w", outlet="Paper W", published="2024-04-19T12:00:00Z")
    result = st.trace(corpus)
    docs = _by_id(result.documents)
    for doc_id in "xyzw":
        assert docs.loc[doc_id, "origin_outlet"] == "Associated Press", doc_id
        assert docs.loc[doc_id, "origin_id"] is None, doc_id
        assert docs.loc[doc_id, "derivation"] == "wholly", doc_id
    assert docs.loc["z", "credits"] == [] and docs.loc["x", "credits"] == ["Associated Press"]
    story = result.stories.iloc[0]
    assert sorted(story.documents) == ["w", "x", "y", "z"]
    assert story.origin_outlet == "Associated Press"
    src = result.sources.set_index(["source_id", "target_id"])["direction_evidence"]
    assert src.loc[("x", "y")] == "sibling"
    assert src.loc[("z", "w")] == "published"


def test_a_story_reprinted_by_hundreds_of_outlets_is_not_boilerplate():
    rng = random.Random(11)
    story = "\n\n".join(paragraphs(rng, 4, 40))
    corpus = st.Corpus()
    start = pd.Timestamp("2024-05-01T00:00:00Z")
    n = 300
    for k in range(n):
        corpus.add(
            prose(rng, 15) + "\n\n" + story,
            id=f"o{k}",
            outlet=f"Outlet {k}",
            published=start + pd.Timedelta(minutes=k),
        )
    docs = st.trace(corpus).documents
    assert (docs["boilerplate_tokens"] == 0).all()
    assert docs["origin_id"].tolist() == [None] + ["o0"] * (n - 1)
    assert (docs["derivation"].iloc[1:] == "wholly").all()
    assert docs["story_id"].nunique() == 1


def test_footer_repeated_by_one_outlet_is_boilerplate(boilerplate_case):
    result = st.trace(boilerplate_case.corpus)
    docs = _by_id(result.documents)
    footer_tokens = ntokens(FOOTER)
    for doc_id in boilerplate_case.gazette_own:
        assert docs.loc[doc_id, "boilerplate_tokens"] == footer_tokens
        assert docs.loc[doc_id, "derivation"] == "none"
        assert docs.loc[doc_id, "reuse_share"] == 0
        assert pd.isna(docs.loc[doc_id, "story_id"])
    corpus = boilerplate_case.corpus
    for row in result.passages.itertuples(index=False):
        for doc_id, start, end in (
            (row.target_id, row.target_start, row.target_end),
            (row.source_id, row.source_start, row.source_end),
        ):
            assert trimmed(FOOTER) not in corpus[doc_id].text[start:end]
            assert corpus[doc_id].text[start:end] not in FOOTER


def test_footer_without_the_boilerplate_model_is_shared_text(boilerplate_case):
    # The same corpus with the model off: the footer links the Gazette's articles (so the test above
    # would catch a model that learnt nothing).
    result = st.trace(boilerplate_case.corpus, boilerplate_min_docs=0)
    p = result.passages
    footer_only = [
        row
        for row in p.itertuples(index=False)
        if boilerplate_case.corpus[row.target_id].text[row.target_start : row.target_end] == trimmed(FOOTER)
    ]
    assert footer_only
    assert (result.documents["boilerplate_tokens"] == 0).all()


def test_story_printed_once_by_five_outlets_is_found(boilerplate_case):
    result = st.trace(boilerplate_case.corpus)
    docs = _by_id(result.documents)
    first, *later = boilerplate_case.shared_story
    story_ids = {docs.loc[d, "story_id"] for d in boilerplate_case.shared_story}
    assert len(story_ids) == 1 and not pd.isna(next(iter(story_ids)))
    assert docs.loc[first, "derivation"] == "none"
    for doc_id in later:
        assert docs.loc[doc_id, "origin_id"] == first
        assert docs.loc[doc_id, "derivation"] == "wholly"
        assert docs.loc[doc_id, "boilerplate_tokens"] == (ntokens(FOOTER) if doc_id == "story-gazette" else 0)
    p = result.passages
    from_first = p[p.source_id == first]
    assert sorted(from_first.target_id) == sorted(later)
    for row in from_first.itertuples(index=False):
        target = boilerplate_case.corpus[row.target_id].text
        assert target[row.target_start : row.target_end] == trimmed(boilerplate_case.story_text)


def test_containment_counts_text_outside_boilerplate():
    # Four articles of one outlet open with the same sentence (boilerplate); two of them then carry
    # the same story. The pair's passage runs into the opening, so counting its tokens against the
    # text outside boilerplate gave a containment above 1.
    rng = random.Random(1)
    head, story = prose(rng, 25), prose(rng, 60)
    corpus = st.Corpus()
    corpus.add(head + " " + story, id="a", outlet="X", published="2024-01-01T00:00Z")
    corpus.add(head + " " + story, id="b", outlet="X", published="2024-01-02T00:00Z")
    for i in range(2):
        corpus.add(head + " " + prose(rng, 60), id=f"o{i}", outlet="X", published=f"2024-01-0{3 + i}T00:00Z")
    result = st.trace(corpus)
    docs = _by_id(result.documents)
    assert (docs["boilerplate_tokens"] == ntokens(head)).all()
    (link,) = result.sources.itertuples(index=False)
    assert (link.target_id, link.source_id) == ("b", "a")
    assert link.shared_tokens > docs.loc["b", "tokens"] - docs.loc["b", "boilerplate_tokens"]
    assert link.containment == 1.0 and link.source_containment == 1.0
    assert docs.loc["b", "shared_share"] == 1.0


def test_user_credits_extend_the_alias_table():
    text = (
        "MOSCOW (SNA) - The Russian government said on Friday it would extend the grain corridor for "
        "another year."
    )
    corpus = st.Corpus()
    corpus.add(text, id="s")
    assert "SNA" not in st.default_credits()
    assert _by_id(st.trace(corpus).documents).loc["s", "credits"] == []
    for credits in ({"SNA": "Sputnik"}, {"(SNA)": "Sputnik"}):
        docs = _by_id(st.trace(corpus, credits=credits).documents)
        assert docs.loc["s", "credits"] == ["Sputnik"]
        assert docs.loc["s", "origin_outlet"] == "Sputnik"
        assert docs.loc["s", "origin_evidence"] == "credit"


def test_user_credits_can_name_a_new_agency_that_makes_siblings():
    body = AP_BODY.replace("NEW YORK (AP) —", "MOSCOW (SNA) -")
    corpus = st.Corpus()
    corpus.add("One\n\n" + body, id="a", outlet="Paper A")
    corpus.add("Two\n\n" + body, id="b", outlet="Paper B")
    src = st.trace(corpus, credits={"SNA": "Sputnik"}).sources
    assert src["direction_evidence"].tolist() == ["sibling"]
    assert src["agency"].tolist() == ["Sputnik"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("WASHINGTON (AP) — The Senate voted on Tuesday to pass the bill.", ["Associated Press"]),
        ("LONDON (Reuters) - Britain's economy grew faster than expected.", ["Reuters"]),
        ("ANKARA (AA) - Turkey said on Friday it would reopen the border.", ["Anadolu Agency"]),
        ("Talks resumed.\n\nCopyright 2024 Thomson Reuters. All rights reserved.", ["Reuters"]),
        ("Talks resumed.\n\n© 2024 The Associated Press. All rights reserved.", ["Associated Press"]),
        (
            "اسلام آباد (اے پی پی) وزیراعظم نے کہا کہ حکومت اصلاحات جاری رکھے گی",
            ["Associated Press of Pakistan"],
        ),
        ("The ministry confirmed the figures on Monday. (AFP)", ["Agence France-Presse"]),
        ("BEIJING, April 19 (Xinhua) -- China called for restraint.", ["Xinhua"]),
        ("WASHINGTON (AP) — Text.\n\nCopyright 2024 Thomson Reuters.", ["Associated Press", "Reuters"]),
        ("According to Reuters, the talks failed on Monday.", []),
        ("Officials told the AP that the plan (AP) was sound.", []),
        ("The report by CBS News (CBS) said the strike was limited.", []),
        ("Syrian media reports say air defenses were activated.", []),
    ],
)
def test_credits_in_a_text(text, expected):
    corpus = st.Corpus()
    corpus.add(text, id="t")
    assert st.trace(corpus).documents["credits"].iloc[0] == expected


def test_default_credits_is_a_copy():
    credits = st.default_credits()
    assert credits["AP"] == "Associated Press" and credits["Reuters"] == "Reuters"
    credits["AP"] = "changed"
    assert st.default_credits()["AP"] == "Associated Press"


# ---------------------------------------------------------------------------------------------
# compare()
# ---------------------------------------------------------------------------------------------


def test_compare_fields():
    body = "\n\n".join(WIRE_BODY[:2])
    a = "Intro of A.\n\n" + body
    b = body + "\n\nA longer closing paragraph that only B has, with several words that A never uses at all."
    cmp = st.compare(a, b)
    assert isinstance(cmp, st.Comparison)
    shared = ntokens(body)
    assert cmp.a_in_b == pytest.approx(shared / ntokens(a))
    assert cmp.b_in_a == pytest.approx(shared / ntokens(b))
    assert 0 < cmp.jaccard < 1
    assert list(cmp.passages.columns[:5]) == ["a_start", "a_end", "b_start", "b_end", "tokens"]
    assert len(cmp.passages) == 1
    p = cmp.passages.iloc[0]
    assert a[p.a_start : p.a_end] == trimmed(body) == b[p.b_start : p.b_end]
    assert p.tokens == shared


def test_compare_of_unrelated_texts():
    from conftest import UNRELATED

    cmp = st.compare(UNRELATED[0], UNRELATED[1])
    assert cmp.a_in_b == 0 and cmp.b_in_a == 0 and cmp.jaccard == 0
    assert cmp.passages.empty
    assert list(cmp.passages.columns[:5]) == ["a_start", "a_end", "b_start", "b_end", "tokens"]


def test_compare_html_repr_shows_both_sides_escaped():
    body = "\n\n".join(WIRE_BODY[:2]) + " <script>alert(1)</script> & more"
    cmp = st.compare("A: " + body, "B: " + body)
    markup = cmp._repr_html_()
    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup
    assert markup.count("<mark") == 2
    assert "A: " in markup and "B: " in markup


def test_compare_options():
    text_a = "one two three four five six seven"
    text_b = "zero one two three four five six seven eight"
    assert st.compare(text_a, text_b).passages.empty  # shorter than min_tokens=15
    cmp = st.compare(text_a, text_b, ngram=3, min_tokens=5)
    assert len(cmp.passages) == 1 and cmp.a_in_b == 1.0


# ---------------------------------------------------------------------------------------------
# Index
# ---------------------------------------------------------------------------------------------


def test_index_query_finds_the_sources(hand_made):
    index = st.Index()
    index.add(hand_made.corpus)
    assert len(index) == len(hand_made.corpus)
    hits = index.query(hand_made.texts["review-fire"], top=20)
    assert isinstance(hits, pd.DataFrame)
    for col in ("source_id", "source_outlet", "shared_tokens", "containment", "spans"):
        assert col in hits.columns
    assert set(hits["source_id"]) == set(hand_made.reprints)
    query = hand_made.texts["review-fire"]
    for row in hits.itertuples(index=False):
        assert row.source_outlet == hand_made.outlets[row.source_id]
        source = hand_made.texts[row.source_id]
        for qs, qe, ss, se in row.spans:
            assert query[qs:qe] == source[ss:se]


def test_index_query_with_published_leaves_later_documents_out(hand_made):
    index = st.Index()
    index.add(hand_made.corpus)
    query = hand_made.texts["review-fire"]
    when = hand_made.published["herald-fire"] + pd.Timedelta(minutes=30)
    hits = index.query(query, published=when, top=20)
    assert set(hits["source_id"]) == {d for d in hand_made.reprints if hand_made.published[d] <= when}
    assert set(hits["source_id"]) == {"herald-fire"}
    assert hits["earlier"].all()
    assert (hits["source_published"] <= when).all()


@pytest.mark.parametrize("original_first", [True, False])
def test_index_query_finds_the_earlier_source_among_many_later_copies(original_first):
    # The only document older than the query is crowded by a hundred later copies of its text.
    body = "\n\n".join(WIRE_BODY)
    corpus = st.Corpus()
    copies = [(f"Copy {i}: " + body, f"copy{i}", "2024-02-01") for i in range(100)]
    original = [("Original: " + body, "orig", "2024-01-01")]
    for text, doc_id, when in original + copies if original_first else copies + original:
        corpus.add(text, id=doc_id, published=when)
    index = st.Index()
    index.add(corpus)
    hits = index.query(body, published="2024-01-15", top=1)
    assert hits["source_id"].tolist() == ["orig"]
    assert len(index.query(body, top=5)) == 5


def test_index_query_of_unrelated_text_is_empty(hand_made):
    index = st.Index()
    index.add(hand_made.corpus)
    hits = index.query("Nothing like any of the documents in the index, only a few words of its own here.")
    assert hits.empty
    assert "source_id" in hits.columns


def test_index_add_rejects_known_ids(hand_made):
    index = st.Index()
    index.add(hand_made.corpus)
    with pytest.raises(ValueError, match="unique"):
        index.add(hand_made.corpus)


def test_index_query_scores_and_ranks_the_sources(hand_made):
    # Scores are shares of the query's tokens, and the best source comes first. (This caught
    # QueryHit counters that were never zeroed in the core: each hit added up its predecessors'.)
    index = st.Index()
    index.add(hand_made.corpus)
    query = hand_made.texts["review-fire"]
    hits = index.query(query, top=20)
    tokens = ntokens(query)
    assert (hits["shared_tokens"] <= tokens).all()
    assert hits["containment"].between(0, 1).all()
    assert hits["source_containment"].between(0, 1).all()
    # The document itself holds all of it, the copy it was taken from its intro and body, the
    # first document the body, the partial reprint three paragraphs.
    expected = {
        "review-fire": tokens,
        "post-fire": hand_made.copied_tokens["review-fire"],
        "herald-fire": ntokens(hand_made.body),
        "star-fire": hand_made.copied_tokens["star-fire"],
    }
    assert hits["source_id"].tolist() == sorted(expected, key=lambda d: -expected[d])
    assert hits["shared_tokens"].tolist() == sorted(expected.values(), reverse=True)
    assert hits["containment"].tolist() == pytest.approx(
        [v / tokens for v in sorted(expected.values(), reverse=True)]
    )
    assert index.query(query, top=2)["source_id"].tolist() == ["review-fire", "post-fire"]


# ---------------------------------------------------------------------------------------------
# tokenize()
# ---------------------------------------------------------------------------------------------


def test_tokenize_gives_normalized_tokens_with_offsets():
    text = "Iran’s “DRONES” — ﬁne, Straße! 東京"
    toks = st.tokenize(text)
    assert list(toks.columns[:3]) == ["start", "end", "token"]
    assert toks["token"].tolist()[:4] == ["iran's", "drones", "fine", "strasse"]
    assert toks["token"].tolist()[-1] == "東京"
    for row in toks.itertuples(index=False):
        assert (
            text.encode("utf-8")[row.byte_start : row.byte_end].decode("utf-8") == text[row.start : row.end]
        )
    assert text[toks.start[0] : toks.end[0]] == "Iran’s"


def test_tokenize_skips_punctuation_and_spaces():
    assert st.tokenize(" ,.;!? — \n\t").empty
    assert st.tokenize("").empty


def test_one_index_serves_several_threads(hand_made):
    import threading

    index = st.Index()
    index.add(hand_made.corpus)
    query = hand_made.texts["post-fire"]
    expected = index.query(query)["source_id"].tolist()
    errors: list[BaseException] = []
    stop = threading.Event()

    def ask() -> None:
        try:
            while not stop.is_set():
                got = index.query(query)["source_id"].tolist()
                assert got[: len(expected)] == expected
        except BaseException as e:
            errors.append(e)

    askers = [threading.Thread(target=ask) for _ in range(2)]
    for t in askers:
        t.start()
    for k in range(30):
        extra = st.Corpus()
        extra.add(f"unrelated filler text number {k} " * 20, id=f"extra-{k}")
        index.add(extra)
    stop.set()
    for t in askers:
        t.join()
    assert not errors
    assert len(index) == len(hand_made.corpus) + 30
