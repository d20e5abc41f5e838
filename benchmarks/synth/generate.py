"""A SYNTHETIC news-propagation corpus built from real sentences, with ground truth.

Agencies publish stories, each made of the sentences of one real Reuters-21578 article; outlets
reprint them (verbatim, trimmed, lightly edited), copy each other's reprints (chains), quote a few
sentences of them inside their own articles (embedded) and publish their own articles (original),
always inside their own page chrome (boilerplate). Every copied stretch is recorded with exact
code-point offsets, so the corpus scores :func:`storytrace.trace` through
:func:`storytrace.evaluate`. See README.md beside this file.

Run: python benchmarks/synth/generate.py --out DIR [--stories N --outlets M --seed S]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import math
import os
import pathlib
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
# STORYTRACE_REUTERS names another folder (scripts/notebooks.py names none, so that committed
# outputs hold no text of the research-licensed dataset).
REUTERS = pathlib.Path(
    os.environ.get("STORYTRACE_REUTERS", ROOT.parent / "shared" / "datasets" / "reuters21578")
)

# (name, credit, dateline dash, share of stories, UTC offset in minutes)
AGENCIES = (
    ("Associated Press", "AP", "—", 0.35, -300),
    ("Reuters", "Reuters", "-", 0.35, 0),
    ("Agence France-Presse", "AFP", "-", 0.2, 60),
    ("Anadolu Agency", "AA", "-", 0.1, 180),
)
ZONES = (0, 120, -300, 330, 60, -480, 540, -180, 180, 600, -240, 345)  # outlets' UTC offsets, minutes
CITIES = ("LONDON", "WASHINGTON", "PARIS", "ANKARA", "TOKYO", "NEW YORK", "BRUSSELS", "GENEVA", "CAIRO")
FIRST = ("The Daily", "Metro", "Evening", "Northern", "Coastal", "Valley", "Capital", "Morning", "Weekly")
SECOND = ("Courier", "Herald", "Post", "Tribune", "Gazette", "Chronicle", "Observer", "Ledger", "Sentinel")
HEADERS = ("{name} | {section}", "{name} — {section}", "Home / {section} / {name}", "{name}: {section} news")
SECTIONS = ("World", "Business", "Markets", "National", "Economy", "Latest")
SUBSCRIBE = (
    "Subscribe to {name} for unlimited access to local and world news, from as little as one dollar a week.",
    "Get the {name} morning briefing in your inbox: sign up for our free newsletter and never miss a story.",
    "Support independent journalism: subscribe to {name} today and read every story on any device.",
    "Enjoying {name}? Download our app for breaking news alerts, puzzles and the digital edition.",
)
COMMENTS = (
    "Comments are moderated and must follow the {name} community guidelines; abusive posts will be removed.",
    "We welcome your views. Please keep comments civil and on topic; {name} may edit or reject them.",
    "Have a news tip? Contact the {name} newsroom by email or call our tip line at any time of day.",
)
COPYRIGHT = (
    "© 2024 {name}. All rights reserved.",
    "Copyright © 2024 {name}. Terms of use and privacy policy apply.",
)
# Copy-desk edits for "light" reprints: single-word substitutes, and words that may be cut.
SUBSTITUTES = {
    "pct": ("percent",), "mln": ("million",), "bln": ("billion",), "dlrs": ("dollars",), "cts": ("cents",),
    "said": ("stated", "added", "noted"), "told": ("informed",), "about": ("around", "roughly"),
    "company": ("firm",), "companies": ("firms",), "rose": ("climbed", "increased"), "would": ("will",),
    "fell": ("dropped", "declined"), "officials": ("authorities",), "government": ("administration",),
    "major": ("big", "leading"), "large": ("big",), "buy": ("purchase",), "announced": ("disclosed",),
    "talks": ("negotiations",), "sharply": ("steeply",), "total": ("overall",), "expected": ("likely",),
    "will": ("would",), "market": ("sector",), "last": ("previous", "past"), "new": ("fresh",),
    "could": ("might",), "after": ("following",), "trade": ("commerce",), "first": ("initial",),
    "shares": ("stock",), "against": ("versus",), "prices": ("costs",), "rate": ("level",),
    "increase": ("rise",), "because": ("as",), "between": ("among",), "should": ("would",),
    "spokesman": ("representative",), "next": ("coming",), "current": ("present",), "made": ("produced",),
    "may": ("might",), "growth": ("expansion",), "meeting": ("session",), "official": ("officer",),
    "agreement": ("accord", "deal"), "analysts": ("observers",), "lower": ("reduced",), "cut": ("reduce",),
    "reported": ("posted",), "recent": ("latest",), "plan": ("scheme",), "early": ("initial",),
    "statement": ("release",), "including": ("among",), "earlier": ("before",), "help": ("aid",),
}  # fmt: skip
DROPPABLE = {"also", "still", "now", "very", "further", "already", "recently", "currently", "previously"}
DERIVATION = {
    "agency": "none", "original": "none", "embedded": "partially",
    "verbatim": "wholly", "trimmed": "wholly", "light": "wholly", "chain": "wholly",
}  # fmt: skip
EXACT_KINDS = ("verbatim", "trimmed", "chain", "embedded")
WHOLLY_MIN, PARTIAL_RANGE = 0.8, (0.1, 0.5)  # asserted copied shares of non-boilerplate words
MAX_SENTENCES = 14
START = pd.Timestamp("2024-04-01T00:00:00Z")
WORD = re.compile(r"\w+")


def _nwords(text: str) -> int:
    return len(WORD.findall(text))


@dataclass(frozen=True)
class Article:
    """A real (or random) article: its sentences in order and its dateline place, if known."""

    sentences: tuple[str, ...]
    place: str = ""


# ---------------------------------------------------------------------------------------------
# Sentences: Reuters-21578 bodies reflowed, or random vocabulary
# ---------------------------------------------------------------------------------------------

_ABBREVIATIONS = set(
    "mr mrs ms dr inc corp co ltd st no gen sen rep gov jr sr bros vs plc lt col prof dept "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_BOUNDARY = re.compile(r"[.!?][\"']?\s+(?=[\"']?[A-Z])")
_SIGNATURE = re.compile(r"\s*reuters?\W*(\^m)?\s*", re.IGNORECASE)


def split_sentences(paragraph: str) -> list[str]:
    """Split reflowed prose at sentence ends, not after abbreviations (Corp., U.S., Feb.)."""
    out, start = [], 0
    for m in _BOUNDARY.finditer(paragraph):
        last = paragraph[start : m.start() + 1].split()[-1].strip("\"'(").rstrip(".!?").lower()
        if last in _ABBREVIATIONS or len(last) <= 1 or re.fullmatch(r"(?:[a-z]\.)+[a-z]?", last):
            continue
        out.append(paragraph[start : m.end()].strip())
        start = m.end()
    out.append(paragraph[start:].strip())
    return [s for s in out if s]


def _reasonable(sentence: str) -> bool:
    """8 to 45 words of prose: a capital first, a full stop last, mostly letters, not shouted."""
    letters = [c for c in sentence if c.isalpha()]
    return (
        8 <= len(sentence.split()) <= 45
        and re.match(r"[\"']?[A-Z]", sentence) is not None
        and re.search(r"[.!?][\"']?$", sentence) is not None
        and len(letters) >= 0.6 * len(sentence.replace(" ", ""))
        and sum(c.isupper() for c in letters) <= 0.3 * len(letters)
        and not re.search(r"\s{3,}|\.\.\.|\^M|[<>|]", sentence)
    )


def reflow(body: str) -> list[str]:
    """The reasonable sentences of a hard-wrapped Reuters body, without tables or signature."""
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in body.replace("\r", "").split("\n"):
        if _SIGNATURE.fullmatch(line):
            break
        if not line.strip() or re.search(r"\S\s{3,}\S", line):  # a blank line or a table row
            paragraphs.append(current)
            current = []
            continue
        if line.startswith(" ") and current:  # an indented line opens a paragraph
            paragraphs.append(current)
            current = []
        current.append(line.strip())
    paragraphs.append(current)
    sentences = []
    for lines in paragraphs:
        text = re.sub(r"\s+reuter\W*$", "", " ".join(lines), flags=re.IGNORECASE)
        sentences.extend(s for s in split_sentences(text) if _reasonable(s))
    return sentences


def distinct_articles(articles: Sequence[Article], ngram: int = 8, min_sentences: int = 5) -> list[Article]:
    """Greedily keep the articles that share no text with one kept before.

    Shared text is a word ``ngram`` (lowercased word tokens), or a word 5-gram holding a figure:
    two reports of the same results ("rose to 75.05 mln dlrs") are the same news, not chance.
    """
    seen: set[str] = set()
    kept = []
    for art in articles:
        if len(art.sentences) < min_sentences:
            continue
        words = WORD.findall(" ".join(art.sentences).lower())
        grams = {" ".join(words[i : i + ngram]) for i in range(len(words) - ngram + 1)}
        grams |= {g for i in range(len(words) - 4) if re.search(r"\d", g := " ".join(words[i : i + 5]))}
        if grams & seen:
            continue
        seen |= grams
        kept.append(art)
    return kept


@functools.lru_cache(maxsize=2)
def _reuters(path: str) -> tuple[Article, ...]:
    folder = pathlib.Path(path)
    groups = json.loads((folder / "exact_duplicate_groups.json").read_text())
    duplicated = {newid for group in groups for newid in group}
    articles = []
    with open(folder / "reuters21578.jsonl", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row["newid"] in duplicated or not row.get("body"):
                continue
            place = (row.get("dateline") or "").split(",")[0].strip()
            place = place if re.fullmatch(r"[A-Z][A-Z .'-]{1,30}", place) else ""
            articles.append(Article(tuple(reflow(row["body"])), place))
    return tuple(distinct_articles(articles))


def reuters_articles(path: str | pathlib.Path | None = None) -> list[Article]:
    """Reuters-21578 articles as sentence lists (at least 5 each), no two sharing text.

    Exact duplicates (``exact_duplicate_groups.json``) are skipped, and an article sharing any
    lowercased word 8-gram (or 5-gram with a figure) with an earlier kept one (an update, a
    re-issue, another report of the same results) is rejected (:func:`distinct_articles`).
    Raises ``FileNotFoundError`` when the dataset is absent.
    """
    folder = pathlib.Path(path) if path else REUTERS
    if not (folder / "reuters21578.jsonl").is_file():
        raise FileNotFoundError(f"Reuters-21578 not found in {folder}")
    return list(_reuters(str(folder)))


def reuters_sentences(path: str | pathlib.Path | None = None) -> list[str]:
    """The sentences of :func:`reuters_articles`, in order."""
    return [s for art in reuters_articles(path) for s in art.sentences]


def random_articles(count: int, seed: int = 7) -> list[Article]:
    """``count`` articles of sentence-shaped nonsense from a random syllable vocabulary."""
    rng = random.Random(f"vocabulary/{seed}")
    onsets = "b c d f g h k l m n p r s t v br cl st tr".split()
    vowels, codas = "a e i o u ai ea ou".split(), ["", "", "n", "r", "s", "t", "l", "nd", "st"]

    def word() -> str:
        syllables = rng.choice((1, 2, 2, 3))
        return "".join(rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas) for _ in range(syllables))

    vocabulary = sorted({word() for _ in range(4000)})
    out = []
    for _ in range(count):
        sentences = []
        for _ in range(rng.randint(5, 12)):
            words = [rng.choice(vocabulary) for _ in range(rng.randint(10, 26))]
            words[rng.randrange(3, len(words) - 3)] += ","
            sentences.append(" ".join(words).capitalize() + ".")
        out.append(Article(tuple(sentences), rng.choice(CITIES)))
    return out


# ---------------------------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------------------------


@dataclass
class _Body:
    """A document's own text: dateline prefix, sentences (paragraph breaks after ``breaks``), suffix."""

    prefix: str
    sentences: list[str]
    breaks: frozenset[int]
    suffix: str = ""

    def render(self) -> tuple[str, list[tuple[int, int]]]:
        parts, spans, pos = [self.prefix], [], len(self.prefix)
        for i, s in enumerate(self.sentences):
            spans.append((pos, pos + len(s)))
            sep = "" if i == len(self.sentences) - 1 else "\n\n" if i in self.breaks else " "
            parts += [s, sep]
            pos += len(s) + len(sep)
        return "".join([*parts, self.suffix]), spans

    def head(self, k: int) -> _Body:
        return _Body(self.prefix, self.sentences[:k], self.breaks)


