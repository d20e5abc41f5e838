"""Offsets are exact code points of the original str (and UTF-8 bytes), in any script."""

from __future__ import annotations

import unicodedata

import pytest

import storytrace as st
from conftest import trimmed

# Per script: a paragraph two documents share, and the different text around it in each.
SCRIPTS = {
    "latin-accents-emoji": dict(
        shared=(
            "Les pompiers ont lutté toute la nuit contre un incendie 🔥 qui a ravagé plus de mille hectares près "
            "d’Aix-en-Provence, a indiqué jeudi la préfecture. Près de deux cents habitants ont été évacués à "
            "titre préventif 🚒, et aucune victime n’était à déplorer vendredi matin, selon les autorités."
        ),
        a=("Édition du matin — région Sud-Est 🌅", "Météo : éclaircies prévues l’après-midi ☀️."),
        b=(
            "Flash spécial : dernières nouvelles ✨ de Provence",
            "Réagissez 💬 à cet article sur notre forum.",
        ),
    ),
    "turkish": dict(
        shared=(
            "İstanbul'da dün akşam başlayan şiddetli yağış, şehrin birçok ilçesinde su baskınlarına yol açtı. "
            "Meteoroloji Genel Müdürlüğü, yağışların önümüzdeki iki gün boyunca etkili olmasının beklendiğini "
            "ve vatandaşların dikkatli olması gerektiğini açıkladı. Işıklar söndü, ağaçlar devrildi."
        ),
        a=("SON DAKİKA: İÇ HABERLER", "Yorumlarınızı ağırlıyoruz."),
        b=("Gündem özeti — hava durumu ve ulaşım", "Haberin devamı yarın sayfamızda olacak."),
    ),
    "urdu": dict(
        shared=(
            "اسلام آباد میں وزارت خارجہ کے ترجمان نے جمعرات کو ایک پریس بریفنگ میں کہا کہ پاکستان خطے میں امن "
            "اور استحکام کے لیے تمام فریقوں سے تحمل کا مظاہرہ کرنے کی اپیل کرتا ہے اور سفارتی ذرائع سے مسائل کے "
            "حل پر یقین رکھتا ہے۔"
        ),
        a=("تازہ ترین خبریں", "مزید تفصیلات جلد آرہی ہیں۔"),
        b=("بین الاقوامی امور کا جائزہ", "یہ خبر ہمارے نمائندے نے بھیجی۔"),
    ),
    "japanese": dict(
        shared=(
            "気象庁によりますと、強い台風10号は今夜遅くにも九州南部に上陸するおそれがあり、各地で記録的な大雨と"
            "なる見込みです。自治体は住民に対して早めの避難を呼びかけています。"
        ),
        a=("朝のニュースをお伝えします。", "以上、社会部からでした。"),
        b=("速報：全国の天気", "続報が入り次第お伝えする予定。"),
    ),
    "thai": dict(
        shared=(
            "กรมอุตุนิยมวิทยาประกาศเตือนว่าพายุโซนร้อนจะเคลื่อนตัวเข้าสู่ภาคตะวันออกเฉียงเหนือของประเทศไทยในคืนนี้ "
            "ทำให้มีฝนตกหนักถึงหนักมากในหลายจังหวัด ประชาชนควรติดตามข่าวสารอย่างใกล้ชิดและเตรียมพร้อมรับมือกับน้ำท่วมฉับพลัน"
        ),
        a=("ข่าวเช้าวันจันทร์", "ติดตามรายงานสภาพอากาศได้ทุกวัน"),
        b=("รายงานพิเศษ", "ขอบคุณผู้ชมทุกท่าน"),
    ),
    "cyrillic": dict(
        shared=(
            "В четверг вечером в Москве прошёл сильный ливень, из-за которого были затоплены несколько станций "
            "метро и подземных переходов. Синоптики предупреждают, что в ближайшие два дня в столичном регионе "
            "сохранится неустойчивая погода с грозами и шквалистым ветром."
        ),
        a=("Новости дня — 18 июля", "Подписывайтесь на наш канал."),
        b=("Погода: главное", "Материал подготовила редакция."),
    ),
}


def _docs(case: dict) -> tuple[str, str, str]:
    shared = case["shared"]
    a = case["a"][0] + "\n\n" + shared + "\n\n" + case["a"][1]
    b = case["b"][0] + "\n\n" + shared + "\n\n" + case["b"][1]
    # The texts around the shared paragraph end and start with different tokens, so that a passage
    # cannot run past it.
    assert st.tokenize(case["a"][0])["token"].iloc[-1] != st.tokenize(case["b"][0])["token"].iloc[-1]
    assert st.tokenize(case["a"][1])["token"].iloc[0] != st.tokenize(case["b"][1])["token"].iloc[0]
    assert len(st.tokenize(shared)) >= 15
    return a, b, shared


