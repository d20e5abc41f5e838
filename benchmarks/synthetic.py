"""A deterministic synthetic news corpus with known provenance.

Agencies publish stories; outlets reprint some of them (whole, trimmed, lightly edited, with a
credit or without), rewrite others, and wrap everything in their own page chrome. Every document
records the truth: which story it carries, whether it is derived, and from which agency.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

WORDS = (
    "government minister said officials report attack city police election vote market bank rate "
    "talks peace border troops president court ruling company shares profit oil price energy plan "
    "budget health hospital school storm flood fire rescue protest union strike deal trade export "
    "crisis council mayor region village capital coast river bridge road airport train ship army "
    "navy rebels ceasefire summit leaders agreement statement spokesman sources analysts economy "
    "growth inflation jobs workers farmers crops weather drought season record week month year"
).split()

AGENCIES = (("Associated Press", "AP"), ("Reuters", "Reuters"), ("Agence France-Presse", "AFP"))


@dataclass
class Truth:
    story: int
    derived: bool
    agency: str | None


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 24))]
    return " ".join(words).capitalize() + "."


def story_text(rng: random.Random, sentences: int) -> list[str]:
    return [sentence(rng) for _ in range(sentences)]


def edit(rng: random.Random, sents: Sequence[str], level: float) -> list[str]:
    """Light edits: drop sentences and change words with probability `level`."""
    out = []
    for s in sents:
        if rng.random() < level / 2:
            continue
        words = s.split()
        words = [rng.choice(WORDS) if rng.random() < level / 4 else w for w in words]
        out.append(" ".join(words))
    return out or list(sents[:1])


def make_corpus(
    stories: int = 200, outlets: int = 20, reprint_rate: float = 0.3, seed: int = 1
) -> tuple[list[dict], list[Truth]]:
    """Records for ``storytrace.Corpus.extend`` and the truth for each."""
    rng = random.Random(seed)
    chrome = {
        f"outlet{k}": f"Read more at Outlet {k} news. Subscribe to Outlet {k} today for all the "
        f"latest stories and never miss an update from our newsroom number {k}."
        for k in range(outlets)
    }
    records: list[dict] = []
    truth: list[Truth] = []
    t0 = 1_700_000_000
    for s in range(stories):
        name, credit = AGENCIES[s % len(AGENCIES)]
        body = story_text(rng, rng.randint(6, 14))
        when = t0 + s * 3600
        records.append(
            {
                "id": f"wire-{s}",
                "text": f"CITY ({credit}) - " + " ".join(body),
                "outlet": name,
                "published": when,
            }
        )
        truth.append(Truth(s, False, None))
        for o in range(outlets):
            if rng.random() >= reprint_rate:
                continue
            outlet = f"outlet{o}"
            level = rng.choice((0.0, 0.1, 0.3))
            text = " ".join(edit(rng, body, level))
            if rng.random() < 0.6:
                text = f"CITY ({credit}) - " + text
            records.append(
                {
                    "id": f"{outlet}-{s}",
                    "text": text + "\n\n" + chrome[outlet],
                    "outlet": outlet,
                    "published": when + rng.randint(60, 7200),
                }
            )
            truth.append(Truth(s, True, name))
        # An original story by one outlet, sharing only chrome.
        o = rng.randrange(outlets)
        records.append(
            {
                "id": f"own-{o}-{s}",
                "text": " ".join(story_text(rng, 8)) + "\n\n" + chrome[f"outlet{o}"],
                "outlet": f"outlet{o}",
                "published": when + 30,
            }
        )
        truth.append(Truth(-1, False, None))
    return records, truth
