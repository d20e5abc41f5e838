"""storytrace beside its peers on one corpus, in one run: time and recall of the true reuse pairs.

Peers (each finds candidate pairs of similar documents; a true pair is found when the tool pairs
the agency story with its reprint):

- datasketch ``MinHashLSH`` (num_perm=128, word 5-grams, insert all then query all);
- rensa ``RMinHashLSH`` (the Rust MinHash; num_perm=128, 16 bands), the same shingles;
- a plain pure-Python shingle-set baseline: an inverted index of word 5-grams, a pair when at
  least half of the smaller document's shingles are shared (shingles in more than 100 documents,
  page chrome, are skipped).

The MinHash peers use a Jaccard threshold of 0.5. Shingling for the peers (lowercased ``\\w+``
words) is timed as part of each peer.
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

WORD = re.compile(r"\w+")


@dataclass
class PeerResult:
    name: str
    seconds: float
    pairs: set[frozenset[str]]
    note: str = ""


def shingles(text: str, n: int = 5) -> set[str]:
    words = WORD.findall(text.lower())
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def storytrace_pairs(records: list[dict], threads: int = 0) -> PeerResult:
    import storytrace as st

    corpus = st.Corpus(records)
    start = time.perf_counter()
    result = st.trace(corpus, threads=threads)
    sources = result.sources
    elapsed = time.perf_counter() - start
    pairs = {frozenset(p) for p in zip(sources["source_id"], sources["target_id"])}
    return PeerResult("storytrace", elapsed, pairs, "trace(), DataFrame of links included")


def datasketch_pairs(records: list[dict], threshold: float = 0.5) -> PeerResult:
    from datasketch import MinHash, MinHashLSH

    start = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    hashes = {}
    for r in records:
        m = MinHash(num_perm=128)
        m.update_batch([s.encode("utf-8") for s in shingles(r["text"])])
        hashes[r["id"]] = m
        lsh.insert(r["id"], m)
    pairs = {frozenset((key, other)) for key, m in hashes.items() for other in lsh.query(m) if other != key}
    return PeerResult("datasketch MinHashLSH", time.perf_counter() - start, pairs, f"threshold {threshold}")


def rensa_pairs(records: list[dict], threshold: float = 0.5) -> PeerResult:
    from rensa import RMinHash, RMinHashLSH

    start = time.perf_counter()
    lsh = RMinHashLSH(threshold=threshold, num_perm=128, num_bands=16)
    hashes = []
    for k, r in enumerate(records):
        m = RMinHash(num_perm=128, seed=42)
        m.update(list(shingles(r["text"])))
        hashes.append(m)
        lsh.insert(k, m)
    ids = [r["id"] for r in records]
    pairs = {frozenset((ids[k], ids[o])) for k, m in enumerate(hashes) for o in lsh.query(m) if o != k}
    return PeerResult(
        "rensa RMinHashLSH", time.perf_counter() - start, pairs, f"threshold {threshold}, 16 bands"
    )


def python_pairs(records: list[dict], containment: float = 0.5, max_df: int = 100) -> PeerResult:
    start = time.perf_counter()
    sets = [{hash(s) for s in shingles(r["text"])} for r in records]
    index: defaultdict[int, list[int]] = defaultdict(list)
    for k, s in enumerate(sets):
        for h in s:
            index[h].append(k)
    pairs = set()
    ids = [r["id"] for r in records]
    for k, s in enumerate(sets):
        shared: Counter[int] = Counter()
        for h in s:
            holders = index[h]
            if len(holders) <= max_df:
                shared.update(o for o in holders if o < k)
        for o, count in shared.items():
            if count >= containment * max(1, min(len(s), len(sets[o]))):
                pairs.add(frozenset((ids[k], ids[o])))
    return PeerResult(
        "pure-Python shingle sets", time.perf_counter() - start, pairs, f"containment {containment}"
    )


PEERS: dict[str, Callable[[list[dict]], PeerResult]] = {
    "storytrace": storytrace_pairs,
    "datasketch": datasketch_pairs,
    "rensa": rensa_pairs,
    "python": python_pairs,
}
