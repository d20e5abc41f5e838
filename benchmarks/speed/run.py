"""Speed of ``storytrace.trace`` at growing corpus sizes, per stage, and beside its peers.

    python benchmarks/speed/run.py                       # 10k and 100k articles, peers at 20k
    python benchmarks/speed/run.py --sizes 10000,100000,1000000

Each size runs in a fresh process (so that its peak memory is its own): the corpus is generated
(``corpus.py``), loaded into a ``storytrace.Corpus`` (timed), traced with 1 and 2 threads (sizes
up to 100k) or 2, and its DataFrames built (timed). Stage times come from the progress callback:
a stage runs from its first report to the next stage's. The peers run on one 20k corpus in one
process (``peers.py``). Writes docs/performance.md and docs/performance.png.

The machines these run on are shared and noisy: compare figures of one run as ratios.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pathlib
import platform
import resource
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

STAGES = ("tokenize", "boilerplate", "credits", "postings", "candidates", "align", "attribute", "offsets")


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _stage_clock(marks: list[tuple[str, float]]):
    """A progress callback that notes when each stage starts."""

    def progress(stage: str, done: int, total: int) -> bool:
        if not marks or marks[-1][0] != stage:
            marks.append((stage, time.perf_counter()))
        return True

    return progress


def one_size(docs: int, threads_list: list[int]) -> dict:
    """Generate, load and trace one corpus; runs in its own process."""
    from corpus import make_corpus

    import storytrace as st

    t = time.perf_counter()
    synth = make_corpus(docs)
    generate = time.perf_counter() - t
    megabytes = synth.megabytes
    t = time.perf_counter()
    corpus = st.Corpus(synth.records)
    load = time.perf_counter() - t
    del synth
    rss_loaded = _rss_mb()
    runs = []
    for threads in threads_list:
        marks: list[tuple[str, float]] = []
        start = time.perf_counter()
        result = st.trace(corpus, threads=threads, progress=_stage_clock(marks))
        core = time.perf_counter() - start
        t = time.perf_counter()
        _ = (result.documents, result.sources, result.passages, result.stories)
        frames = time.perf_counter() - t
        stages: dict[str, float] = {}
        for k, (stage, at) in enumerate(marks):
            end = marks[k + 1][1] if k + 1 < len(marks) else start + core
            stages[stage] = stages.get(stage, 0.0) + end - at
        runs.append(
            {
                "threads": threads,
                "trace": core,
                "frames": frames,
                "stages": stages,
                "passages": len(result.passages),
                "links": len(result.sources),
            }
        )
        del result
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "docs": len(corpus),
        "megabytes": megabytes,
        "generate": generate,
        "load": load,
        "rss_loaded": rss_loaded,
        "peak_rss": peak,
        "runs": runs,
    }


def measure_size(docs: int) -> dict:
    threads = [1, 2] if docs <= 100_000 else [2]
    out = subprocess.run(
        [sys.executable, __file__, "--one", str(docs), "--threads", ",".join(map(str, threads))],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_peers(docs: int) -> tuple[dict, list[dict]]:
    from corpus import make_corpus
    from peers import PEERS

    synth = make_corpus(docs)
    truth = {frozenset(p) for p in synth.pairs}
    rows = []
    for run in PEERS.values():
        r = run(synth.records)
        found = len(truth & r.pairs)
        unrelated = sum(1 for p in r.pairs if not synth.same_story(*tuple(p)))
        rows.append(
            {
                "name": r.name,
                "seconds": r.seconds,
                "recall": found / len(truth),
                "pairs": len(r.pairs),
                "unrelated": unrelated,
                "note": r.note,
            }
        )
    return {"docs": len(synth.records), "megabytes": synth.megabytes, "pairs": len(truth)}, rows


def plot(sizes: list[dict], path: pathlib.Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4), dpi=120)
    for threads, style in ((1, "o--"), (2, "o-")):
        pts = [(s["docs"], r["trace"]) for s in sizes for r in s["runs"] if r["threads"] == threads]
        if pts:
            ax.loglog(*zip(*pts), style, label=f"trace, {threads} thread{'s' * (threads > 1)}")
    xs = [s["docs"] for s in sizes]
    base = next(r["trace"] for r in sizes[0]["runs"] if r["threads"] == 2)
    ax.loglog(xs, [base * x / xs[0] for x in xs], ":", color="grey", label="linear growth")
    ax.set_xlabel("articles")
    ax.set_ylabel("seconds")
    ax.set_title("storytrace.trace on the synthetic news corpus")
    ax.legend()
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)


def report(sizes: list[dict], peer_info: dict | None, peers: list[dict]) -> str:
    lines = [
        "# Performance",
        "",
        f"`python benchmarks/speed/run.py` on {platform.machine()} ({_cpus()} cores), Python "
        f"{platform.python_version()}. The corpus is `benchmarks/speed/corpus.py`: **synthetic** news "
        "articles whose words come from Reuters-21578 through a Markov chain; 30% agency stories, 50% "
        "reprints of them (verbatim, trimmed, lightly edited; a few stories reprinted very widely), "
        "20% outlets' own articles, every outlet page in its own header and footer. These machines are "
        "shared and noisy: compare the figures of one run as ratios.",
        "",
        "## trace at growing sizes",
        "",
        "| articles | MB | threads | trace s | MB/s | articles/s | DataFrames s | load s | peak RSS MB | "
        "RSS after load MB | passages |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in sizes:
        for r in s["runs"]:
            lines.append(
                f"| {s['docs']:,} | {s['megabytes']:.0f} | {r['threads']} | {r['trace']:.2f} | "
                f"{s['megabytes'] / r['trace']:.1f} | {s['docs'] / r['trace']:,.0f} | {r['frames']:.2f} | "
                f"{s['load']:.1f} | {s['peak_rss']:,.0f} | {s['rss_loaded']:,.0f} | {r['passages']:,} |"
            )
    lines += [
        "",
        "*trace s*: `st.trace(corpus, threads=N)`, from the loaded corpus to the result (DataFrames are "
        "built lazily, on first use: *DataFrames s* is building all four). *load s*: "
        "`st.Corpus(records)` from Python dicts. *peak RSS*: the whole process (the records, the "
        "corpus, the core's arrays, the result tables), one process per size.",
        "",
        "![trace time against corpus size](performance.png)",
        "",
    ]
    if len(sizes) >= 2:
        a, b = sizes[0], sizes[-1]
        ta = next(r["trace"] for r in a["runs"] if r["threads"] == 2)
        tb = next(r["trace"] for r in b["runs"] if r["threads"] == 2)
        slope = math.log(tb / ta) / math.log(b["docs"] / a["docs"])
        lines += [
            f"From {a['docs']:,} to {b['docs']:,} articles, 2-thread time grows as articles^{slope:.2f} "
            "(1.00 is linear).",
            "",
        ]
    lines += ["## Time per stage (seconds)", "", "| articles | threads | " + " | ".join(STAGES) + " |"]
    lines.append("|---|---|" + "---|" * len(STAGES))
    for s in sizes:
        for r in s["runs"]:
            lines.append(
                f"| {s['docs']:,} | {r['threads']} | "
                + " | ".join(f"{r['stages'].get(k, 0.0):.2f}" for k in STAGES)
                + " |"
            )
    lines += [
        "",
        "A stage runs from its first progress report to the next stage's: tokenize (ICU word break, "
        "normalization, xxHash shingles), boilerplate (per-outlet recurring text), credits, postings "
        "(the shingle index), candidates (pairs sharing shingles), align (passages, rewritten "
        "sentences), attribute (direction, origin, derivation, stories), offsets (code points).",
        "",
    ]
    if peer_info:
        st_row = next(p for p in peers if p["name"] == "storytrace")
        lines += [
            "## Beside the peers",
            "",
            f"One run, one corpus of {peer_info['docs']:,} articles ({peer_info['megabytes']:.0f} MB), "
            f"{peer_info['pairs']:,} true reuse pairs (agency story, reprint). A pair is found when the tool "
            "pairs the two documents. *Unrelated pairs*: pairs of documents that carry no common story.",
            "",
            "| tool | seconds | storytrace is faster by | recall of true pairs | pairs reported | unrelated pairs | "
            "settings |",
            "|---|---|---|---|---|---|---|",
        ]
        for p in peers:
            ratio = p["seconds"] / st_row["seconds"]
            lines.append(
                f"| {p['name']} | {p['seconds']:.2f} | {ratio:.1f}× | {p['recall']:.3f} | {p['pairs']:,} | "
                f"{p['unrelated']:,} | {p['note']} |"
            )
        lines += [
            "",
            "storytrace runs with all cores and default options, rewrites included; the peers run as their "
            "documentation shows, on one core (they have no threads of their own). The peers only pair "
            "documents; storytrace also aligns the passages, finds rewritten sentences and attributes "
            "every link. passim (the field's reference, on Spark) is not in the table yet.",
            "",
        ]
    return "\n".join(lines)


def _cpus() -> int:
    return len(os.sched_getaffinity(0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated article counts")
    parser.add_argument(
        "--peers", type=int, default=20_000, help="articles for the peer comparison (0: none)"
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--threads", default="1,2", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one_size(args.one, [int(t) for t in args.threads.split(",")])))
        return 0
    sizes = []
    for n in (int(x) for x in args.sizes.split(",")):
        print(f"tracing {n:,} articles ...", file=sys.stderr)
        sizes.append(measure_size(n))
    peer_info, peers = (None, [])
    if args.peers:
        print(f"peers on {args.peers:,} articles ...", file=sys.stderr)
        peer_info, peers = measure_peers(args.peers)
    plot(sizes, ROOT / "docs" / "performance.png")
    text = report(sizes, peer_info, peers)
    (ROOT / "docs" / "performance.md").write_text(text + "\n", encoding="utf-8")
    (ROOT / "docs" / "performance.json").write_text(
        json.dumps({"sizes": sizes, "peers": peers}, indent=1) + "\n", encoding="utf-8"
    )
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
