"""Bad input gives a clear TypeError/ValueError; odd but valid input is handled; nothing is dropped."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

import storytrace as st
from conftest import VOCABULARY, WIRE_BODY, ntokens, trimmed

BODY = "\n\n".join(WIRE_BODY)


def _ids(result: st.Trace) -> list:
    return result.documents["id"].tolist()


# ---------------------------------------------------------------------------------------------
# Wrong types
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [5, 3.5, None, ["a list"], {"text": "x"}])
def test_text_must_be_a_str(text):
    corpus = st.Corpus()
    with pytest.raises(TypeError, match="must be a str"):
        corpus.add(text)
    assert len(corpus) == 0


@pytest.mark.parametrize("doc_id", [1.5, ["a"], ("a",), True, {"a": 1}])
def test_id_must_be_a_str_or_an_int(doc_id):
    with pytest.raises(TypeError, match="id"):
        st.Corpus().add("text", id=doc_id)


def test_integral_float_ids_from_pandas_are_ints():
    # pandas stores an int id column with a missing value as floats.
    df = pd.DataFrame({"id": [7, None, 9], "text": ["a", "b", "c"]})
    with pytest.raises(ValueError, match="missing id"):
        st.Corpus.from_pandas(df)
    corpus = st.Corpus.from_pandas(df.dropna())
    assert corpus.ids == [7, 9] and all(type(i) is int for i in corpus.ids)


def test_automatic_ids_skip_ids_given_later_in_the_batch():
    corpus = st.Corpus()
    ids = corpus.extend([{"text": "a"}, {"text": "b", "id": 0}])
    assert ids == [1, 0]
    assert corpus[1].text == "a" and corpus[0].text == "b"


def test_unix_milliseconds_are_refused_with_a_hint():
    with pytest.raises(ValueError, match="milliseconds"):
        st.Corpus().add("text", published=1713500000000)


def test_ids_that_differ_only_in_type_cannot_be_exported(tmp_path):
    corpus = st.Corpus()
    corpus.add("one text", id=0)
    corpus.add("another text", id="0")
    result = st.trace(corpus)
    with pytest.raises(ValueError, match="differ only in type"):
        result.to_parquet(tmp_path / "out")
    with pytest.raises(ValueError, match="differ only in type"):
        result.to_csv(tmp_path / "out")


@pytest.mark.parametrize("outlet", [3, ["Reuters"], b"Reuters"])
def test_outlet_must_be_a_str(outlet):
    with pytest.raises(TypeError, match="outlet"):
        st.Corpus().add("text", outlet=outlet)


def test_title_and_url_must_be_str():
    with pytest.raises(TypeError, match="title"):
        st.Corpus().add("text", title=5)
    with pytest.raises(TypeError, match="url"):
        st.Corpus().add("text", url=5)


@pytest.mark.parametrize("published", [True, [2024], object()])
def test_published_of_a_wrong_type(published):
    with pytest.raises(TypeError, match="published"):
        st.Corpus().add("text", published=published)


@pytest.mark.parametrize("corpus", [None, [{"text": "x"}], pd.DataFrame({"text": ["x"]}), "text"])
def test_trace_needs_a_corpus(corpus):
    with pytest.raises(TypeError, match="Corpus"):
        st.trace(corpus)


@pytest.mark.parametrize(
    "name, value",
    [
        ("ngram", "5"),
        ("ngram", 5.0),
        ("ngram", True),
        ("min_tokens", None),
        ("wholly", "0.5"),
        ("threads", 1.0),
    ],
)
def test_options_of_a_wrong_type(name, value):
    corpus = st.Corpus()
    corpus.add("text")
    with pytest.raises(TypeError, match=name):
        st.trace(corpus, **{name: value})


def test_compare_and_index_check_types_too():
    with pytest.raises(TypeError):
        st.compare(5, "text")
    with pytest.raises(TypeError):
        st.compare("text", None)
    with pytest.raises(TypeError, match="ngram"):
        st.compare("a", "b", ngram="5")
    with pytest.raises(TypeError):
        st.Index().add([{"text": "x"}])
    with pytest.raises(TypeError):
        st.Index().query(12345)
    with pytest.raises(TypeError):
        st.tokenize(5)


def test_extend_with_wrong_types():
    corpus = st.Corpus()
    with pytest.raises(TypeError):
        corpus.extend("not records")
    with pytest.raises(TypeError):
        corpus.extend({"text": "one record"})
    with pytest.raises(TypeError, match="record #1"):
        corpus.extend([{"text": "ok"}, "not a dict"])
    assert len(corpus) == 0


def test_credits_of_a_wrong_type():
    corpus = st.Corpus()
    corpus.add("text")
    with pytest.raises(TypeError, match="credits"):
        st.trace(corpus, credits=[("SNA", "Sputnik")])
    with pytest.raises(TypeError, match="credits"):
        st.trace(corpus, credits={"SNA": 5})


# ---------------------------------------------------------------------------------------------
# Bad values: ValueError with a message that says what to do
# ---------------------------------------------------------------------------------------------


def test_lone_surrogate():
    corpus = st.Corpus()
    with pytest.raises(ValueError, match=r"lone surrogate at position 3.*encode\('utf-8', 'replace'\)"):
        corpus.add("abc\ud800def", id="bad")
    assert len(corpus) == 0
    with pytest.raises(ValueError, match="surrogate"):
        st.compare("ok", "\udfff")
    with pytest.raises(ValueError, match="surrogate"):
        st.tokenize("x\ud800")
    with pytest.raises(ValueError, match="surrogate"):
        st.Index().query("\ud800")


def test_invalid_utf8_bytes():
    corpus = st.Corpus()
    with pytest.raises(ValueError, match=r"not valid UTF-8 \(byte 2.*errors='replace'"):
        corpus.add(b"ab\xff\xfecd", id="bad")
    with pytest.raises(ValueError, match="UTF-8"):
        corpus.add(b"\xed\xa0\x80", id="encoded-surrogate")
    with pytest.raises(ValueError, match="UTF-8"):
        corpus.add(b"\xc0\xaf", id="overlong")
    assert len(corpus) == 0
    # Valid UTF-8 bytes are decoded.
    assert corpus.add("Zürich 東京".encode(), id="ok") == "ok"
    assert corpus["ok"].text == "Zürich 東京"


def test_invalid_utf8_in_a_jsonl_file(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"id": "a", "text": "fine"}\n{"id": "b", "text": "caf\xe9"}\n')
    with pytest.raises(ValueError):
        st.read_jsonl(path)


def test_duplicate_id_in_add():
    corpus = st.Corpus()
    corpus.add("first", id="x")
    with pytest.raises(ValueError, match="duplicate id 'x'"):
        corpus.add("second", id="x")
    corpus.add("one", id=1)
    with pytest.raises(ValueError, match="duplicate id 1"):
        corpus.add("again", id=np.int64(1))
    assert len(corpus) == 2 and corpus["x"].text == "first"
    # 1 and "1" are different ids.
    assert corpus.add("str one", id="1") == "1"


def test_duplicate_id_inside_one_extend_adds_nothing():
    corpus = st.Corpus()
    corpus.add("before", id="a")
    records = [{"id": "b", "text": "one"}, {"id": "c", "text": "two"}, {"id": "b", "text": "three"}]
    with pytest.raises(ValueError, match="duplicate id 'b'"):
        corpus.extend(records)
    assert corpus.ids == ["a"]
    with pytest.raises(ValueError, match="duplicate id 'a'"):
        corpus.extend([{"id": "z", "text": "new"}, {"id": "a", "text": "clash with an earlier add"}])
    assert corpus.ids == ["a"]
    with pytest.raises(ValueError, match="duplicate id"):
        corpus.extend(pd.DataFrame({"id": ["p", "p"], "text": ["x", "y"]}))
    assert corpus.ids == ["a"]


@pytest.mark.parametrize(
    "bad",
    [
        {"id": "b", "text": "bad \ud800"},
        {"id": "b", "text": b"\xff"},
        {"id": "b", "text": "x", "published": "not a date"},
        {"id": "b", "text": "x", "outlet": 5},
        {"id": "b"},
        {"id": "b", "text": "x", "colour": "red"},
    ],
)
def test_a_failing_extend_adds_nothing(bad):
    corpus = st.Corpus()
    corpus.add("before", id="a")
    with pytest.raises((TypeError, ValueError)):
        corpus.extend([{"id": "ok1", "text": "fine"}, bad, {"id": "ok2", "text": "fine too"}])
    assert corpus.ids == ["a"]
    corpus.extend([{"id": "ok1", "text": "fine"}])  # the good records can still be added
    assert corpus.ids == ["a", "ok1"]


@pytest.mark.parametrize("published", ["not a date", "2024-13-45", "yesterday-ish", "2024-04-31"])
def test_unparseable_date(published):
    corpus = st.Corpus()
    with pytest.raises(ValueError, match=r"could not be read as a date.*ISO 8601"):
        corpus.add("text", id="d", published=published)
    assert len(corpus) == 0


@pytest.mark.parametrize("published", [float("inf"), float("-inf")])
def test_infinite_date(published):
    with pytest.raises(ValueError, match="published"):
        st.Corpus().add("text", published=published)


def test_ngram_zero():
    corpus = st.Corpus()
    corpus.add("text")
    with pytest.raises(ValueError, match="ngram must be at least 1"):
        st.trace(corpus, ngram=0)
    with pytest.raises(ValueError, match="ngram must be at least 1"):
        st.compare("a", "b", ngram=0)
    with pytest.raises(ValueError, match="ngram must be at least 1"):
        st.Index(ngram=0)
    with pytest.raises(ValueError, match="ngram must be at most 64"):
        st.trace(corpus, ngram=65)


def test_min_tokens_below_ngram():
    corpus = st.Corpus()
    corpus.add("text")
    with pytest.raises(ValueError, match=r"min_tokens \(3\) must be at least ngram \(5\)"):
        st.trace(corpus, ngram=5, min_tokens=3)
    with pytest.raises(ValueError, match="min_tokens"):
        st.compare("a", "b", ngram=8, min_tokens=4)
    # A larger ngram alone raises min_tokens with it.
    assert st.compare("a", "b", ngram=20).passages.empty


@pytest.mark.parametrize(
    "name, value",
    [
        ("wholly", 0.0),
        ("wholly", 1.5),
        ("boilerplate_min_share", -0.1),
        ("threads", -1),
        ("fanout", 0),
        ("min_shared", 0),
    ],
)
def test_option_out_of_range(name, value):
    corpus = st.Corpus()
    corpus.add("text")
    with pytest.raises(ValueError, match=name):
        st.trace(corpus, **{name: value})


@pytest.mark.parametrize("call", ["trace", "compare", "index"])
def test_unknown_option_suggests_the_right_one(call):
    corpus = st.Corpus()
    corpus.add("text")
    with pytest.raises(ValueError, match=r"unknown option 'ngrams'\. Did you mean 'ngram'\?"):
        if call == "trace":
            st.trace(corpus, ngrams=5)
        elif call == "compare":
            st.compare("a", "b", ngrams=5)
        else:
            st.Index(ngrams=5)


def test_unknown_option_without_a_close_match_lists_the_known_ones():
    corpus = st.Corpus()
    corpus.add("text")
    with pytest.raises(ValueError, match=r"unknown option 'zzz'\. Known options: .*ngram"):
        st.trace(corpus, zzz=1)


def test_progress_of_a_wrong_type():
    corpus = st.Corpus()
    corpus.add("text")
    with pytest.raises(TypeError, match="progress"):
        st.trace(corpus, progress=5)


# ---------------------------------------------------------------------------------------------
# Odd but valid input
# ---------------------------------------------------------------------------------------------


def test_empty_and_whitespace_texts():
    corpus = st.Corpus()
    corpus.add("", id="empty")
    corpus.add("   \n\t\r\n  \u00a0\u2003", id="blank")
    corpus.add(".,;:!? — …", id="punctuation")
    corpus.add(BODY, id="body", published="2024-01-01")
    corpus.add(BODY, id="copy", published="2024-01-02")
    result = st.trace(corpus)
    docs = result.documents.set_index("id")
    for doc_id in ("empty", "blank", "punctuation"):
        assert docs.loc[doc_id, "tokens"] == 0
        assert docs.loc[doc_id, "derivation"] == "none"
        assert docs.loc[doc_id, "reuse_share"] == 0
    assert docs.loc["copy", "derivation"] == "wholly"
    assert _ids(result) == ["empty", "blank", "punctuation", "body", "copy"]
    cmp = st.compare("", "   ")
    assert (cmp.a_in_b, cmp.b_in_a, cmp.jaccard) == (0.0, 0.0, 0.0)


def test_nul_characters():
    shared = BODY.replace("Friday", "Fri\x00day", 1).replace(". ", ".\x00 ", 1)
    assert "\x00" in shared
    a = "\x00\x00 Intro of the first.\n\n" + shared
    b = "Second intro \x00 here.\n\n" + shared + "\n\x00"
    corpus = st.Corpus()
    corpus.add(a, id="a", published="2024-01-01")
    corpus.add(b, id="b", published="2024-01-02")
    result = st.trace(corpus)
    row = result.passages.iloc[0]
    assert a[row.source_start : row.source_end] == trimmed(shared)
    assert b[row.target_start : row.target_end] == trimmed(shared)
    assert result.documents.set_index("id").loc["a", "tokens"] == ntokens(a) > 0


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NaT, "", "   ", np.datetime64("NaT")])
def test_missing_dates(missing):
    corpus = st.Corpus()
    corpus.add("Undated " + BODY, id="undated", published=missing)
    corpus.add("Dated " + BODY, id="dated", published="2024-04-19T09:00:00Z")
    assert corpus["undated"].published is None
    result = st.trace(corpus)
    docs = result.documents.set_index("id")
    assert pd.isna(docs.loc["undated", "published"])
    assert docs.loc["dated", "published"] == pd.Timestamp("2024-04-19T09:00:00Z")
    assert len(result.sources) == 1  # still linked, by other evidence than time
    assert result.sources["direction_evidence"].iloc[0] != "published"


def test_missing_dates_in_a_dataframe():
    df = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "text": ["one", "two", "three"],
            "published": [pd.Timestamp("2024-01-01", tz="UTC"), pd.NaT, None],
        }
    )
    corpus = st.Corpus.from_pandas(df)
    assert [d.published for d in corpus][1:] == [None, None]


@pytest.mark.parametrize(
    "earlier, later",
    [
        ("2024-04-19T10:00:00+02:00", "2024-04-19T09:00:00Z"),  # 08:00 UTC before 09:00 UTC
        ("2024-04-19T12:00:00+05:00", "2024-04-19T09:00:00-05:00"),  # 07:00 UTC before 14:00 UTC
        (dt.datetime(2024, 4, 19, 9, tzinfo=dt.timezone(dt.timedelta(hours=9))), "2024-04-19T01:00:00Z"),
        ("2024-04-19T08:30:00", pd.Timestamp("2024-04-19T10:00:00+01:00")),  # naive is UTC
    ],
)
def test_mixed_time_zones_compare_in_utc(earlier, later):
    e, late = pd.Timestamp(earlier), pd.Timestamp(later)
    e = e.tz_localize("UTC") if e.tzinfo is None else e
    late = late.tz_localize("UTC") if late.tzinfo is None else late
    assert e < late  # the table above is right
    corpus = st.Corpus()
    # The later one is added first, and the wall-clock reading of the earlier one is later.
    corpus.add("Second take: " + BODY, id="later", published=later, outlet="B")
    corpus.add("First take: " + BODY, id="earlier", published=earlier, outlet="A")
    result = st.trace(corpus)
    link = result.sources.iloc[0]
    assert (link.source_id, link.target_id, link.direction_evidence) == ("earlier", "later", "published")
    docs = result.documents.set_index("id")
    assert docs.loc["later", "origin_id"] == "earlier"
    assert docs.loc["earlier", "published"] == e.tz_convert("UTC")


def test_the_two_zones_of_the_brief():
    corpus = st.Corpus()
    corpus.add("Z: " + BODY, id="z", published="2024-04-19T09:00:00Z")
    corpus.add("Plus two: " + BODY, id="plus2", published="2024-04-19T10:00:00+02:00")
    link = st.trace(corpus).sources.iloc[0]
    assert (link.source_id, link.target_id) == ("plus2", "z")


def test_unix_seconds_and_datetimes():
    corpus = st.Corpus()
    corpus.add("x", id="secs", published=1713517200)  # 2024-04-19T09:00:00Z
    corpus.add("y", id="dt", published=dt.datetime(2024, 4, 19, 9, 0))
    corpus.add("z", id="date", published=dt.date(2024, 4, 19))
    corpus.add("w", id="np", published=np.datetime64("2024-04-19T09:00:00"))
    assert corpus["secs"].published == pd.Timestamp("2024-04-19T09:00:00Z")
    assert corpus["dt"].published == pd.Timestamp("2024-04-19T09:00:00Z")
    assert corpus["date"].published == pd.Timestamp("2024-04-19T00:00:00Z")
    assert corpus["np"].published == pd.Timestamp("2024-04-19T09:00:00Z")


def test_a_bad_document_never_makes_another_disappear():
    corpus = st.Corpus()
    added = [corpus.add("First " + BODY, id="first", published="2024-01-01")]
    for bad in (
        {"text": "bad \ud800", "id": "s"},
        {"text": b"\xff", "id": "u"},
        {"text": 5, "id": "t"},
        {"text": "x", "id": "first"},
        {"text": "x", "id": "d", "published": "garbage"},
    ):
        with pytest.raises((TypeError, ValueError)):
            corpus.add(**bad)
        with pytest.raises((TypeError, ValueError)):
            corpus.extend([{"text": "good", "id": f"good-{len(added)}"}, bad])
        added.append(
            corpus.add("Copy " + BODY, id=f"after-{len(added)}", published=f"2024-01-0{len(added) + 1}")
        )
    added += corpus.extend([{"text": ""}, {"text": "\x00"}, {"text": "   "}, {"text": "tiny"}])
    result = st.trace(corpus)
    assert _ids(result) == added
    docs = result.documents.set_index("id")
    assert (docs.loc[[a for a in added if str(a).startswith("after")], "origin_id"] == "first").all()


# ---------------------------------------------------------------------------------------------
# Large input
# ---------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_50_mb_document():
    rng = np.random.default_rng(50)
    vocabulary = np.asarray(VOCABULARY)
    words = vocabulary[rng.integers(0, len(vocabulary), 6_200_000)].tolist()
    big = " ".join(words)
    assert len(big.encode("utf-8")) >= 50_000_000
    middle = len(words) // 2
    quoted_words = words[middle : middle + 60]
    quoted = " ".join(quoted_words)
    corpus = st.Corpus()
    corpus.add(big, id="big", outlet="Archive", published="2024-01-01")
    corpus.add(
        "A short piece quoting the archive: " + quoted + ". Nothing else.",
        id="small",
        outlet="Blog",
        published="2024-01-02",
    )
    result = st.trace(corpus, threads=2)
    docs = result.documents.set_index("id")
    assert docs.loc["big", "tokens"] == len(words)
    assert result.passages["source_id"].tolist() == ["big"]
    row = result.passages.iloc[0]
    assert big[row.source_start : row.source_end] == quoted
    assert row.source_start == len(" ".join(words[:middle])) + 1
    assert big.encode("utf-8")[row.source_byte_start : row.source_byte_end].decode() == quoted
    assert docs.loc["small", "origin_id"] == "big"


@pytest.mark.slow
def test_a_single_5_mb_token():
    token = "a" * 5_000_000
    corpus = st.Corpus()
    corpus.add(token, id="one")
    corpus.add("before " + token + " after", id="three")
    corpus.add("Ж" * 5_000_000, id="cyrillic")
    result = st.trace(corpus)
    docs = result.documents.set_index("id")
    assert docs.loc["one", "tokens"] == 1
    assert docs.loc["three", "tokens"] == 3
    assert docs.loc["cyrillic", "tokens"] == 1
    assert (docs["derivation"] == "none").all()
    toks = st.tokenize("before " + token + " after")
    assert toks["end"].tolist() == [6, 7 + len(token), 7 + len(token) + 6]


@pytest.mark.slow
def test_100000_tiny_documents():
    n = 100_000
    corpus = st.Corpus()
    ids = corpus.extend({"id": f"t{i}", "text": f"tiny {i}", "outlet": f"o{i % 7}"} for i in range(n))
    assert ids == [f"t{i}" for i in range(n)]
    result = st.trace(corpus)
    docs = result.documents
    assert docs["id"].tolist() == ids
    assert (docs["tokens"] == 2).all()
    assert (docs["derivation"] == "none").all()
    assert result.passages.empty


def test_many_documents_sharing_one_stock_phrase_are_not_linked():
    # A phrase shorter than min_tokens in hundreds of documents is not reuse.
    corpus = st.Corpus()
    rng = np.random.default_rng(3)
    for i in range(300):
        words = rng.choice(VOCABULARY, 40).tolist()
        corpus.add("Officials said on Friday that " + " ".join(words), id=i)
    result = st.trace(corpus)
    assert result.passages.empty
    assert not math.isnan(result.documents["reuse_share"].sum())


@pytest.mark.parametrize("value", [2**64, 2**70, -(2**64)])
def test_an_int_option_beyond_64_bits_is_a_value_error(value):
    with pytest.raises(ValueError, match=r"fanout must be at (most|least)"):
        st.trace(st.sample_corpus(), fanout=value)
    with pytest.raises(ValueError, match=r"ngram must be at (most|least)"):
        st.compare("a", "b", ngram=value)


def test_numpy_scalars_are_options_of_their_kind():
    result = st.trace(st.sample_corpus(), rewrites=np.True_, ngram=np.int64(5), wholly=np.float32(0.7))
    assert result.options["rewrites"] is True and result.options["ngram"] == 5
    assert st.compare("a b", "a b", rewrites=np.False_).passages.empty
    with pytest.raises(TypeError, match="rewrites must be True or False"):
        st.compare("a", "b", rewrites="yes")
    with pytest.raises(TypeError, match="ngram must be an int, not float"):
        st.trace(st.sample_corpus(), ngram=5.0)
    with pytest.raises(TypeError, match="wholly must be a number, not str"):
        st.trace(st.sample_corpus(), wholly="0.5")


@pytest.mark.parametrize("field", ["outlet", "title", "url"])
def test_a_lone_surrogate_in_a_field_names_the_field_and_document(field):
    corpus = st.Corpus()
    with pytest.raises(ValueError, match=rf"the {field} of document 'd' is not valid Unicode"):
        corpus.add("some text", id="d", **{field: "Daily \ud800"})
    assert len(corpus) == 0


def test_a_lone_surrogate_in_a_credit_alias_is_a_value_error():
    with pytest.raises(ValueError, match=r"credit alias .* not valid Unicode"):
        st.trace(st.sample_corpus(), credits={"SNA\udc00": "Sputnik"})
    with pytest.raises(ValueError, match=r"agency name .* not valid Unicode"):
        st.trace(st.sample_corpus(), credits={"SNA": "Sputnik\udc00"})


def test_deeply_nested_json_names_its_line(tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text('{"text": "fine"}\n' + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"deep\.jsonl, line 2: JSON nested too deeply"):
        st.read_jsonl(path)


@pytest.mark.parametrize("bad_line", [2, 3])
def test_a_csv_row_with_an_unquoted_separator_names_its_line(tmp_path, bad_line):
    rows = ["1,hello world,Daily", "2,hello world,Weekly"]
    rows[bad_line - 2] = rows[bad_line - 2].replace("hello world", "hello, world")
    path = tmp_path / "corpus.csv"
    path.write_text("id,text,outlet\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"corpus\.csv, line {bad_line}: 4 fields where the header has 3"):
        st.read_csv(path)
    # A missing trailing field is only missing, and a quoted separator is text.
    path.write_text('id,text,outlet\n1,"hello, world",Daily\n2,hello world\n', encoding="utf-8")
    docs = st.read_csv(path).to_pandas()
    assert docs["text"].tolist() == ["hello, world", "hello world"]
    assert docs["outlet"].tolist() == ["Daily", None]
