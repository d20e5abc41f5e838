"""Property tests: the C++ core against the naive pure-Python reference (reference.py)."""

from __future__ import annotations

import collections
import random

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as hs

import reference as ref
import storytrace as st
from storytrace import _core

# Example counts come from the Hypothesis profile (see conftest.py).
PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

# A small alphabet of words, so that repeated tokens and shingles happen; it mixes scripts, case,
# typographic variants that normalize alike ("it's" / "it’s", "ÜBER" / "über") and a ligature.
SMALL_WORDS = [
    "alpha",
    "beta",
    "Beta",
    "gamma",
    "über",
    "ÜBER",
    "東京",
    "мир",
    "it's",
    "it’s",
    "ﬁne",
    "fine",
    "42",
]
SEPARATORS = [" ", " ", " ", ", ", ". ", "\n", "\n\n", " — ", " (", ") ", "; ", " « ", " » ", "\t"]

small_texts = hs.builds(
    lambda words, seps: "".join(w + s for w, s in zip(words, seps)),
    hs.lists(hs.sampled_from(SMALL_WORDS), max_size=40),
    hs.lists(hs.sampled_from(SEPARATORS), min_size=40, max_size=40),
)
any_texts = hs.text(max_size=300)
texts = hs.one_of(any_texts, small_texts)


def _words_of(text: str) -> list[str]:
    return ref.tokens(text)


# ---------------------------------------------------------------------------------------------
# Shingles
# ---------------------------------------------------------------------------------------------


@PROPERTY
@given(texts, hs.integers(1, 8))
def test_shingle_hashes_equal_the_reference(text, n):
    got = [int(h) for h in _core.shingle_hashes(text, n)]
    assert got == ref.shingles(text, n)


@PROPERTY
@given(hs.lists(hs.sampled_from(SMALL_WORDS), min_size=1, max_size=30), hs.integers(1, 8))
def test_shingle_count_is_tokens_minus_ngram_plus_one(words, n):
    text = " ".join(words)
    assert len(_core.shingle_hashes(text, n)) == max(0, len(ref.tokens(text)) - n + 1)


def test_shingle_hash_is_the_documented_definition():
    # One value worked out by hand from the definition, independent of the tokenizer.
    text = "Israel’s strike, reported THURSDAY"
    assert ref.tokens(text) == ["israel's", "strike", "reported", "thursday"]
    assert [int(h) for h in _core.shingle_hashes(text, 4)] == [
        ref.shingle_hash(["israel's", "strike", "reported", "thursday"])
    ]
    assert [int(h) for h in _core.shingle_hashes(text, 5)] == []


@PROPERTY
@given(hs.lists(hs.one_of(hs.text(), hs.integers(-(2**70), 2**70), hs.booleans()), max_size=20))
def test_global_ids_equal_the_reference(ids):
    got = _core.global_ids(ids)
    assert got.dtype == "uint64"
    assert [int(g) for g in got] == [ref.global_id(i) for i in ids]
    assert all(int(g) < 2**63 for g in got)  # an int64 holds each


def test_global_ids_tell_str_from_int_and_name_a_bad_id():
    a, b, c = (int(g) for g in _core.global_ids(["7", 7, True]))
    assert a != b and c == int(_core.global_ids([1])[0])
    with pytest.raises(TypeError, match="document id 1 must be a str or an int, not float"):
        _core.global_ids(["a", 1.5])
    with pytest.raises(ValueError, match="document id 0 is not valid Unicode"):
        _core.global_ids(["\ud800"])


def test_shingle_hashes_rejects_ngram_zero():
    with pytest.raises(ValueError, match="ngram"):
        _core.shingle_hashes("some words here", 0)


# ---------------------------------------------------------------------------------------------
# Token offsets
# ---------------------------------------------------------------------------------------------


@PROPERTY
@given(texts)
def test_token_offsets_pick_out_the_token(text):
    toks = st.tokenize(text)
    encoded = text.encode("utf-8")
    previous_end = 0
    for start, end, token, bstart, bend in toks.itertuples(index=False, name=None):
        assert previous_end <= start < end <= len(text)
        assert _core.normalize_word(text[start:end]) == token
        assert encoded[bstart:bend].decode("utf-8") == text[start:end]
        previous_end = end


@PROPERTY
@given(small_texts)
def test_tokens_of_the_small_alphabet_are_its_normalized_words(text):
    # Built only from known words and separators, the tokens are those words, normalized as the
    # format documents (casefold, NFKC, apostrophes unified).
    expected = []
    for piece in text.replace("(", " ").replace(")", " ").replace("«", " ").replace("»", " ").split():
        word = piece.strip(",.;—")
        if word:
            expected.append(word.casefold().replace("’", "'").replace("ﬁ", "fi"))
    assert ref.tokens(text) == expected


