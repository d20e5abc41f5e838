"""Shared fixtures: the bundled sample corpus and small corpora made by hand for known answers."""

from __future__ import annotations

import importlib.util
import pathlib
import random
import sys
from dataclasses import dataclass, field
from types import ModuleType

import pandas as pd
import pytest
from hypothesis import HealthCheck, settings

import storytrace as st

# Hypothesis: a quick default; `pytest --hypothesis-profile=thorough` for a long search.
settings.register_profile(
    "storytrace", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("storytrace")

# --------------------------------------------------------------------------------------------
# Pseudo-English prose: words that no two independently generated texts share five in a row.
# --------------------------------------------------------------------------------------------

_ONSETS = ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "br", "cl", "st", "tr"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ou"]
_CODAS = ["", "", "n", "r", "s", "t", "l", "nd", "st"]


def _vocabulary(size: int = 4000, seed: int = 20240419) -> list[str]:
    rng = random.Random(seed)
    words: set[str] = set()
    while len(words) < size:
        syllables = rng.choice((1, 2, 2, 3))
        words.add(
            "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables))
        )
    return sorted(words)


VOCABULARY = _vocabulary()


def load_file(name: str, path: pathlib.Path) -> ModuleType:
    """The Python file at ``path`` (a benchmark's module) imported as ``name``."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def prose(rng: random.Random, words: int) -> str:
    """About ``words`` words of sentence-shaped nonsense (capitals, commas, full stops)."""
    out: list[str] = []
    while len(out) < words:
        sentence = [rng.choice(VOCABULARY) for _ in range(rng.randint(8, 20))]
        sentence[0] = sentence[0].capitalize()
        if len(sentence) > 10:
            sentence[5] += ","
        out.extend(sentence)
        out[-1] += "."
    return " ".join(out)


def paragraphs(rng: random.Random, count: int, words: int = 40) -> list[str]:
    return [prose(rng, words) for _ in range(count)]


def ntokens(text: str) -> int:
    """Number of tokens storytrace finds in ``text``."""
    return len(st.tokenize(text))


def trimmed(text: str) -> str:
    """``text`` from the start of its first token to the end of its last: what a passage spans."""
    toks = st.tokenize(text)
    if toks.empty:
        return ""
    return text[int(toks["start"].iloc[0]) : int(toks["end"].iloc[-1])]


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text).tz_convert("UTC") if pd.Timestamp(text).tzinfo else pd.Timestamp(text, tz="UTC")


# --------------------------------------------------------------------------------------------
# The bundled sample corpus.
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sample_corpus() -> st.Corpus:
    return st.sample_corpus()


@pytest.fixture(scope="session")
def sample_trace(sample_corpus: st.Corpus) -> st.Trace:
    return st.trace(sample_corpus)


# --------------------------------------------------------------------------------------------
# A wire story reprinted by three outlets, with timestamps, plus unrelated documents.
# --------------------------------------------------------------------------------------------

WIRE_BODY = [
    "Firefighters battled a wind-driven wildfire through the night on the northern edge of the valley, "
    "forcing the evacuation of about two thousand residents from three hillside neighborhoods, officials "
    "said on Friday.",
    "The blaze started shortly after noon near a gravel quarry and spread quickly across dry brush, fanned "
    "by gusts that reached sixty miles per hour in the canyons, according to the county fire department.",
    "No deaths were reported, but two firefighters were treated for heat exhaustion and at least fourteen "
    "homes were destroyed or badly damaged, fire captain Rosa Delgado told reporters at an evening briefing.",
    "Crews dropped retardant from aircraft until dusk and planned to resume flights at first light, while "
    "bulldozers cut containment lines along the ridge above the reservoir.",
    "The state's governor declared an emergency for the county late Friday, freeing money for shelters and "
    "allowing the National Guard to help with road closures and traffic control.",
    "Forecasters said cooler air and higher humidity expected on Sunday could give crews their first real "
    "chance to slow the fire's advance toward the interstate.",
]

POST_INTRO = (
    "Residents who fled the flames spent the night in school gymnasiums and church halls, many of them "
    "unsure whether their homes were still standing when the sun came up over the smoke."
)

STAR_OWN = [
    "At the Lakeview shelter, volunteers handed out blankets, bottled water and phone chargers while a "
    "veterinarian checked on the dogs, cats and one elderly parrot that evacuees had carried out in a hurry.",
    "Marta Kowalski, a retired schoolteacher who has lived on Juniper Lane for thirty-one years, said she "
    "grabbed her passport, her late husband's watch and a box of photographs before a deputy knocked on "
    "her door.",
    "Local businesses along Main Street stayed open late, offering free coffee and sandwiches to crews "
    "coming off the line, and the high school football team spent the afternoon unloading donated supplies.",
    "Insurance agents in the county warned homeowners to photograph any damage as soon as it is safe to "
    "return and to keep receipts for hotel rooms, meals and other costs of the evacuation.",
]

UNRELATED = [
    "The city council voted five to two on Tuesday to approve a budget that expands weekend hours at all "
    "four public library branches and hires six new children's librarians. Council member Denise Arroyo, "
    "who opposed the plan, said the money should have gone to repaving roads in the eastern wards. The "
    "new hours begin in September, and the library board will report back on attendance next spring.",
    "A late header from the visiting captain gave Riverside United a one-nil win at a rain-soaked stadium "
    "on Saturday, ending a six-match winless run. The home side hit the crossbar twice in the first half "
    "and had a penalty appeal waved away after a tangle in the box. Riverside climb to ninth in the table "
    "ahead of a midweek cup tie against their neighbours.",
    "Gardeners should wait until the last frost has passed before planting tomatoes outdoors, the regional "
    "horticultural society advised in its spring bulletin. Seedlings grown on a windowsill benefit from a "
    "week of hardening off on a sheltered porch, and a thick layer of straw mulch keeps the soil moist "
    "through the first dry spell of the season.",
]


@dataclass
class HandMade:
    """The wire-story corpus and what its construction implies."""

    corpus: st.Corpus
    body: str
    texts: dict[str, str]
    outlets: dict[str, str]
    published: dict[str, pd.Timestamp]
    reprints: list[str]  # the four documents that carry the wildfire story, in time order
    unrelated: list[str]
    copied_tokens: dict[str, int] = field(
        default_factory=dict
    )  # tokens of each reprint taken from earlier ones


def _hand_made() -> HandMade:
    body = "\n\n".join(WIRE_BODY)
    herald = "Wildfire forces thousands from hillside homes\n\n" + body
    post = "Valley fire grows overnight as evacuees wait\n\n" + POST_INTRO + "\n\n" + body
    star = (
        "Shelters fill as the valley fire burns\n\n"
        + "\n\n".join(WIRE_BODY[:3])
        + "\n\n"
        + "\n\n".join(STAR_OWN)
    )
    # A copy of the Evening Post's copy (its own intro included), a day later.
    review = "Week in review: the valley fire\n\n" + POST_INTRO + "\n\n" + body
    texts = {
        "herald-fire": herald,
        "post-fire": post,
        "star-fire": star,
        "review-fire": review,
        "herald-council": UNRELATED[0],
        "post-football": UNRELATED[1],
        "star-garden": UNRELATED[2],
    }
    outlets = {
        "herald-fire": "Daily Herald",
        "post-fire": "Evening Post",
        "star-fire": "Morning Star",
        "review-fire": "Weekly Review",
        "herald-council": "Daily Herald",
        "post-football": "Evening Post",
        "star-garden": "Morning Star",
    }
    published = {
        "herald-fire": utc("2024-07-12T06:00:00Z"),
        "post-fire": utc("2024-07-12T07:30:00Z"),
        "star-fire": utc("2024-07-12T08:15:00Z"),
        "review-fire": utc("2024-07-13T10:00:00Z"),
        "herald-council": utc("2024-07-11T18:00:00Z"),
        "post-football": utc("2024-07-13T21:00:00Z"),
        "star-garden": utc("2024-07-10T09:00:00Z"),
    }
    # Corpus order is not time order: the origin must come from the timestamps.
    order = [
        "review-fire",
        "star-garden",
        "star-fire",
        "herald-council",
        "post-fire",
        "herald-fire",
        "post-football",
    ]
    corpus = st.Corpus()
    for doc_id in order:
        corpus.add(texts[doc_id], id=doc_id, outlet=outlets[doc_id], published=published[doc_id])
    copied = {
        "herald-fire": 0,
        "post-fire": ntokens(body),
        "star-fire": ntokens("\n\n".join(WIRE_BODY[:3])),
        "review-fire": ntokens(POST_INTRO) + ntokens(body),
    }
    return HandMade(
        corpus=corpus,
        body=body,
        texts=texts,
        outlets=outlets,
        published=published,
        reprints=["herald-fire", "post-fire", "star-fire", "review-fire"],
        unrelated=["herald-council", "post-football", "star-garden"],
        copied_tokens=copied,
    )


@pytest.fixture(scope="session")
def hand_made() -> HandMade:
    return _hand_made()


@pytest.fixture(scope="session")
def hand_trace(hand_made: HandMade) -> st.Trace:
    return st.trace(hand_made.corpus)


# --------------------------------------------------------------------------------------------
# Two undated reprints of one AP story, by two outlets.
# --------------------------------------------------------------------------------------------

AP_BODY = (
    "NEW YORK (AP) — The operator of the city's subway system said Monday it will replace the last of its "
    "coin-operated turnstiles by the end of next year, retiring machines that have clicked under the "
    "hands of commuters since the nineteen-nineties. Riders will pay with contactless cards and phones at "
    "every station, the authority said, and older fare cards will be accepted for another eighteen months "
    "while the change is phased in. Transit advocates welcomed the plan but urged the agency to keep "
    "discount fares for students, seniors and riders with disabilities."
)


def _ap_siblings() -> st.Corpus:
    corpus = st.Corpus()
    corpus.add(
        "Subway to retire its last coin turnstiles\n\n" + AP_BODY,
        id="ledger-subway",
        outlet="Springfield Ledger",
    )
    corpus.add(
        "Goodbye to the coin turnstile: city subway goes contactless\n\n"
        + AP_BODY
        + "\n\nMore local news on page 4.",
        id="times-subway",
        outlet="Shelbyville Times",
    )
    corpus.add(UNRELATED[0], id="times-council", outlet="Shelbyville Times")
    return corpus


@pytest.fixture(scope="session")
def ap_siblings() -> st.Corpus:
    return _ap_siblings()


# --------------------------------------------------------------------------------------------
# A footer one outlet repeats across its own articles, and a story five outlets print once each.
# --------------------------------------------------------------------------------------------

FOOTER = (
    "Subscribe to the Gazette newsletter for the day's top stories delivered to your inbox every morning. "
    "Comments are moderated and must follow our community guidelines; we reserve the right to remove posts "
    "that are abusive or off topic."
)


@dataclass
class BoilerplateCase:
    corpus: st.Corpus
    gazette_own: list[str]  # the Gazette's four unrelated articles, each ending with the footer
    shared_story: list[str]  # the five prints of one story, in time order
    story_text: str


def _boilerplate_case() -> BoilerplateCase:
    rng = random.Random(7)
    corpus = st.Corpus()
    gazette_own = []
    start = pd.Timestamp("2024-05-01T08:00:00Z")
    for k in range(4):
        doc_id = f"gazette-{k}"
        text = "\n\n".join(paragraphs(rng, 3, 45)) + "\n\n" + FOOTER
        corpus.add(text, id=doc_id, outlet="Gazette", published=start + pd.Timedelta(days=k))
        gazette_own.append(doc_id)
    story = "\n\n".join(paragraphs(rng, 4, 40))
    outlets = ["Chronicle", "Gazette", "Courier", "Tribune", "Observer"]
    shared = []
    for k, outlet in enumerate(outlets):
        doc_id = f"story-{outlet.lower()}"
        text = prose(rng, 20) + "\n\n" + story
        if outlet == "Gazette":
            text += "\n\n" + FOOTER
        corpus.add(text, id=doc_id, outlet=outlet, published=start + pd.Timedelta(days=10, hours=k))
        shared.append(doc_id)
    return BoilerplateCase(corpus=corpus, gazette_own=gazette_own, shared_story=shared, story_text=story)


@pytest.fixture(scope="session")
def boilerplate_case() -> BoilerplateCase:
    return _boilerplate_case()


# --------------------------------------------------------------------------------------------
# A Reuters-like synthetic corpus: agency copy, reprints, rewrites, chains and page chrome.
# --------------------------------------------------------------------------------------------


def synthetic_corpus(seed: int = 1, docs: int = 300) -> st.Corpus:
    """``docs`` documents from a dozen outlets over a month, with injected reuse.

    About a fifth are agency stories ("LONDON (Reuters) - ..."), each reprinted whole or in part by
    a few outlets (some undated), some reprints copied again; outlets carry their own footers; the
    rest are original.
    """
    rng = random.Random(seed)
    outlets = [f"Outlet {c}" for c in "ABCDEFGHIJK"] + ["Reuters"]
    footers = {o: prose(random.Random(f"{o}/{seed}"), 25) for o in outlets[:4]}
    start = pd.Timestamp("2024-03-01T00:00:00Z")
    records: list[dict[str, object]] = []
    agency_stories: list[tuple[str, pd.Timestamp]] = []
    while len(records) < docs:
        roll = rng.random()
        when = start + pd.Timedelta(minutes=rng.randrange(0, 30 * 24 * 60))
        if roll < 0.2 or not agency_stories:
            body = "\n\n".join(paragraphs(rng, rng.randint(3, 7), rng.randint(25, 60)))
            text = f"{prose(rng, 8)}\n\nLONDON (Reuters) - {body}"
            agency_stories.append((body, when))
            outlet = "Reuters"
        elif roll < 0.6:
            body, t0 = rng.choice(agency_stories)
            parts = body.split("\n\n")
            keep = parts if rng.random() < 0.5 else parts[: rng.randint(1, len(parts))]
            own = paragraphs(rng, rng.randint(0, 3), 30)
            text = "\n\n".join([prose(rng, 10), *keep, *own])
            if rng.random() < 0.5:
                text += "\n\n(Reuters)"
            outlet = rng.choice(outlets[:-1])
            when = t0 + pd.Timedelta(minutes=rng.randrange(1, 3000))
        elif roll < 0.7 and len(records) > 5:
            # A copy of an earlier reprint (a copy of a copy), lightly edited.
            src = rng.choice(records)
            words = str(src["text"]).split(" ")
            if len(words) > 40:
                cut = rng.randrange(20, len(words) - 10)
                words[cut] = rng.choice(VOCABULARY)
            text = " ".join(words)
            outlet = rng.choice(outlets[:-1])
            when = (src["published"] if isinstance(src["published"], pd.Timestamp) else when) + pd.Timedelta(
                hours=2
            )
        else:
            text = "\n\n".join(paragraphs(rng, rng.randint(2, 6), rng.randint(20, 60)))
            outlet = rng.choice(outlets[:-1])
        if outlet in footers:
            text += "\n\n" + footers[outlet]
        published: object = when if rng.random() > 0.15 else None
        records.append(
            {"id": f"doc-{len(records):04d}", "text": text, "outlet": outlet, "published": published}
        )
    corpus = st.Corpus()
    corpus.extend(records)
    return corpus


@pytest.fixture(scope="session")
def reuters_like() -> st.Corpus:
    return synthetic_corpus(seed=1, docs=300)