@dataclass(eq=False)
class _Outlet:
    name: str
    slug: str
    zone: int
    appetite: float  # how readily it runs wire copy
    headers: list[str]
    footers: list[str]
    style: dict[str, str] = field(default_factory=dict)  # its copy desk's word substitutions
    cuts: frozenset[str] = frozenset()  # and the words it cuts
    count: int = 0


@dataclass(eq=False)
class _Doc:
    outlet: _Outlet
    kind: str
    instant: pd.Timestamp
    body: _Body
    id: str = ""
    text: str = ""
    b0: int = 0  # where the body starts in the text
    wire: _Doc | None = None  # the agency document of the story (the origin)
    source: _Doc | None = None  # the document it copied from
    passage: tuple[int, int, int, int] | None = None  # target start/end, source start/end
    subs: int = 0  # substituted words inside the passage
    credit: str = ""
    day_only: bool = False


def _make_outlets(rng: random.Random, count: int) -> list[_Outlet]:
    names = [f"{a} {b}" for a in FIRST for b in SECOND]
    rng.shuffle(names)
    names = [
        names[i % len(names)] + (f" {i // len(names) + 1}" if i >= len(names) else "") for i in range(count)
    ]
    outlets = []
    for i, name in enumerate(names):
        headers = [h.format(name=name, section=rng.choice(SECTIONS)) for h in rng.sample(HEADERS, 2)]
        copyright = rng.choice(COPYRIGHT).format(name=name)
        footers = []
        for k in range(3):
            lines = [rng.choice(SUBSCRIBE)] + ([rng.choice(COMMENTS)] if k != 1 else [])
            footers.append(" ".join(x.format(name=name) for x in lines) + "\n" + copyright)
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower().removeprefix("the ")).strip("-")
        # A house style: half of the substitutions and of the cuttable words, each desk its own.
        style = {
            w: rng.choice(SUBSTITUTES[w]) for w in rng.sample(sorted(SUBSTITUTES), len(SUBSTITUTES) // 2)
        }
        cuts = frozenset(rng.sample(sorted(DROPPABLE), len(DROPPABLE) // 2))
        zone, appetite = ZONES[i % len(ZONES)], rng.uniform(0.3, 1.5)
        outlets.append(_Outlet(name, slug, zone, appetite, headers, footers, style, cuts))
    return outlets


def _breaks(rng: random.Random, n: int) -> frozenset[int]:
    return frozenset(i for i in range(n - 1) if rng.random() < 0.5)


def _wrap(rng: random.Random, doc: _Doc) -> None:
    """Put the body inside the outlet's chrome: one of its headers and one of its footers."""
    header = rng.choice(doc.outlet.headers)
    doc.text = header + "\n\n" + doc.body.render()[0] + "\n\n" + rng.choice(doc.outlet.footers)
    doc.b0 = len(header) + 2


def _light(
    rng: random.Random, outlet: _Outlet, src: _Body, prefix: str, suffix: str
) -> tuple[_Body, list[int], int]:
    """A copy-desk edit in the outlet's house style: maybe a short sentence cut or two swapped, and
    1 word in 15-25 changed (as many as the style finds)."""
    n, total = len(src.sentences), sum(_nwords(s) for s in src.sentences)
    order = list(range(n))
    if n >= 6 and rng.random() < 0.4:
        i = rng.randrange(1, n - 1)
        if _nwords(src.sentences[i]) <= 0.1 * total:
            order.remove(i)
    if rng.random() < 0.3:
        i = rng.randrange(len(order) - 1)
        order[i], order[i + 1] = order[i + 1], order[i]
    words = [src.sentences[i].split(" ") for i in order]

    def editable(w: str) -> bool:
        core = w.rstrip(",;")
        return bool(re.fullmatch(r"[a-z]+", core)) and (
            core in outlet.style or (core == w and w in outlet.cuts)
        )

    slots = [(a, b) for a, ws in enumerate(words) for b in range(1, len(ws) - 1) if editable(ws[b])]
    want = max(1, round(total * rng.uniform(1 / 25, 1 / 15)))
    subs = 0
    for a, b in sorted(rng.sample(slots, min(want, len(slots))), reverse=True):  # cuts from the end
        core = words[a][b].rstrip(",;")
        if core in outlet.style:
            words[a][b] = outlet.style[core] + words[a][b][len(core) :]
            subs += 1
        else:
            del words[a][b]
    breaks = frozenset(i for i in range(len(order) - 1) if order[i] in src.breaks)
    return _Body(prefix, [" ".join(ws) for ws in words], breaks, suffix), order, subs


def _reprint(rng: random.Random, outlet: _Outlet, wire: _Doc, kind: str, when: pd.Timestamp) -> _Doc:
    """The agency story in the outlet's chrome: verbatim, trimmed or lightly edited."""
    src, spans = wire.body, wire.body.render()[1]
    keep = rng.random() < 0.6  # keep the dateline and its credit
    prefix = src.prefix if keep else ""
    suffix = "" if keep or rng.random() < 0.5 else f"\n\n({wire.credit})"
    n, subs = len(src.sentences), 0
    if kind == "verbatim":
        body, used = _Body(prefix, list(src.sentences), src.breaks, suffix), list(range(n))
    elif kind == "trimmed":
        k = rng.randint(max(4, math.ceil(0.6 * n)), n - 1)
        body, used = _Body(prefix, src.sentences[:k], src.breaks, suffix), list(range(k))
    else:
        body, used, subs = _light(rng, outlet, src, prefix, suffix)
    doc = _Doc(outlet, kind, when, body, wire=wire, source=wire, subs=subs, credit=wire.credit)
    _wrap(rng, doc)
    length = len(body.render()[0]) - len(suffix)
    s0 = 0 if keep else spans[min(used)][0]
    doc.passage = (doc.b0, doc.b0 + length, s0, spans[max(used)][1])
    return doc


def _chain(rng: random.Random, outlet: _Outlet, src: _Doc, when: pd.Timestamp) -> _Doc:
    """A copy of another outlet's reprint (its body, whole or trimmed), in this outlet's chrome."""
    n = len(src.body.sentences)
    body = src.body
    if n >= 5 and rng.random() < 0.3:
        body = src.body.head(rng.randint(max(4, math.ceil(0.6 * n)), n - 1))
    doc = _Doc(outlet, "chain", when, body, wire=src.wire, source=src, credit=src.credit)
    _wrap(rng, doc)
    length = len(body.render()[0])
    doc.passage = (doc.b0, doc.b0 + length, src.b0, src.b0 + length)
    return doc


class _Pool:
    """Articles in a seeded order; each is used once."""

    def __init__(self, rng: random.Random, articles: Sequence[Article]) -> None:
        self.items = list(articles)
        rng.shuffle(self.items)

    def take(self) -> Article:
        if not self.items:
            raise ValueError(
                "not enough distinct articles for this many stories: ask for fewer, or give more"
            )
        return self.items.pop()


def _embedded(rng: random.Random, outlet: _Outlet, wire: _Doc, pool: _Pool, when: pd.Timestamp) -> _Doc:
    """An outlet's own article with 2-4 consecutive agency sentences in the middle (15-45% of it)."""
    src, spans = wire.body, wire.body.render()[1]
    n = len(src.sentences)
    for _ in range(50):
        own = pool.take()
        c = rng.randint(2, min(4, n - 1))
        j = rng.randrange(n - c + 1)
        inserted = _nwords(wire.text[spans[j][0] : spans[j + c - 1][1]])
        goal = rng.uniform(0.18, 0.42)
        fits = []
        for m in range(2, min(len(own.sentences), MAX_SENTENCES) + 1):
            share = inserted / (inserted + sum(_nwords(s) for s in own.sentences[:m]))
            if 0.15 <= share <= 0.45:
                fits.append((abs(share - goal), m))
        if fits:
            break
        pool.items.insert(0, own)  # too short to hold the quote: left for an original article
    else:
        raise ValueError("no article is long enough to embed a quote in")
    m = min(fits)[1]
    p = rng.randint(1, m - 1)
    sentences = [*own.sentences[:p], *src.sentences[j : j + c], *own.sentences[p:m]]
    breaks = {i for i in _breaks(rng, len(sentences)) if not p <= i < p + c - 1} | {p - 1, p + c - 1}
    breaks |= {p + i for i in range(c - 1) if j + i in src.breaks}  # the quote's own layout
    body = _Body("", sentences, frozenset(breaks))
    doc = _Doc(outlet, "embedded", when, body, wire=wire, source=wire, credit=wire.credit)
    _wrap(rng, doc)
    tspans = body.render()[1]
    doc.passage = (doc.b0 + tspans[p][0], doc.b0 + tspans[p + c - 1][1], spans[j][0], spans[j + c - 1][1])
    return doc


def _weighted_sample(rng: random.Random, outlets: Sequence[_Outlet], k: int) -> list[_Outlet]:
    """k distinct outlets, each drawn in proportion to its appetite for wire copy."""
    keyed = sorted(outlets, key=lambda o: rng.random() ** (1 / o.appetite), reverse=True)
    return keyed[:k]


def _published(doc: _Doc) -> str:
    """The instant as ISO 8601 in the outlet's zone, or the outlet's local date alone."""
    local = doc.instant.tz_convert(dt.timezone(dt.timedelta(minutes=doc.outlet.zone)))
    if doc.day_only:
        return local.strftime("%Y-%m-%d")
    text = local.isoformat()
    return text[:-6] + "Z" if doc.outlet.zone == 0 else text


# ---------------------------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------------------------


@dataclass
class Synth:
    """A synthetic corpus and its ground truth (see README.md for every column)."""

    records: list[dict]
    documents: pd.DataFrame
    sources: pd.DataFrame
    passages: pd.DataFrame
    source: str = ""  # where the sentences came from
    stats: dict[str, int] = field(default_factory=dict)


def make_corpus(
    stories: int = 300,
    outlets: int = 24,
    seed: int = 7,
    sentences: Sequence[str] | None = None,
    *,
    articles: Sequence[Article | Sequence[str]] | None = None,
) -> Synth:
    """A deterministic synthetic corpus of ``stories`` agency stories spread by ``outlets`` outlets.

    Sentences come from ``articles`` (each a list of sentences, or an :class:`Article`), else from
    ``sentences`` (cut into articles of 5 to 10 consecutive sentences), else from Reuters-21578
    when it is present, else from a random vocabulary. ``Synth.source`` says which.
    """
    if stories < 1 or outlets < 2:
        raise ValueError("make_corpus needs at least 1 story and 2 outlets")
    rng = random.Random(seed)
    if articles is not None:
        given = [a if isinstance(a, Article) else Article(tuple(a)) for a in articles]
        pool_articles, source = distinct_articles(given), "given articles"
    elif sentences is not None:
        cut, i = [], 0
        while i < len(sentences):
            size = 5 + len(cut) % 6
            cut.append(Article(tuple(sentences[i : i + size])))
            i += size
        pool_articles, source = distinct_articles(cut), "given sentences"
    else:
        try:
            pool_articles, source = reuters_articles(), "reuters21578"
        except FileNotFoundError:
            pool_articles, source = random_articles(3 * stories + 50, seed), "random vocabulary"
    pool = _Pool(rng, pool_articles)
    sinks = _make_outlets(rng, outlets)
    span = max(2, math.ceil(stories / 50)) * 86400  # seconds the stories spread over
    docs: list[_Doc] = []

    for s in range(stories):
        name, credit, dash, _, zone = rng.choices(AGENCIES, weights=[a[3] for a in AGENCIES])[0]
        art = pool.take()
        sents = list(art.sentences[:MAX_SENTENCES])
        body = _Body(f"{art.place or rng.choice(CITIES)} ({credit}) {dash} ", sents, _breaks(rng, len(sents)))
        when = START + pd.Timedelta(seconds=rng.randrange(span))
        agency = _Outlet(name, "", zone, 0.0, [], [])
        wire = _Doc(agency, "agency", when, body, id=f"wire-{s}", text=body.render()[0], credit=credit)
        docs.append(wire)
        carriers = _weighted_sample(
            rng, sinks, min(outlets - 1, rng.choice((0, 1, 2, 2, 3, 3, 4, 4, 5, 6, 8, 10)))
        )
        story = []
        for outlet in carriers:
            kind = rng.choices(("verbatim", "trimmed", "light"), weights=(0.45, 0.3, 0.25))[0]
            delay = pd.Timedelta(seconds=round(math.exp(rng.uniform(math.log(180), math.log(36000)))))
            story.append(_reprint(rng, outlet, wire, kind, when + delay))
        queue = list(story)
        while queue:  # copies of reprints, and now and then a copy of such a copy
            src = queue.pop(0)
            free = [o for o in sinks if o not in {d.outlet for d in story}]
            if src.kind != "chain" or src.source.kind != "chain":  # two copies deep at most
                if free and rng.random() < (0.15 if src.source is wire else 0.2):
                    delay = pd.Timedelta(seconds=rng.randrange(3600, 18 * 3600))
                    story.append(_chain(rng, rng.choice(free), src, src.instant + delay))
                    queue.append(story[-1])
        for _ in range(rng.choices((0, 1, 2), weights=(0.62, 0.3, 0.08))[0]):
            free = [o for o in sinks if o not in {d.outlet for d in story}]
            if free:
                delay = pd.Timedelta(seconds=rng.randrange(3600, 30 * 3600))
                story.append(_embedded(rng, rng.choice(free), wire, pool, when + delay))
        docs += story
    for _ in range(round(1.2 * stories)):
        art = pool.take()
        sents = list(art.sentences[:MAX_SENTENCES])
        own = _Doc(
            rng.choice(sinks),
            "original",
            START + pd.Timedelta(seconds=rng.randrange(span)),
            _Body("", sents, _breaks(rng, len(sents))),
        )
        _wrap(rng, own)
        docs.append(own)

    for doc in docs:
        if doc.kind != "agency":
            doc.outlet.count += 1
            doc.id = f"{doc.outlet.slug}-{doc.outlet.count:04d}"
            doc.day_only = rng.random() < 0.1
    return _assemble(rng, docs, source)


def _assemble(rng: random.Random, docs: list[_Doc], source: str) -> Synth:
    """Check every copied share and passage, then lay out records and the gold tables."""
    gold, links, passages = [], [], []
    for doc in docs:
        derived = doc.source is not None
        if derived:
            assert doc.passage is not None and doc.wire is not None and doc.source is not None
            t0, t1, s0, s1 = doc.passage
            if doc.kind in EXACT_KINDS:
                assert doc.text[t0:t1] == doc.source.text[s0:s1], doc.id
            body = doc.text[doc.b0 : doc.b0 + len(doc.body.render()[0])]
            share = (_nwords(doc.text[t0:t1]) - doc.subs) / _nwords(body)
            low, high = (WHOLLY_MIN, 1.0) if DERIVATION[doc.kind] == "wholly" else PARTIAL_RANGE
            assert low <= share <= high, (doc.id, doc.kind, share)
            links.append({"source_id": doc.source.id, "target_id": doc.id, "kind": doc.kind})
            passages.append(
                {"target_id": doc.id, "source_id": doc.source.id, "target_start": t0, "target_end": t1,
                 "source_start": s0, "source_end": s1, "kind": doc.kind}
            )  # fmt: skip
        gold.append(
            {"id": doc.id, "outlet": doc.outlet.name, "kind": doc.kind, "derivation": DERIVATION[doc.kind],
             "origin_id": doc.wire.id if derived and doc.wire else None,
             "origin_outlet": doc.wire.outlet.name if derived and doc.wire else None,
             "published_true": doc.instant, "copied_share": round(share, 4) if derived else 0.0}
        )  # fmt: skip
    records = [
        {"id": d.id, "text": d.text, "outlet": d.outlet.name, "published": _published(d)} for d in docs
    ]
    rng.shuffle(records)  # corpus order is not time order
    documents = pd.DataFrame(gold).sort_values(["published_true", "id"], ignore_index=True)
    carriers = pd.Series([d.wire.id for d in docs if d.kind in ("verbatim", "trimmed", "light")])
    stats = {
        **documents["kind"].value_counts().to_dict(),
        "documents": len(docs),
        "stories with siblings": int((carriers.value_counts() >= 2).sum()),
        "day-only dates": sum(d.day_only for d in docs),
    }
    return Synth(records, documents, pd.DataFrame(links), pd.DataFrame(passages), source, stats)


def write(synth: Synth, out: pathlib.Path) -> None:
    """DIR/corpus.jsonl and DIR/gold_documents.csv, gold_sources.csv, gold_passages.csv."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "corpus.jsonl", "w", encoding="utf-8") as f:
        for record in synth.records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    documents = synth.documents.assign(
        published_true=synth.documents["published_true"].map(pd.Timestamp.isoformat)
    )
    documents.to_csv(out / "gold_documents.csv", index=False)
    synth.sources.to_csv(out / "gold_sources.csv", index=False)
    synth.passages.to_csv(out / "gold_passages.csv", index=False)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Write a SYNTHETIC news-propagation corpus with ground truth."
    )
    parser.add_argument("--out", type=pathlib.Path, required=True, help="directory to write into")
    parser.add_argument("--stories", type=int, default=300, help="agency stories (default 300)")
    parser.add_argument("--outlets", type=int, default=24, help="outlets (default 24)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    args = parser.parse_args(argv)
    synth = make_corpus(args.stories, args.outlets, args.seed)
    write(synth, args.out)
    print(f"{len(synth.records)} documents from {synth.source} written to {args.out}")
    for key, value in synth.stats.items():
        print(f"  {key}: {value}")


if __name__ == "__main__":
    main()
