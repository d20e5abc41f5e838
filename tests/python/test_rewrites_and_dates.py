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


# A news paragraph, the same paragraph rewritten (words inflected otherwise, clauses moved, some
# words changed), and a paragraph on another subject, in five languages and four scripts. Word
# forms (a word's first five characters) meet across inflections with no language's stemmer.
MULTILINGUAL = {
    "ru": (
        "Правительство страны объявило в понедельник о новой программе поддержки малого бизнеса. "
        "Министр экономики заявил, что программа поможет тысячам предпринимателей в регионах. "
        "По его словам, кредиты будут выдаваться под низкий процент в течение трёх лет. "
        "Эксперты считают, что решение правительства снизит безработицу в промышленных городах.",
        "В понедельник правительство объявило о новых программах поддержки малых предприятий страны. "
        "Программа, как заявил министр экономики, поможет тысячам региональных предпринимателей. "
        "Кредиты, по словам министра, будут выдаваться под низкие проценты три года. "
        "По мнению экспертов, решение правительства снизит уровень безработицы в промышленных городах.",
        "Жители города вышли на улицы, чтобы отпраздновать победу местной футбольной команды. "
        "Болельщики пели песни и размахивали флагами до поздней ночи. "
        "Мэр пообещал устроить торжественный приём для игроков на следующей неделе.",
    ),
    "tr": (
        "Belediye başkanı salı günü şehrin yeni ulaşım planını açıkladı. "
        "Plana göre önümüzdeki iki yıl içinde yirmi yeni otobüs hattı kurulacak. "
        "Başkan, projenin maliyetinin büyük kısmının devlet bütçesinden karşılanacağını söyledi. "
        "Muhalefet partileri planın yeterli olmadığını ve trafik sorununu çözmeyeceğini savundu.",
        "Şehrin yeni ulaşım planı salı günü belediye başkanı tarafından açıklandı. "
        "Önümüzdeki iki yılda yirmi yeni otobüs hattının kurulması planlanıyor. "
        "Başkana göre projenin maliyetlerinin çoğu devlet bütçesinden karşılanacak. "
        "Muhalefet partileri ise planın yetersiz olduğunu ve trafik sorunlarını çözmeyeceğini savundu.",
        "Dün akşam oynanan maçta ev sahibi takım rakibini üç golle yendi. "
        "Taraftarlar maçtan sonra stadyumun önünde uzun süre kutlama yaptı. "
        "Teknik direktör oyuncularının performansından çok memnun olduğunu söyledi.",
    ),
    "id": (
        "Pemerintah provinsi mengumumkan rencana pembangunan jalan tol baru pada hari Senin. "
        "Menurut gubernur, proyek tersebut akan menghubungkan tiga kota besar di wilayah utara. "
        "Pembangunan diperkirakan memakan biaya sekitar dua triliun rupiah dan selesai dalam empat tahun. "
        "Warga setempat menyambut baik rencana itu tetapi meminta ganti rugi yang adil atas tanah mereka.",
        "Pada hari Senin pemerintah provinsi mengumumkan pembangunan jalan tol yang baru. "
        "Gubernur mengatakan proyek itu akan menghubungkan tiga kota besar di kawasan utara. "
        "Biaya pembangunannya diperkirakan sekitar dua triliun rupiah dengan penyelesaian empat tahun. "
        "Rencana tersebut disambut baik oleh warga setempat, yang meminta ganti rugi adil untuk tanah mereka.",
        "Tim sepak bola nasional berhasil memenangkan pertandingan semalam dengan skor tiga gol. "
        "Para pendukung merayakan kemenangan itu di jalan-jalan kota hingga larut malam. "
        "Pelatih mengatakan bahwa para pemain tampil sangat baik sepanjang pertandingan.",
    ),
    "ur": (
        "وزیر اعلیٰ نے پیر کے روز صوبے میں نئے ہسپتالوں کی تعمیر کا اعلان کیا۔ "
        "ان کے مطابق اگلے دو سالوں میں دس نئے ہسپتال بنائے جائیں گے۔ "
        "منصوبے کی لاگت کا بڑا حصہ صوبائی حکومت برداشت کرے گی۔ "
        "ڈاکٹروں کی تنظیم نے اس فیصلے کا خیر مقدم کیا لیکن عملے کی کمی پر تشویش ظاہر کی۔",
        "پیر کے روز وزیر اعلیٰ نے اعلان کیا کہ صوبے میں نئے ہسپتال تعمیر کیے جائیں گے۔ "
        "اگلے دو سال میں دس نئے ہسپتالوں کی تعمیر ہوگی، انہوں نے بتایا۔ "
        "صوبائی حکومت منصوبے کی لاگت کا زیادہ تر حصہ برداشت کرے گی۔ "
        "ڈاکٹروں کی تنظیم نے فیصلے کا خیر مقدم کیا تاہم عملے کی کمی پر تشویش کا اظہار کیا۔",
        "کل رات کھیلے گئے میچ میں قومی ٹیم نے مخالف ٹیم کو تین گول سے شکست دی۔ "
        "شائقین نے میچ کے بعد سڑکوں پر دیر تک جشن منایا۔ "
        "کوچ نے کہا کہ کھلاڑیوں کی کارکردگی بہت اچھی رہی۔",
    ),
    "ar": (
        "أعلنت وزارة الصحة يوم الأحد عن إطلاق حملة وطنية جديدة للتطعيم ضد الحصبة. "
        "وقال الوزير إن الحملة تستهدف أكثر من مليوني طفل في جميع المحافظات. "
        "وأضاف أن فرق التطعيم ستزور المدارس والقرى النائية خلال الأسابيع المقبلة. "
        "ورحبت منظمة الصحة العالمية بالحملة ووصفتها بأنها خطوة مهمة لحماية الأطفال.",
        "أطلقت وزارة الصحة يوم الأحد حملة تطعيم وطنية جديدة ضد مرض الحصبة. "
        "وأوضح الوزير أن الحملة تستهدف ما يزيد على مليوني طفل في كل المحافظات. "
        "وستزور فرق التطعيم المدارس والقرى النائية في الأسابيع المقبلة، بحسب الوزير. "
        "ووصفت منظمة الصحة العالمية الحملة بأنها خطوة مهمة من أجل حماية الأطفال.",
        "فاز المنتخب الوطني لكرة القدم مساء أمس على منافسه بثلاثة أهداف نظيفة. "
        "واحتفل المشجعون بالفوز في شوارع المدينة حتى ساعة متأخرة من الليل. "
        "وقال المدرب إن أداء اللاعبين كان ممتازا طوال المباراة.",
    ),
}