def _check_bytes(text: str, start: int, end: int, byte_start: int, byte_end: int) -> None:
    assert text.encode("utf-8")[byte_start:byte_end].decode("utf-8") == text[start:end]


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_trace_offsets_in_every_script(script):
    a, b, shared = _docs(SCRIPTS[script])
    corpus = st.Corpus()
    corpus.add(a, id="a", outlet="First", published="2024-07-18T08:00:00Z")
    corpus.add(b, id="b", outlet="Second", published="2024-07-18T09:00:00Z")
    result = st.trace(corpus)
    p = result.passages
    assert len(p) == 1
    row = p.iloc[0]
    assert (row.source_id, row.target_id) == ("a", "b")
    expected = trimmed(shared)
    assert a[row.source_start : row.source_end] == expected
    assert b[row.target_start : row.target_end] == expected
    assert row.tokens == len(st.tokenize(shared))
    _check_bytes(a, row.source_start, row.source_end, row.source_byte_start, row.source_byte_end)
    _check_bytes(b, row.target_start, row.target_end, row.target_byte_start, row.target_byte_end)
    # The HTML view highlights exactly that text.
    assert expected.replace("'", "&#x27;") in result.show("b")._repr_html_()


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_compare_offsets_in_every_script(script):
    a, b, shared = _docs(SCRIPTS[script])
    cmp = st.compare(a, b)
    assert len(cmp.passages) == 1
    row = cmp.passages.iloc[0]
    assert a[row.a_start : row.a_end] == trimmed(shared) == b[row.b_start : row.b_end]


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_index_spans_in_every_script(script):
    a, b, shared = _docs(SCRIPTS[script])
    corpus = st.Corpus()
    corpus.add(a, id="a")
    index = st.Index()
    index.add(corpus)
    hits = index.query(b)
    assert hits["source_id"].tolist() == ["a"]
    ((qs, qe, ss, se),) = hits["spans"].iloc[0]
    assert b[qs:qe] == trimmed(shared) == a[ss:se]


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_tokenize_offsets_in_every_script(script):
    a, _, _ = _docs(SCRIPTS[script])
    toks = st.tokenize(a)
    assert len(toks) > 0
    for row in toks.itertuples(index=False):
        _check_bytes(a, row.start, row.end, row.byte_start, row.byte_end)
        piece = a[row.start : row.end]
        assert piece.strip() == piece and piece


def test_decomposed_accents_match_composed_ones_with_their_own_offsets():
    # The same paragraph, NFC in one document and NFD in the other: the same tokens, but the
    # decomposed text has more code points, and each side's offsets are into its own text.
    shared = unicodedata.normalize("NFC", SCRIPTS["latin-accents-emoji"]["shared"])
    decomposed = unicodedata.normalize("NFD", shared)
    assert len(decomposed) > len(shared)
    a = "Une introduction 🌍 à part.\n\n" + shared + "\n\nFin."
    b = "Un autre début, différent.\n\n" + decomposed + "\n\nÀ suivre."
    corpus = st.Corpus()
    corpus.add(a, id="a", published="2024-01-01")
    corpus.add(b, id="b", published="2024-01-02")
    row = st.trace(corpus).passages.iloc[0]
    assert a[row.source_start : row.source_end] == trimmed(shared)
    assert b[row.target_start : row.target_end] == trimmed(decomposed)
    _check_bytes(b, row.target_start, row.target_end, row.target_byte_start, row.target_byte_end)


def test_offsets_after_many_astral_characters():
    # Characters outside the BMP are one code point in Python (two UTF-16 units, four UTF-8 bytes).
    shared = SCRIPTS["cyrillic"]["shared"]
    a = "😀" * 500 + "\n\n" + shared
    b = "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 " * 100 + "\n\n" + shared + "\n\n" + "🇺🇦" * 50
    corpus = st.Corpus()
    corpus.add(a, id="a", published="2024-01-01")
    corpus.add(b, id="b", published="2024-01-02")
    row = st.trace(corpus).passages.iloc[0]
    assert a[row.source_start : row.source_end] == trimmed(shared)
    assert b[row.target_start : row.target_end] == trimmed(shared)
    assert row.source_start == 502
    _check_bytes(a, row.source_start, row.source_end, row.source_byte_start, row.source_byte_end)