# ---------------------------------------------------------------------------------------------
# Jaccard and containment
# ---------------------------------------------------------------------------------------------


@PROPERTY
@given(texts, texts, hs.integers(1, 8))
def test_compare_jaccard_equals_reference(a, b, n):
    cmp = st.compare(a, b, ngram=n, min_tokens=max(n, 15))
    assert cmp.jaccard == pytest.approx(ref.jaccard(a, b, n), abs=1e-12)
    assert cmp.a_tokens == len(ref.tokens(a))
    assert cmp.b_tokens == len(ref.tokens(b))


@PROPERTY
@given(hs.lists(hs.sampled_from(SMALL_WORDS), min_size=0, max_size=60), hs.integers(1, 8))
def test_compare_with_itself_contains_all(words, n):
    text = " ".join(words)
    toks = ref.tokens(text)
    min_tokens = 15
    # The aligner ignores a shingle repeated more than 8 times in one text (max_repeats): such
    # degenerate texts ("a a a a ...") are left out of this property.
    counts = collections.Counter(ref.shingles_of_tokens(toks, n))
    assume(not counts or max(counts.values()) <= 8)
    cmp = st.compare(text, text, ngram=n, min_tokens=max(n, min_tokens))
    if len(toks) >= max(n, min_tokens):
        assert cmp.a_in_b == 1.0
        assert cmp.b_in_a == 1.0
        assert cmp.jaccard == 1.0
    else:
        assert cmp.a_in_b == 0.0
        assert cmp.passages.empty
    # a_in_b is never more than the reference's share of tokens covered by shared shingles.
    assert cmp.a_in_b <= ref.covered_tokens(toks, toks, n) / max(len(toks), 1)


def test_compare_of_text_with_itself_counts_every_token():
    text = " ".join(f"word{i}" for i in range(40))
    cmp = st.compare(text, text)
    assert (cmp.a_in_b, cmp.b_in_a, cmp.jaccard) == (1.0, 1.0, 1.0)
    assert cmp.passages[["a_start", "a_end", "b_start", "b_end"]].values.tolist() == [
        [0, len(text), 0, len(text)]
    ]


# Words of several scripts with no word repeated: the only 5-grams a and b share are the copied ones.
_VOCAB = sorted(
    {f"{c}{v}{k}" for c in "bdfgklmnprstvz" for v in "aeiou" for k in ("", "n", "r", "s")}
    | {f"{c}{v}" for c in "бвгдзклмнпрст" for v in "аеиоу"}
    | {f"{c}{v}s" for c in "çğşñ" for v in "aeıöü"}
    | {"東京", "北京", "大阪", "上海", "京都"}
)
_HALF = len(_VOCAB) // 2
COPY_SEPARATORS = [" ", " ", ", ", ". ", "\n", "\n\n", " — ", " (", ") ", "; "]


def _join(words: list[str], rng: random.Random) -> str:
    out = []
    for k, w in enumerate(words):
        out.append(w)
        if k + 1 < len(words):
            out.append(rng.choice(COPY_SEPARATORS))
    return "".join(out)


@PROPERTY
@given(
    hs.lists(hs.sampled_from(_VOCAB[:_HALF]), min_size=15, max_size=80, unique=True),
    hs.lists(hs.sampled_from(_VOCAB[_HALF:]), max_size=40, unique=True),
    hs.integers(0, 2**32),
    hs.data(),
)
def test_compare_passages_are_the_copied_slice(a_words, filler, seed, data):
    rng = random.Random(seed)
    a = _join(a_words, rng)
    starts = [t.start for t in st.tokenize(a).itertuples()]
    ends = [t.end for t in st.tokenize(a).itertuples()]
    assert len(starts) == len(a_words)
    first = data.draw(hs.integers(0, len(a_words) - 15), label="first")
    last = data.draw(hs.integers(first + 15, len(a_words)), label="last")  # one past
    copied = a[starts[first] : ends[last - 1]]
    cut = data.draw(hs.integers(0, len(filler)), label="cut")
    b = _join(filler[:cut], rng) + "\n\n" + copied + "\n\n" + _join(filler[cut:], rng)

    cmp = st.compare(a, b)
    assert len(cmp.passages) == 1
    p = cmp.passages.iloc[0]
    assert a[p.a_start : p.a_end] == copied
    assert b[p.b_start : p.b_end] == copied
    assert ref.tokens(a[p.a_start : p.a_end]) == ref.tokens(b[p.b_start : p.b_end])
    assert p.tokens == p.b_tokens == p.matched_tokens == last - first
    assert cmp.a_in_b == pytest.approx((last - first) / len(a_words))
    assert cmp.b_in_a == pytest.approx((last - first) / len(ref.tokens(b)))