@pytest.mark.parametrize("language", sorted(MULTILINGUAL))
def test_a_rewritten_paragraph_is_found_in_any_script(language):
    source, rewrite, other = MULTILINGUAL[language]
    cmp = st.compare(source, rewrite)
    p = cmp.passages
    assert list(p["kind"]) == ["rewrite"], p
    assert (p.b_end - p.b_start).sum() > 0.8 * len(rewrite)
    assert cmp.b_in_a > 0.8
    # Nothing shared with a paragraph on another subject, function words and all.
    assert len(st.compare(source, other).passages) == 0


@pytest.mark.parametrize("language", sorted(MULTILINGUAL))
def test_trace_pairs_a_rewrite_that_shares_no_copied_text(language):
    # Shingles alone pair none of these (the rewrite shares fewer than three 5-grams with its
    # source but in Urdu); the rarer vocabulary they share pairs them (rewrite_pairs).
    source, rewrite, other = MULTILINGUAL[language]
    corpus = st.Corpus()
    corpus.add(source, id="source", published="2024-01-01")
    corpus.add(other, id="other", published="2024-01-01")
    corpus.add(rewrite, id="rewrite", published="2024-01-02")
    docs = st.trace(corpus).documents.set_index("id")
    assert docs.loc["rewrite", "derivation"] != "none"
    assert docs.loc["rewrite", "origin_id"] == "source"
    assert (docs.loc[["source", "other"], "derivation"] == "none").all()
    pairs = st.Stages(corpus).table("candidates")["candidates"]
    assert {(int(a), int(b)) for a, b in zip(pairs["first"], pairs["second"])} == {(0, 2)}
    if language != "ur":
        none = st.Stages(corpus, rewrite_pairs=False).table("candidates")["candidates"]
        assert len(none) == 0


