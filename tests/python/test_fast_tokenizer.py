"""The fast tokenizer against ICU's word break over the whole text (``reference=True``).

The core tokenizes with its own implementation of the Unicode word rules and leaves to ICU only
the stretches of text that hold characters outside them (marks, Hebrew, dictionary scripts...).
Its tokens, offsets, hashes and normal forms must be exactly ICU's, on any text.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

import storytrace as st
from storytrace import _core

PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters of every class the word rules know and of those left to ICU, so that random text
# meets their boundaries often: ASCII, mid-word punctuation, connectors, Latin, Turkish, Greek,
# Arabic and Urdu, Hebrew, combining marks, format characters, dictionary scripts, emoji.
PIECES = [
    *"aZq07_.':,;-\"`!@ \t\n\r",
    "é", "İ", "ı", "ß", "ŉ", "\u00a0", "\u00ad", "´", "ʼ",
    "\u0301", "\u200c", "\u200d", "\u2060",
    "Σ", "ς", "Ж", "ب", "ی", "ں", "\u064e", "٠", "۵", "،", "٫", "۔", "ـ",
    "א", "ש", "\u05f3", "\u05f4", "क", "ि", "ก", "า",
    "中", "文", "あ", "カ", "ｶ", "ー", "한", "ᄀ", "ᅡ",
    "‘", "’", "“", "”", "–", "—", "…", "′", "″", "\u3000", "\u2003", "\u202f", "‿",
    "Ａ", "１", "：", "﹕", "ﬁ", "²", "Ⅳ", "©", "™", "☀", "😀", "🏽", "🇺", "🇸", "𐐀", "𠀀",
    "Hello", "world", "U.S.", "1,234.56", "don't", "it’s", "e-mail", "foo_bar",
]  # fmt: skip

mixed_texts = hs.lists(hs.sampled_from(PIECES), max_size=60).map("".join)
texts = hs.one_of(mixed_texts, hs.text(max_size=200))


def _agree(text: str) -> None:
    fast = _core.tokenize(text)
    icu = _core.tokenize(text, reference=True)
    assert fast["norm"] == icu["norm"], text
    for key in ("start", "end", "byte_start", "byte_end", "hash"):
        np.testing.assert_array_equal(fast[key], icu[key], err_msg=f"{key} of {text!r}")


@PROPERTY
@given(texts)
def test_fast_tokenizer_gives_icus_tokens(text):
    _agree(text)


def test_fast_tokenizer_gives_icus_tokens_on_the_sample_corpus():
    corpus = st.sample_corpus()
    assert len(corpus) > 0
    for text in corpus.to_pandas()["text"]:
        _agree(text)


def test_fast_tokenizer_gives_icus_tokens_in_other_scripts():
    for text in [
        "İstanbul'da 3.000 kişi İstiklal Caddesi'nde yürüdü; Iğdır'a ısı dalgası geldi.",
        "وزیراعظم نے کہا کہ ۲۰۲۴ میں معیشت بہتر ہوگی۔ اُنہوں نے یہ بات کراچی میں کہی۔",
        "國務院說，2024年GDP增長5.2%。東京の株価は上がった。서울에서 회의가 열렸다.",
        "Der Preis fiel um 3,5 % auf 1.234,56 €; „Das ist gut“, sagte Müller.",
        "שלום, עולם. צה\"ל הודיע: מ'ס 3.",
        "ข่าวด่วน วันนี้ ราคาน้ำมัน สูงขึ้น",
    ]:
        _agree(text)