@PROPERTY
@given(hs.lists(hs.sampled_from(SMALL_WORDS + _VOCAB[:30]), min_size=15, max_size=80), hs.integers(0, 2**32))
def test_compare_passages_have_equal_tokens_when_copied_verbatim(a_words, seed):
    # Even with repeated words on both sides, a passage of a copied slice (no edits) holds the same
    # tokens in a and in b.
    rng = random.Random(seed)
    a = _join(a_words, rng)
    toks = st.tokenize(a)
    assume(len(toks) >= 15)
    first = rng.randrange(0, len(toks) - 14)
    last = rng.randrange(first + 15, len(toks) + 1)
    copied = a[toks.start[first] : toks.end[last - 1]]
    b = "Unrelated opening words here.\n" + copied + "\nAnd a different ending."
    cmp = st.compare(a, b, max_gap=0)
    for p in cmp.passages.itertuples():
        assert ref.tokens(a[p.a_start : p.a_end]) == ref.tokens(b[p.b_start : p.b_end])
        assert p.tokens == p.b_tokens


# ---------------------------------------------------------------------------------------------
# Threads
# ---------------------------------------------------------------------------------------------


def _small_corpus(seed: int, docs: int) -> st.Corpus:
    rng = random.Random(seed)
    base = [_join(rng.sample(_VOCAB, 40), rng) for _ in range(4)]
    corpus = st.Corpus()
    for i in range(docs):
        parts = [rng.choice(base)[: rng.randrange(60, 400)] for _ in range(rng.randint(1, 3))]
        parts.append(_join(rng.sample(_VOCAB, rng.randint(0, 30)), rng))
        published = (
            None
            if rng.random() < 0.3
            else f"2024-04-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00Z"
        )
        outlet = rng.choice([None, "Outlet A", "Outlet B", "Reuters", "AP"])
        if rng.random() < 0.2:
            parts.insert(0, "LONDON (Reuters) -")
        corpus.add("\n\n".join(parts), id=f"d{i}", outlet=outlet, published=published)
    return corpus


@PROPERTY
@given(hs.integers(0, 2**32), hs.integers(2, 40))
def test_trace_is_the_same_on_one_and_two_threads(seed, docs):
    corpus = _small_corpus(seed, docs)
    one, two = st.trace(corpus, threads=1), st.trace(corpus, threads=2)
    for name in ("documents", "sources", "passages", "stories"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(two, name))


# ---------------------------------------------------------------------------------------------
# Every entry point agrees: compare, trace and Index.query find the same passages
# ---------------------------------------------------------------------------------------------


@PROPERTY
@given(
    hs.lists(hs.sampled_from(_VOCAB[:_HALF]), min_size=20, max_size=80, unique=True),
    hs.lists(hs.sampled_from(_VOCAB[_HALF:]), min_size=20, max_size=80, unique=True),
    hs.integers(0, 2**32),
    hs.data(),
)
def test_compare_trace_and_index_find_the_same_passages(a_words, b_words, seed, data):
    # (Words do not repeat inside a text: trace and Index first need min_shared *distinct* shared
    # shingles, which "ba ba ba ..." does not have, while compare aligns any two texts.)
    rng = random.Random(seed)
    # b takes one or two slices of a, possibly with a changed word inside, among its own words.
    pieces = list(b_words)
    for _ in range(data.draw(hs.integers(1, 2), label="slices")):
        first = data.draw(hs.integers(0, len(a_words) - 16), label="first")
        piece = list(a_words[first : first + data.draw(hs.integers(16, 40), label="length")])
        if data.draw(hs.booleans(), label="edit") and len(piece) > 10:
            piece[len(piece) // 2] = b_words[0]
        at = data.draw(hs.integers(0, len(pieces)), label="at")
        pieces[at:at] = piece
    a = _join(a_words, rng)
    b = _join(pieces, rng)

    cmp = st.compare(a, b)
    cp = cmp.passages
    from_compare = sorted(zip(cp.a_start, cp.a_end, cp.b_start, cp.b_end, cp.kind))

    corpus = st.Corpus()
    corpus.add(a, id="a", published="2024-01-01")
    corpus.add(b, id="b", published="2024-01-02")
    p = st.trace(corpus).passages
    assert set(p.source_id) <= {"a"} and set(p.target_id) <= {"b"}
    from_trace = sorted(zip(p.source_start, p.source_end, p.target_start, p.target_end, p.kind))

    index = st.Index()
    known = st.Corpus()
    known.add(a, id="a")
    index.add(known)
    hits = index.query(b)
    from_index = sorted((s0, s1, q0, q1) for q0, q1, s0, s1 in (hits.spans.iloc[0] if len(hits) else []))

    # Rewritten passages come from compare and trace alike (a rewrite takes in the copied text it
    # surrounds); the Index reports verbatim passages, as compare does without rewrites.
    assert from_compare == from_trace
    vp = st.compare(a, b, rewrites=False).passages
    assert sorted(zip(vp.a_start, vp.a_end, vp.b_start, vp.b_end)) == from_index
