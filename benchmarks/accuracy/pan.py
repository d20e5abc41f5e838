"""PAN 2013 text alignment (../shared/datasets/pan13_text_alignment), per category.

Each of the 5,185 given pairs is aligned with ``st.compare(source, suspicious)`` at default options
and its passages are PAN detections. Scored with PAN's character measures (``pan_scores``) per
category and overall, beside the PAN 2014 winner's published figures on this corpus
(Sanchez-Perez, Sidorov & Gelbukh 2014, Table 2).

Run alone: python benchmarks/accuracy/pan.py [--limit N] [--category 03-random-obfuscation]
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import os
import pathlib
import sys
import time
from collections.abc import Sequence

import storytrace as st
from storytrace._evaluate import pan_scores_by_category

HERE = pathlib.Path(__file__).resolve().parent
PAN = HERE.parents[2] / "shared" / "datasets" / "pan13_text_alignment"
CATEGORIES = [
    "01-no-plagiarism",
    "02-no-obfuscation",
    "03-random-obfuscation",
    "04-translation-obfuscation",
    "05-summary-obfuscation",
]
LABEL = {
    "01-no-plagiarism": "no plagiarism",
    "02-no-obfuscation": "none (verbatim)",
    "03-random-obfuscation": "random",
    "04-translation-obfuscation": "translation",
    "05-summary-obfuscation": "summary",
}
# Sanchez-Perez, Sidorov & Gelbukh, PAN 2014 (the winner), on this corpus:
# plagdet, recall, precision, granularity.
PUBLISHED = {
    "02-no-obfuscation": (0.894, 0.978, 0.823, 1.000),
    "03-random-obfuscation": (0.889, 0.858, 0.921, 1.000),
    "04-translation-obfuscation": (0.884, 0.890, 0.878, 1.000),
    "05-summary-obfuscation": (0.577, 0.425, 0.994, 1.043),
    "entire": (0.877, 0.880, 0.877, 1.002),
}
GOALS = {
    "02-no-obfuscation": 0.97,
    "03-random-obfuscation": 0.88,
    "04-translation-obfuscation": 0.88,
    "05-summary-obfuscation": 0.60,
    "entire": 0.90,
}

Case = tuple[str, str, int, int, int, int]


def read(path: pathlib.Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def pairs() -> list[tuple[str, str, str]]:
    with open(PAN / "pairs_labelled.tsv", newline="") as f:
        return [(r["suspicious"], r["source"], r["category"]) for r in csv.DictReader(f, delimiter="\t")]


def cases() -> list[tuple[str, Case]]:
    out = []
    with open(PAN / "cases.jsonl") as f:
        for line in f:
            c = json.loads(line)
            t0, s0 = c["this_offset"], c["source_offset"]
            out.append(
                (
                    c["category"],
                    (c["suspicious"], c["source"], t0, t0 + c["this_length"], s0, s0 + c["source_length"]),
                )
            )
    return out


def _align(pair: tuple[str, str, str]) -> tuple[str, list[Case], float]:
    susp, src, category = pair
    a, b = read(PAN / "src" / src), read(PAN / "susp" / susp)
    start = time.perf_counter()
    p = st.compare(a, b).passages
    elapsed = time.perf_counter() - start
    found = [
        (susp, src, int(r.b_start), int(r.b_end), int(r.a_start), int(r.a_end))
        for r in p.itertuples(index=False)
    ]
    return category, found, elapsed


def run(limit: int | None = None, categories: Sequence[str] = CATEGORIES) -> dict[str, object]:
    todo = [p for p in pairs() if p[2] in categories]
    if limit:
        by: dict[str, list[tuple[str, str, str]]] = {}
        for p in todo:
            by.setdefault(p[2], []).append(p)
        todo = [p for c in by.values() for p in c[:limit]]
    keep = {(p[0], p[1]) for p in todo}
    gold = [(cat, c) for cat, c in cases() if (c[0], c[1]) in keep]
    start = time.perf_counter()
    with multiprocessing.Pool(os.cpu_count() or 1) as pool:
        results = pool.map(_align, todo, chunksize=16)
    wall = time.perf_counter() - start
    times = sorted(t for _, _, t in results)
    # One code path with st.evaluate: a detection counts in its pair's category.
    table = pan_scores_by_category(
        [c for _, c in gold],
        [k for k, _ in gold],
        [f for _, found, _ in results for f in found],
        {(p[0], p[1]): p[2] for p in todo},
    ).set_index("category")
    scores: dict[str, tuple[float, float, float, float]] = {
        cat: tuple(table.loc[cat, ["precision", "recall", "granularity", "plagdet"]])  # type: ignore[misc]
        for cat in [*categories, "entire"]
        if cat in table.index
    }
    flagged: dict[str, tuple[int, int]] = {}
    for cat in [*categories, "entire"]:
        n = sum(1 for k, _, _ in results if cat in (k, "entire"))
        flagged[cat] = (sum(1 for k, found, _ in results if cat in (k, "entire") and found), n)
    return {
        "scores": scores,
        "flagged": flagged,
        "pairs": len(todo),
        "wall": wall,
        "median_ms": 1000 * times[len(times) // 2] if times else float("nan"),
        "p99_ms": 1000 * times[min(len(times) - 1, int(0.99 * len(times)))] if times else float("nan"),
    }


def fmt(x: float) -> str:
    return "n/a" if x != x else f"{x:.3f}"


def section() -> list[str]:
    title = "## PAN 2013 text alignment: verbatim, obfuscated, translated and summarised passages"
    if not (PAN / "pairs_labelled.tsv").exists():
        return [title, "", f"Not measured: {PAN} is absent.", ""]
    r = run()
    scores = r["scores"]
    flagged = r["flagged"]
    assert isinstance(scores, dict) and isinstance(flagged, dict)
    rows = []
    for cat in [*CATEGORIES, "entire"]:
        p, rec, g, plag = scores[cat]
        pub = PUBLISHED.get(cat)
        pub_s = f"{pub[0]:.3f} / {pub[1]:.3f} / {pub[2]:.3f} / {pub[3]:.3f}" if pub else ""
        goal = f"≥ {GOALS[cat]:.2f}" if cat in GOALS else ""
        if cat == "01-no-plagiarism":
            k, n = flagged[cat]
            rows.append(f"| {LABEL[cat]} | pairs with a detection: {k} / {n} ({100 * k / n:.1f}%) | | ≤ 1% |")
            continue
        rows.append(
            f"| {LABEL.get(cat, cat)} | {fmt(plag)} / {fmt(rec)} / {fmt(p)} / {fmt(g)} | {pub_s} | {goal} |"
        )
    return [
        title,
        "",
        "The training corpus of PAN 2013 (also PAN 2014's): 5,185 pairs of a suspicious and a source "
        "document (English web pages; DUC news in the summaries) with every reused passage given by "
        "character offsets. `st.compare(source, suspicious)` with default options on each pair; its "
        "passages are the detections, scored with PAN's character measures. "
        f"{r['pairs']:,} pairs in {r['wall']:.1f} s on all cores; compare() took {r['median_ms']:.1f} ms "
        f"per pair (median), {r['p99_ms']:.1f} ms at the 99th percentile.",
        "",
        "| category | storytrace: plagdet / recall / precision / granularity | PAN 2014 winner | goal |",
        "|---|---|---|---|",
        *rows,
        "",
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, help="pairs per category")
    ap.add_argument("--category", action="append", help="only these categories")
    args = ap.parse_args()
    r = run(args.limit, args.category or CATEGORIES)
    scores = r["scores"]
    assert isinstance(scores, dict)
    for cat, (p, rec, g, plag) in scores.items():
        print(f"{cat:28s} plagdet {fmt(plag)}  recall {fmt(rec)}  precision {fmt(p)}  granularity {fmt(g)}")
    print("flagged pairs", r["flagged"])
    print(f"{r['pairs']} pairs, {r['wall']:.1f} s, median {r['median_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