VOCAB_SOURCE = (
    "The central bank raised its main interest rate by half a point on Tuesday to fight inflation. "
    "Officials said prices had risen faster than expected over the past three months in most regions. "
    "Markets fell sharply after the announcement, with bank shares leading the decline in early trade. "
    "The decision was the third increase this year and surprised many economists in the capital."
)
# The same four sentences reworded so that no five words in a row are the source's.
VOCAB_REWRITE = (
    "On Tuesday the central bank lifted its main interest rate half a point, aiming to fight inflation. "
    "Prices had risen over the last three months faster than expected in most regions, officials said. "
    "After the announcement markets sharply fell, bank shares leading a decline in early trading. "
    "It was this year's third increase, and economists in the capital were surprised by the decision."
)
VOCAB_OTHER = (
    "Thousands of fans gathered in the old square to celebrate the victory of the local football club. "
    "Supporters sang songs and waved flags until late at night while the players greeted them. "
    "The mayor promised a reception for the team at the town hall next week after the final match."
)


def _vocabulary_corpus():
    corpus = st.Corpus()
    corpus.add(VOCAB_SOURCE, id="source", published="2024-01-01")
    corpus.add(VOCAB_OTHER, id="other", published="2024-01-01")
    corpus.add(VOCAB_REWRITE, id="rewrite", published="2024-01-02")
    return corpus


def test_a_document_with_no_passage_is_derived_on_its_vocabulary():
    # The rewrite shares no five words in a row with its source, and with no sentence similar
    # enough to seed a rewritten passage (rewrite_similarity 1) no passage; the source holds most of
    # its vocabulary.
    assert st.compare(VOCAB_SOURCE, VOCAB_REWRITE, rewrites=False).passages.empty
    result = st.trace(_vocabulary_corpus(), rewrite_similarity=1.0)
    assert len(result.passages) == 0
    docs = result.documents.set_index("id")
    assert docs.loc["rewrite", "derivation"] == "partially"
    assert docs.loc["rewrite", "origin_id"] == "source"
    assert docs.loc["rewrite", "origin_evidence"] == "vocabulary"
    assert docs.loc["rewrite", "reuse_share"] == 0.0
    assert docs.loc["rewrite", "vocabulary_share"] >= st.Options().vocabulary_share
    assert (docs.loc[["source", "other"], "derivation"] == "none").all()
    assert (docs.loc[["source", "other"], "vocabulary_share"] == 0.0).all()
    links = result.sources
    assert list(zip(links.target_id, links.source_id, links.evidence)) == [
        ("rewrite", "source", "vocabulary")
    ]
    assert links.loc[0, "shared_tokens"] == 0
    assert links.loc[0, "containment"] == pytest.approx(docs.loc["rewrite", "vocabulary_share"])
    assert "vocabulary" in result.summary()
    # A bar above the share it has turns the evidence off; with passages found, they decide.
    share = docs.loc["rewrite", "vocabulary_share"]
    higher = st.trace(_vocabulary_corpus(), rewrite_similarity=1.0, vocabulary_share=min(1.0, share + 0.01))
    assert (higher.documents["derivation"] == "none").all()
    found = st.trace(_vocabulary_corpus()).documents.set_index("id")
    assert found.loc["rewrite", "origin_evidence"] == "passages"
