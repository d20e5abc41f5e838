"""A news corpus for speed benchmarks, from 10k to 1M+ articles, with its true reuse pairs.

**Synthetic.** The words are Reuters-21578's (read at run time from ``../shared/datasets``, never
copied), recombined by a first-order Markov chain over its running text: every article is new
text with the word statistics, stock phrases and sentence shapes of real newswire. Agencies
publish stories; outlets reprint them within hours (verbatim, trimmed to their first part, or with
one word in twenty changed), a few stories far more widely than others; each outlet wraps its
pages in its own header and footer; and outlets write articles of their own. The true reuse pairs
are (agency story, reprint).

Without the dataset, the chain runs over the random-vocabulary articles of
``benchmarks/synth/generate.py``, so the generator still works (``SpeedCorpus.source`` says
which).
"""

from __future__ import annotations

import pathlib
import sys
from dataclasses import dataclass

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from synth.generate import (
    AGENCIES,
    CITIES,
    FIRST,
    HEADERS,
    SECOND,
    SECTIONS,
    SUBSCRIBE,
    random_articles,
    reuters_sentences,
)

START = 1_711_929_600  # 2024-04-01T00:00:00Z, Unix seconds
KINDS = ("verbatim", "trimmed", "light")


@dataclass(frozen=True)
class SpeedCorpus:
    """The records (for :class:`storytrace.Corpus`) and the true reuse pairs."""

    records: list[dict]
    pairs: set[tuple[str, str]]  # (agency story id, reprint id)
    source: str  # "reuters21578" or "random vocabulary"
    story: dict[str, int]  # the story each agency story and reprint carries

    def same_story(self, a: str, b: str) -> bool:
        """Whether two documents carry one story (a copy pair or two reprints of it)."""
        return a in self.story and self.story.get(b) == self.story[a]

    @property
    def megabytes(self) -> float:
        return sum(len(r["text"].encode("utf-8")) for r in self.records) / 1e6


class Chain:
    """A first-order Markov chain over a word stream, stepped for many texts at once (numpy)."""

    def __init__(self, sentences: list[str]) -> None:
        words = " ".join(sentences).split(" ")
        vocab, ids = np.unique(np.array(words, dtype=object), return_inverse=True)
        self.vocab = vocab
        self.ids = ids.astype(np.int32)
        # Positions grouped by word: stepping from a word jumps to a random later occurrence of it
        # and takes the word after that occurrence.
        order = np.argsort(self.ids[:-1], kind="stable")
        self.by_word = order.astype(np.int64)
        counts = np.bincount(self.ids[:-1], minlength=len(vocab))
        self.first = np.concatenate([[0], np.cumsum(counts)])
        self.count = counts
        # Where a text may start: after a sentence end.
        ends = np.array([w.endswith(".") for w in vocab])[self.ids[:-1]]
        self.starts = np.flatnonzero(ends) + 1

    def texts(self, rng: np.random.Generator, lengths: np.ndarray) -> list[str]:
        """One text of each length (in words), starting at a sentence start."""
        n, longest = len(lengths), int(lengths.max())
        out = np.empty((n, longest), dtype=np.int32)
        pos = self.starts[rng.integers(0, len(self.starts), n)]
        for step in range(longest):
            w = self.ids[pos]
            out[:, step] = w
            stuck = self.count[w] == 0  # the stream's last word: start a new sentence
            k = self.first[w] + (rng.random(n) * np.maximum(self.count[w], 1)).astype(np.int64)
            nxt = self.by_word[np.minimum(k, len(self.by_word) - 1)] + 1
            pos = np.where(stuck, self.starts[rng.integers(0, len(self.starts), n)], nxt)
        vocab = self.vocab
        return [" ".join(vocab[out[i, : lengths[i]]]) for i in range(n)]


def _outlets(rng: np.random.Generator, count: int) -> list[tuple[str, str, str]]:
    """(name, header, footer) per outlet."""
    out = []
    for i in range(count):
        name = f"{FIRST[i % len(FIRST)]} {SECOND[(i // len(FIRST)) % len(SECOND)]}"
        if i >= len(FIRST) * len(SECOND):
            name += f" {i // (len(FIRST) * len(SECOND)) + 1}"
        header = HEADERS[i % len(HEADERS)].format(name=name, section=SECTIONS[i % len(SECTIONS)])
        footer = SUBSCRIBE[i % len(SUBSCRIBE)].format(name=name) + f"\n© 2024 {name}. All rights reserved."
        out.append((name, header, footer))
    return out


