"""Speed of ``trace``: documents per second on real newswire and on a synthetic reprint corpus.

Threads 1 and 2 are measured in the same run (compare them as a ratio: the machines are shared).
Writes docs/benchmarks.md.
"""

from __future__ import annotations

import json
import pathlib
import platform
import resource
import sys
import time

import storytrace as st

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from synthetic import make_corpus

ROOT = pathlib.Path(__file__).resolve().parents[1]
REUTERS = ROOT.parent / "shared" / "datasets" / "reuters21578" / "reuters21578.jsonl"


def reuters_corpus() -> st.Corpus | None:
    if not REUTERS.exists():
        return None
    import pandas as pd

    rows = [json.loads(line) for line in open(REUTERS, encoding="utf-8")]
    dates = pd.to_datetime(
        [r["date"].split(".")[0] for r in rows], format="%d-%b-%Y %H:%M:%S", errors="coerce"
    )
    corpus = st.Corpus()
    corpus.extend(
        {
            "id": r["newid"],
            "text": r["body"] or "",
            "outlet": "Reuters",
            "published": None if pd.isna(d) else d,
        }
        for r, d in zip(rows, dates)
    )
    return corpus


def measure(name: str, corpus: st.Corpus, repeats: int = 3) -> list[str]:
    chars = sum(len(d.text) for d in corpus)
    lines = []
    for threads in (1, 2):
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            result = st.trace(corpus, threads=threads)
            best = min(best, time.perf_counter() - start)
        lines.append(
            f"| {name} | {len(corpus):,} | {chars / 1e6:.1f} | {threads} | {best:.2f} | {len(corpus) / best:,.0f} | "
            f"{len(result.passages):,} |"
        )
    return lines


def main() -> int:
    rows = []
    reuters = reuters_corpus()
    if reuters is not None:
        rows += measure("Reuters-21578", reuters)
    records, _ = make_corpus(stories=2000, outlets=30, reprint_rate=0.2, seed=7)
    synthetic = st.Corpus(records)
    rows += measure("synthetic reprints", synthetic)
    # Scaling: the same generator at growing sizes, all threads.
    scaling = []
    for stories in (2000, 8000, 20000):
        recs, _ = make_corpus(stories=stories, outlets=30, reprint_rate=0.2, seed=5)
        corpus = st.Corpus(recs)
        start = time.perf_counter()
        result = st.trace(corpus)
        elapsed = time.perf_counter() - start
        mb = sum(len(r["text"]) for r in recs) / 1e6
        scaling.append(
            f"| {len(corpus):,} | {mb:.1f} | {elapsed:.2f} | {len(corpus) / elapsed:,.0f} | {len(result.passages):,} |"
        )
        del corpus, result, recs
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [
        "# Benchmarks",
        "",
        f"`python benchmarks/speed.py` on {platform.machine()}, Python {platform.python_version()}; best of 3 "
        "wall-clock runs of `st.trace(corpus, threads=N)` (tokenize, boilerplate, candidates, align, "
        "attribute; DataFrames are built lazily and not included).",
        "",
        "| corpus | documents | MB of text | threads | seconds | documents/s | passages |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        "Speeds measured on a shared 2-core machine: compare rows of one run as ratios, not across runs.",
        "",
        "## Scaling",
        "",
        "The synthetic reprint corpus (30 outlets, reprint rate 0.2) at growing sizes, all cores:",
        "",
        "| documents | MB of text | seconds | documents/s | passages |",
        "|---|---|---|---|---|",
        *scaling,
        "",
        f"Peak resident memory of the whole benchmark process: {peak_mb:,.0f} MB (the Python records, "
        "the corpus, the core's arrays and the result tables of the largest run).",
    ]
    out = "\n".join(lines) + "\n"
    (ROOT / "docs" / "benchmarks.md").write_text(out, encoding="utf-8")
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
