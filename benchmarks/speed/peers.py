"""storytrace beside its peers on one corpus, in one run: time and recall of the true reuse pairs.

Peers (each finds candidate pairs of similar documents; a true pair is found when the tool pairs
the agency story with its reprint):

- datasketch ``MinHashLSH`` (num_perm=128, word 5-grams, insert all then query all);
- rensa ``RMinHashLSH`` (the Rust MinHash; num_perm=128, 16 bands), the same shingles;
- a plain pure-Python shingle-set baseline: an inverted index of word 5-grams, a pair when at
  least half of the smaller document's shingles are shared (shingles in more than 100 documents,
  page chrome, are skipped);
- passim (David Smith's reprint detector, on Spark), when it is installed: the command in
  ``STORYTRACE_PASSIM`` (split like a shell's words), else ``passim`` on PATH. It runs in all-pairs
  mode with its default n-gram settings (25-character n-grams, at least 5 shared, indexed when in 2 to
  100 documents, passages of 50 characters or more) on pairs of documents of different outlets, the
  earlier one the source, and ``--pairwise``: a pair is two documents with an aligned passage. Its time
  is the whole run: writing its JSON-lines input, Spark's start-up, reading its alignments. Without
  passim, or when it writes no alignments (its log's last lines go to stderr), the runner returns
  None and the table has no passim row.

The MinHash peers use a Jaccard threshold of 0.5. Shingling for the peers (lowercased ``\\w+``
words) is timed as part of each peer.
"""

from __future__ import annotations

import datetime
import json
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
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


PASSIM_FIELDS = ("xxhash64(series) as gid", "published")
PASSIM_FILTER = "gid <> gid2 AND (published < published2 OR (published = published2 AND uid < uid2))"


def passim_command() -> list[str] | None:
    """The command that runs passim: ``STORYTRACE_PASSIM``, else ``passim`` on PATH; None without."""
    command = os.environ.get("STORYTRACE_PASSIM", "").strip()
    if command:
        return shlex.split(command)
    found = shutil.which("passim")
    return [found] if found else None


def passim_pairs(records: list[dict], driver_memory: str = "16g") -> PeerResult | None:
    """passim's aligned document pairs, or None when passim is not installed or writes no alignments."""
    command = passim_command()
    if command is None:
        return None
    env = dict(os.environ)
    env.setdefault("SPARK_DRIVER_MEMORY", driver_memory)
    bindir = pathlib.Path(command[0]).parent  # passim's own environment: its spark-submit, its Python
    if (bindir / "python").exists():
        env["PATH"] = os.pathsep.join([str(bindir), env.get("PATH", "")])
        if "PYSPARK_PYTHON" not in env:
            env["PYSPARK_PYTHON"] = env["PYSPARK_DRIVER_PYTHON"] = str(bindir / "python")
    if (bindir.parent / "conf" / "log4j2.properties").exists():  # passim's logging, as its launcher sets
        env.setdefault("SPARK_CONF_DIR", str(bindir.parent / "conf"))
    with tempfile.TemporaryDirectory(prefix="passim-") as tmp:
        start = time.perf_counter()
        source, out = pathlib.Path(tmp, "input.json"), pathlib.Path(tmp, "out")
        with source.open("w", encoding="utf-8") as f:
            for r in records:
                day = datetime.datetime.fromtimestamp(r["published"], datetime.timezone.utc).date()
                row = {"id": r["id"], "series": r["outlet"], "date": day.isoformat()}
                f.write(json.dumps({**row, "published": r["published"], "text": r["text"]}) + "\n")
        args = [
            "--pairwise",
            "--fields",
            *PASSIM_FIELDS,
            "--filterpairs",
            PASSIM_FILTER,
            str(source),
            str(out),
        ]
        run = subprocess.run(command + args, env=env, cwd=tmp, capture_output=True, text=True)
        log = (run.stdout + "\n" + run.stderr).splitlines()
        errors = [line.strip(" :") for line in log if "Exception" in line or "Error" in line]
        aligned = out / "align.json"
        if not (aligned / "_SUCCESS").exists():
            why = "\n".join(errors[-3:] or log[-10:])
            print(f"passim wrote no alignments (exit {run.returncode}):\n{why}", file=sys.stderr)
            return None
        pairs = set()
        for part in sorted(aligned.glob("part-*")):
            with part.open(encoding="utf-8") as f:
                pairs.update(frozenset((a["id"], a["id2"])) for a in map(json.loads, f))
        elapsed = time.perf_counter() - start
    note = "25-char n-grams, min-match 5, maxDF 100 (defaults); other outlet, earlier source; Spark start-up included"
    if run.returncode != 0:  # the alignments are written before the clusters, which need GraphFrames
        note += f"; clusters not built ({errors[-1] if errors else f'exit {run.returncode}'})"
    return PeerResult("passim", elapsed, pairs, note)


PEERS: dict[str, Callable[[list[dict]], PeerResult | None]] = {
    "storytrace": storytrace_pairs,
    "datasketch": datasketch_pairs,
    "rensa": rensa_pairs,
    "python": python_pairs,
    "passim": passim_pairs,
}