def make_corpus(docs: int = 20_000, seed: int = 7, sentences: list[str] | None = None) -> SpeedCorpus:
    """About ``docs`` articles: 30% agency stories, 50% reprints of them, 20% outlets' own.

    Deterministic for a seed. Each article body is 60-400 words (about 1.2 KB with its page
    chrome, like the news in a real corpus); reprints follow their story by 3 minutes to 10 hours.
    """
    if docs < 10:
        raise ValueError("docs must be at least 10")
    source = "given sentences"
    if sentences is None:
        try:
            sentences, source = reuters_sentences(), "reuters21578"
        except FileNotFoundError:
            sentences = [s for a in random_articles(3000, seed) for s in a.sentences]
            source = "random vocabulary"
    rng = np.random.default_rng(seed)
    chain = Chain(sentences)
    stories, reprints = int(0.3 * docs), int(0.5 * docs)
    own = docs - stories - reprints
    outlets = _outlets(rng, max(40, docs // 2000))
    lengths = np.clip(rng.lognormal(np.log(170), 0.35, stories + own), 60, 400).astype(np.int64)
    bodies = chain.texts(rng, lengths)
    span = max(2, docs // 20_000) * 86_400
    records: list[dict] = []
    pairs: set[tuple[str, str]] = set()
    story: dict[str, int] = {f"wire-{s}": s for s in range(stories)}
    story_time = START + rng.integers(0, span, stories)
    story_agency = rng.integers(0, len(AGENCIES), stories)
    story_city = rng.integers(0, len(CITIES), stories)
    for s in range(stories):
        name, credit, dash = AGENCIES[story_agency[s]][:3]
        bodies[s] = f"{CITIES[story_city[s]]} ({credit}) {dash} " + bodies[s]
        records.append(
            {"id": f"wire-{s}", "text": bodies[s], "outlet": name, "published": int(story_time[s])}
        )
    # Reprints: popular stories far more often (a Pareto weight), an outlet at most once a story.
    weight = rng.pareto(1.2, stories) + 0.05
    chosen = rng.choice(stories, size=reprints, p=weight / weight.sum())
    kinds = rng.choice(len(KINDS), size=reprints, p=(0.5, 0.3, 0.2))
    delays = np.exp(rng.uniform(np.log(180), np.log(36_000), reprints)).astype(np.int64)
    taken: dict[int, set[int]] = {}
    counts = [0] * len(outlets)
    vocab = chain.vocab
    for r in range(reprints):
        s = int(chosen[r])
        while len(taken.setdefault(s, set())) >= len(outlets):  # every outlet has it: another story
            s = int(rng.integers(0, stories))
        used = taken[s]
        o = int(rng.integers(0, len(outlets)))
        while o in used:
            o = (o + 1) % len(outlets)
        used.add(o)
        name, header, footer = outlets[o]
        words = bodies[s].split(" ")
        kind = KINDS[kinds[r]]
        if kind == "trimmed":
            words = words[: max(40, int(len(words) * rng.uniform(0.6, 0.9)))]
        elif kind == "light":
            for i in rng.choice(len(words), size=max(1, len(words) // 20), replace=False):
                words[i] = vocab[rng.integers(0, len(vocab))]
        counts[o] += 1
        doc_id = f"{name.lower().replace(' ', '-')}-{counts[o]}"
        text = f"{header}\n\n{' '.join(words)}\n\n{footer}"
        records.append(
            {"id": doc_id, "text": text, "outlet": name, "published": int(story_time[s] + delays[r])}
        )
        pairs.add((f"wire-{s}", doc_id))
        story[doc_id] = s
    for k in range(own):
        o = int(rng.integers(0, len(outlets)))
        name, header, footer = outlets[o]
        counts[o] += 1
        text = f"{header}\n\n{bodies[stories + k]}\n\n{footer}"
        records.append(
            {
                "id": f"{name.lower().replace(' ', '-')}-{counts[o]}",
                "text": text,
                "outlet": name,
                "published": int(START + rng.integers(0, span)),
            }
        )
    return SpeedCorpus(records, pairs, source, story)
