"""Speed of ``storytrace.trace`` at growing corpus sizes, per stage, and beside its peers.

    python benchmarks/speed/run.py                       # 10k and 100k articles, peers at 20k
    python benchmarks/speed/run.py --sizes 10000,100000,1000000

Each size runs in a fresh process (so that its peak memory is its own): the corpus is generated
(``corpus.py``), loaded into a ``storytrace.Corpus`` (timed), traced with 1 and 2 threads (sizes
up to 100k) or 2, three times in turn (``--repeats``; the fastest counts), and its DataFrames built
(timed). Stage times come from the progress callback:
a stage runs from its first report to the next stage's. The peers run on one 20k corpus in one
process (``peers.py``; passim joins them when installed, see its runner there). Then the C++
core alone (``core.py``, ``--no-core`` skips it): the tokenizer's MB/s beside ICU's word break,
and callgrind's instruction counts per stage; and how fast Ctrl-C stops a 100k run
(``interrupt.py``, ``--interrupt 0`` skips it). Writes docs/performance.md, docs/performance.png
and docs/performance.json.

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


# The new stages' cost: the same corpus traced with them off, on 2 threads, in turn with the
# default runs. Each variant turns off one more: the pairs found by their rarer vocabulary (and
# so their alignment), then the rewritten passages and the vocabulary evidence inside every pair.
VARIANTS = (
    ("no vocabulary pairs", {"rewrite_pairs": False}),
    ("verbatim only", {"rewrites": False}),
)
VARIANT_THREADS = 2


def _timed_trace(corpus, threads: int, options: dict) -> dict:
    """One trace: its time, its stages' times (from the progress callback), its DataFrames' time."""
    import storytrace as st

    marks: list[tuple[str, float]] = []
    start = time.perf_counter()
    result = st.trace(corpus, threads=threads, progress=_stage_clock(marks), **options)
    core = time.perf_counter() - start
    t = time.perf_counter()
    tables = (result.documents, result.sources, result.passages, result.stories)
    frames = time.perf_counter() - t
    stages: dict[str, float] = {}
    for k, (stage, at) in enumerate(marks):
        end = marks[k + 1][1] if k + 1 < len(marks) else start + core
        stages[stage] = stages.get(stage, 0.0) + end - at
    run = {
        "threads": threads,
        "trace": core,
        "frames": frames,
        "stages": stages,
        "passages": len(result.passages),
        "links": len(result.sources),
    }
    del tables, result
    return run


def one_size(docs: int, threads_list: list[int], repeats: int = 1) -> dict:
    """Generate, load and trace one corpus; runs in its own process. Each thread count traces it
    `repeats` times, the thread counts in turn, and keeps its fastest run (with every run's time);
    each variant (VARIANTS, 2 threads) runs in the same turns, after the thread counts."""
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
    fastest: dict[int | str, dict] = {}  # of each thread count and each variant
    seconds: dict[int | str, list[float]] = {}  # every run's time, by the same keys

    def keep(key: int | str, run: dict) -> None:
        seconds.setdefault(key, []).append(run["trace"])
        if key not in fastest or run["trace"] < fastest[key]["trace"]:
            fastest[key] = run

    peak: float | None = None
    for _ in range(repeats):
        for threads in threads_list:
            keep(threads, _timed_trace(corpus, threads, {}))
        if peak is None:  # the peak through one round of the thread counts, default options
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        for name, options in VARIANTS:
            keep(name, {**_timed_trace(corpus, VARIANT_THREADS, options), "options": options})
    return {
        "docs": len(corpus),
        "megabytes": megabytes,
        "generate": generate,
        "load": load,
        "rss_loaded": rss_loaded,
        "peak_rss": peak,
        "runs": [{**fastest[t], "seconds": seconds[t]} for t in threads_list],
        "variants": [{"name": name, **fastest[name], "seconds": seconds[name]} for name, _ in VARIANTS],
    }


def measure_size(docs: int, repeats: int) -> dict:
    threads = [1, 2] if docs <= 100_000 else [2]
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--one",
            str(docs),
            "--threads",
            ",".join(map(str, threads)),
            "--repeats",
            str(repeats),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_peers(docs: int, runs: int = 3) -> tuple[dict, list[dict]]:
    """Every tool on one corpus, `runs` times in turn (so that a busier spell of a shared machine
    falls on all of them alike), keeping each tool's best time; passim, whose Spark run takes
    minutes, runs once."""
    from corpus import make_corpus
    from peers import PEERS, PeerResult

    synth = make_corpus(docs)
    truth = {frozenset(p) for p in synth.pairs}
    best: dict[str, PeerResult] = {}
    times: dict[str, list[float]] = {}
    for turn in range(runs):
        for name, run in PEERS.items():
            if turn > 0 and (name not in best or name == "passim"):
                continue
            try:
                r = run(synth.records)
            except ImportError as e:  # a peer's package not installed: the table goes without it
                print(f"{name} not installed ({e}): not run", file=sys.stderr)
                continue
            if r is None:
                print(f"{name} not found or failed: not run", file=sys.stderr)
                continue
            times.setdefault(name, []).append(r.seconds)
            if name not in best or r.seconds < best[name].seconds:
                best[name] = r
    rows = []
    for name, r in best.items():
        found = len(truth & r.pairs)
        unrelated = sum(1 for p in r.pairs if not synth.same_story(*tuple(p)))
        rows.append(
            {
                "name": r.name,
                "seconds": r.seconds,
                "times": times[name],
                "recall": found / len(truth),
                "pairs": len(r.pairs),
                "unrelated": unrelated,
                "note": r.note,
            }
        )
    return {"docs": len(synth.records), "megabytes": synth.megabytes, "pairs": len(truth), "runs": runs}, rows


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


ENGLISH_GOAL_MBS = 150  # the tokenizer on English news, MB/s on one core
ICU_GOAL_RATIO = 0.85  # other scripts: within 15% of ICU's word break alone


def _tokenize_goal(row: dict) -> tuple[bool, str]:
    """Whether a tokenizer row meets its goal, and the goal as the table says it."""
    if row["language"] == "en":
        return row["tokenize_shingle_mbs"] >= ENGLISH_GOAL_MBS, f"≥ {ENGLISH_GOAL_MBS} MB/s"
    ratio = row["tokenize_shingle_mbs"] / row["icu_break_mbs"]
    return ratio >= ICU_GOAL_RATIO, f"≥ {ICU_GOAL_RATIO:.2f}× ICU"


def report_tokenizer(rows: list[dict]) -> list[str]:
    from core import REPEATS

    lines = [
        "## Tokenizer",
        "",
        f"`benchmarks/speed/bench.cpp` (`storytrace_bench tokenize {REPEATS} FILE...`, built by `core.py` in "
        f"`build/bench`), without Python: MB/s on one thread, the best of {REPEATS} runs over each file.",
        "",
        "| text | MB | ICU word break alone MB/s | reference (ICU + per-word normalization) MB/s | "
        "storytrace tokenize + shingle MB/s | tokenize alone MB/s | ratio to ICU break alone | goal | met |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    verdicts = []
    for r in rows:
        met, goal = _tokenize_goal(r)
        verdicts.append((r, met))
        lines.append(
            f"| {r['text']} | {r['bytes'] / 1e6:.1f} | {r['icu_break_mbs']:.1f} | {r['reference_mbs']:.1f} | "
            f"{r['tokenize_shingle_mbs']:.1f} | {r['tokenize_mbs']:.1f} | "
            f"{r['tokenize_shingle_mbs'] / r['icu_break_mbs']:.2f}× | {goal} | {'yes' if met else '**no**'} |"
        )
    missed = [r["text"].split(":")[0] for r, met in verdicts if not met]
    met_count = sum(met for _, met in verdicts)
    lines += [
        "",
        f"The goals: tokenize + shingle at {ENGLISH_GOAL_MBS} MB/s or more per core on English news, and "
        f"within 15% of ICU's word break alone (a ratio of {ICU_GOAL_RATIO:.2f} or more) on other scripts. "
        f"{met_count} of {len(rows)} rows meet their goal"
        + (f"; not met: {', '.join(missed)}." if missed else "."),
        "",
        "*ICU word break alone*: ICU's word boundaries and rule status over each document, nothing else. "
        "*Reference*: the obvious way, ICU's word break over the whole text, each word normalized with ICU "
        "(`tokenize_icu`), then 5-word shingles. *tokenize + shingle*: the core's tokenizer and its shingles, "
        "as the tokenize stage of `trace` runs them; *tokenize alone*: without the shingles. The goals and the "
        "ratio are of tokenize + shingle. The bench fails when the core's token count differs from the reference's. "
        "The English news is Reuters-21578 article bodies, reflowed into running text (read at run time from "
        "`../shared/datasets`, never copied), when the dataset is there; Turkish, Urdu and Chinese are "
        "documents of 2–5 paragraphs drawn at random from the short news texts in "
        "`benchmarks/speed/texts/`. Chinese has no spaces between words: ICU's dictionary finds them, in the "
        "reference and in the core alike.",
        "",
    ]
    return lines


def report_callgrind(callgrind: dict) -> list[str]:
    from core import STAGE_FUNCTIONS

    stages, docs = callgrind["stages"], callgrind["docs"]
    total = stages["trace"]
    lines = [
        "## Instruction counts (callgrind)",
        "",
        f"`trace` on `make_corpus({docs})` ({docs:,} articles of the corpus above), one thread, under valgrind's "
        "callgrind: the instructions executed in each stage (inclusive: with everything it calls).",
        "",
        "| stage | function | instructions | share of trace |",
        "|---|---|---|---|",
    ]
    parts = [s for s in STAGES if s in stages]
    for s in parts:
        lines.append(f"| {s} | `{STAGE_FUNCTIONS[s]}` | {stages[s]:,} | {stages[s] / total:.1%} |")
    rest = total - sum(stages[s] for s in parts)
    lines += [
        f"| between stages | `{STAGE_FUNCTIONS['trace']}` itself | {rest:,} | {rest / total:.1%} |",
        f"| **trace** | `{STAGE_FUNCTIONS['trace']}` | **{total:,}** | 100% |",
        "",
        "Instruction counts are deterministic: two runs of one build on one input count the same, to the "
        "instruction, whatever else the machine is doing (another environment, a longer PATH say, moves a "
        "stage by a few instructions), so a change to the core is judged by them without the noise of a "
        "shared machine. They are not time: cache misses and branch mispredictions are not in them, so confirm a gain in the seconds above. Each stage is "
        "its function in `stages.cpp` (*candidates* takes in the pairs by shingles and by vocabulary, *align* "
        "the verbatim passages, the rewrites and the vocabulary evidence); where the compiler inlined one "
        "into `trace`, the largest piece of work nested in it (what it hands to `parallel_for`) stands for it, "
        "a lower bound. *between stages* is the rest of `trace`. Reproduce with",
        "",
        "```bash",
        f"python benchmarks/speed/core.py --docs {docs} --no-tokenize --keep /tmp/cg",
        "# which builds build/bench (cmake -DSTORYTRACE_BENCH=ON), writes /tmp/cg/corpus.txt, then runs",
        "valgrind --tool=callgrind --callgrind-out-file=/tmp/cg/callgrind.out \\",
        "    build/bench/storytrace_bench trace /tmp/cg/corpus.txt 1",
        "callgrind_annotate --inclusive=yes --threshold=100 /tmp/cg/callgrind.out",
        "```",
        "",
    ]
    return lines


def report_interrupt(result: dict) -> list[str]:
    lines = [
        "## Ctrl-C",
        "",
        f"`benchmarks/speed/interrupt.py`: {result['docs']:,} articles, {result['threads']} threads; a whole "
        f"`trace` took {result['full']:.1f} s. SIGINT (what Ctrl-C sends) was sent at moments spread over "
        "further runs in the same process; *latency* is from the signal to `KeyboardInterrupt` reaching "
        "the caller. Each run after an interrupted one traced normally.",
        "",
        "| sent at s | stage | latency s |",
        "|---|---|---|",
    ]
    for t in result["trials"]:
        latency = "finished first" if t["latency"] is None else f"{t['latency']:.3f}"
        lines.append(f"| {t['at']:.2f} | {t['stage']} | {latency} |")
    worst = max((t["latency"] for t in result["trials"] if t["latency"] is not None), default=float("nan"))
    lines += ["", f"The longest wait: {worst:.3f} s (the goal: within a second).", ""]
    return lines


def report(
    sizes: list[dict],
    peer_info: dict | None,
    peers: list[dict],
    core: dict | None = None,
    interrupt: dict | None = None,
) -> str:
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
    repeats = max((len(r.get("seconds", [r["trace"]])) for s in sizes for r in s["runs"]), default=1)
    which = (
        f"the fastest of {repeats} runs of each size and thread count, run in turn (every run's time is in "
        "performance.json; the stage times below are the fastest run's)"
        if repeats > 1
        else "one run of each size and thread count"
    )
    lines += [
        "",
        f"*trace s*: `st.trace(corpus, threads=N)`, from the loaded corpus to the result: {which}. "
        "DataFrames are built lazily, on first use: *DataFrames s* is building all four. *load s*: "
        "`st.Corpus(records)` from Python dicts. *peak RSS*: the whole process (the records, the "
        "corpus, the core's arrays, the result tables), one process per size.",
        "",
        "![trace time against corpus size](performance.png)",
        "",
    ]
    ends = _two_thread_ends(sizes)
    if ends:
        (a, ra), (b, rb) = ends
        lines += [
            f"From {a['docs']:,} to {b['docs']:,} articles, 2-thread time grows as "
            f"articles^{_exponent(a, b, ra['trace'], rb['trace']):.2f} (1.00 is linear).",
            "",
        ]
    if sizes:
        big = sizes[-1]
        lines += [
            f"Memory at {big['docs']:,} articles: the loaded corpus (the Python strs and the Corpus's lists, "
            f"and what generating it left in the heap) holds {big['rss_loaded']:,.0f} MB; trace and the result "
            f"tables add {big['peak_rss'] - big['rss_loaded']:,.0f} MB at the peak. The core reads each "
            "document in place from its str (no UTF-8 copy of the corpus) and keeps 10 bytes a token: the "
            "shingle hash (8) and its place in the document's shingle order (2). Token positions (16 bytes "
            "a token) are kept only while they fit in 512 MB, up to about 150,000 articles; past that, the "
            "steps that need a document's tokens (rewrites, offsets) tokenize it again. The shingle "
            "index keeps each shared hash once, with at most `fanout` holders (all that candidate search "
            "reads).",
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
        "A stage runs from its first progress report to the next stage's: tokenize (Unicode word rules, "
        "ICU for marks and dictionary scripts, normalization, xxHash shingles, each document's shingle order), boilerplate (per-outlet recurring text), credits, postings "
        "(the shingle index), candidates (pairs sharing shingles), align (passages, rewritten "
        "sentences), attribute (direction, origin, derivation, stories), offsets (code points).",
        "",
    ]
    lines += report_growth(sizes)
    lines += report_variants(sizes)
    if core and core.get("tokenize"):
        lines += report_tokenizer(core["tokenize"])
    if core and core.get("callgrind"):
        lines += report_callgrind(core["callgrind"])
    if interrupt:
        lines += report_interrupt(interrupt)
    if peer_info:
        st_row = next(p for p in peers if p["name"] == "storytrace")
        lines += [
            "## Beside the peers",
            "",
            f"One corpus of {peer_info['docs']:,} articles ({peer_info['megabytes']:.0f} MB), "
            f"{peer_info['pairs']:,} true reuse pairs (agency story, reprint). A pair is found when the tool "
            "pairs the two documents. *Unrelated pairs*: pairs of documents that carry no common story.",
            "",
            f"Each tool ran {peer_info.get('runs', 1)} times, the tools in turn, so that a busier spell of "
            "this shared machine falls on all of them alike; *seconds* is each one's best run, and every "
            "run is listed. passim, whose Spark run takes minutes, ran once.",
            "",
            "| tool | seconds | storytrace is faster by | recall of true pairs | pairs reported | unrelated pairs | "
            "runs (s) | settings |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for p in peers:
            ratio = p["seconds"] / st_row["seconds"]
            runs = ", ".join(f"{t:.2f}" for t in p.get("times", [p["seconds"]]))
            lines.append(
                f"| {p['name']} | {p['seconds']:.2f} | {ratio:.1f}× | {p['recall']:.3f} | {p['pairs']:,} | "
                f"{p['unrelated']:,} | {runs} | {p['note']} |"
            )
        lines += [
            "",
            "storytrace runs with all cores and default options, rewrites included; the peers run as their "
            "documentation shows, on one core (they have no threads of their own). The peers only pair "
            "documents; storytrace also aligns the passages, finds rewritten sentences and attributes "
            "every link.",
            "",
        ]
        if any(p["name"] == "passim" for p in peers):
            lines += [
                "passim (the field's reference, on Spark, all cores) runs in all-pairs mode with its default "
                "n-gram settings on pairs of articles of different outlets, the earlier the source; a pair is "
                "two articles with a passage aligned (`--pairwise`). Its seconds are the whole run, Spark's "
                "start-up included.",
                "",
            ]
        else:
            lines += [
                "passim (the field's reference, on Spark) was not run: it was not found (set `STORYTRACE_PASSIM` "
                "to its command or put `passim` on PATH) or it wrote no alignments.",
                "",
            ]
    return "\n".join(lines)


def write_report(results: dict) -> str:
    """Write docs/performance.md from the results (as saved in performance.json); return its text."""
    text = report(
        results["sizes"],
        results.get("peer_info"),
        results["peers"],
        results.get("core"),
        results.get("interrupt"),
    )
    (ROOT / "docs" / "performance.md").write_text(text + "\n", encoding="utf-8")
    return text


def _cpus() -> int:
    return len(os.sched_getaffinity(0))


def _two_thread_ends(sizes: list[dict]) -> tuple[tuple[dict, dict], tuple[dict, dict]] | None:
    """The smallest and the largest size traced with 2 threads, each with that run."""
    runs = [(s, r) for s in sizes for r in s["runs"] if r["threads"] == 2]
    return (runs[0], runs[-1]) if len(runs) >= 2 else None


def _exponent(a: dict, b: dict, ta: float, tb: float) -> float:
    """k in time ~ articles^k, from times ta and tb at sizes a and b."""
    return math.log(tb / ta) / math.log(b["docs"] / a["docs"])


def report_growth(sizes: list[dict]) -> list[str]:
    """How each stage's 2-thread time grows from the smallest size to the largest."""
    ends = _two_thread_ends(sizes)
    if not ends:
        return []
    (a, ra), (b, rb) = ends
    lines = [
        f"## Growth by stage, {a['docs']:,} to {b['docs']:,} articles (2 threads)",
        "",
        f"| stage | {a['docs']:,} s | {b['docs']:,} s | grows as articles^ |",
        "|---|---|---|---|",
    ]
    for k in STAGES:
        x, y = ra["stages"].get(k, 0.0), rb["stages"].get(k, 0.0)
        growth = f"{_exponent(a, b, x, y):.2f}" if x > 0 and y > 0 else "-"
        lines.append(f"| {k} | {x:.3f} | {y:.2f} | {growth} |")
    lines += [
        f"| **trace** | {ra['trace']:.3f} | {rb['trace']:.2f} | {_exponent(a, b, ra['trace'], rb['trace']):.2f} |",
        "",
        f"Passages per article: {ra['passages'] / a['docs']:.2f} at {a['docs']:,} articles, "
        f"{rb['passages'] / b['docs']:.2f} at {b['docs']:,}; links per article: {ra['links'] / a['docs']:.2f} and "
        f"{rb['links'] / b['docs']:.2f}. No step compares all pairs: each shingle pairs a document with at most "
        "`fanout` earlier holders. Past the 512 MB of kept token positions, align (rewrites) and offsets "
        "tokenize documents again; postings and candidates sort and search arrays that outgrow the caches.",
        "",
    ]
    return lines


def _variant(size: dict, name: str) -> dict | None:
    return next((v for v in size.get("variants", []) if v["name"] == name), None)


def report_variants(sizes: list[dict]) -> list[str]:
    """What the rewrite stages cost: default runs beside the VARIANTS, and how the cost grows."""
    rows = []
    for s in sizes:
        full = next((r for r in s["runs"] if r["threads"] == VARIANT_THREADS), None)
        pairs_off, verbatim = (_variant(s, name) for name, _ in VARIANTS)
        if full and pairs_off and verbatim:
            rows.append((s, full, pairs_off, verbatim))
    if not rows:
        return []
    names = [name for name, _ in VARIANTS]
    lines = [
        f"## What the rewrite stages cost ({VARIANT_THREADS} threads)",
        "",
        "Rewrites are on by default: candidate pairs also come from the rarer vocabulary two articles share "
        "(`rewrite_pairs`), and inside every pair the aligner looks for rewritten passages and, where "
        "none is long enough, for vocabulary evidence (`rewrites`). The same corpus traced with "
        f"`rewrite_pairs=False` (*{names[0]}*) and with `rewrites=False` (*{names[1]}*, the verbatim "
        "passages alone), in the same turns as the default runs, the fastest of each:",
        "",
        f"| articles | default s | {names[0]} s | {names[1]} s | vocabulary pairs cost s | rewrites in pairs "
        "cost s | share of default | default candidates s | default align s | verbatim candidates s | "
        "verbatim align s | passages default / verbatim |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s, full, pairs_off, verbatim in rows:
        by_pairs = full["trace"] - pairs_off["trace"]
        in_pairs = pairs_off["trace"] - verbatim["trace"]
        lines.append(
            f"| {s['docs']:,} | {full['trace']:.2f} | {pairs_off['trace']:.2f} | {verbatim['trace']:.2f} | "
            f"{by_pairs:.2f} | {in_pairs:.2f} | {(full['trace'] - verbatim['trace']) / full['trace']:.0%} | "
            f"{full['stages'].get('candidates', 0.0):.2f} | {full['stages'].get('align', 0.0):.2f} | "
            f"{verbatim['stages'].get('candidates', 0.0):.2f} | {verbatim['stages'].get('align', 0.0):.2f} | "
            f"{full['passages']:,} / {verbatim['passages']:,} |"
        )
    lines += [
        "",
        "*vocabulary pairs cost*: default minus *" + names[0] + "* (finding the pairs by vocabulary, in "
        "candidates, and aligning them, in align); *rewrites in pairs cost*: *"
        + names[0]
        + "* minus *"
        + names[1]
        + "* (the rewrite scorer and the vocabulary evidence in every pair, in align). "
        "Differences of noisy times: at the smallest size they may be within the noise.",
        "",
    ]
    if len(rows) >= 2:
        (a, fa, pa, va), (b, fb, pb, vb) = rows[0], rows[-1]

        def grow(x: float, y: float) -> str:
            return f"{_exponent(a, b, x, y):.2f}" if x > 0 and y > 0 else "-"

        def took(run: dict, stage: str | None) -> float:
            return run["trace"] if stage is None else run["stages"].get(stage, 0.0)

        def cost(name: str, on: tuple[dict, dict], off: tuple[dict, dict], stage: str | None):
            return name, took(on[0], stage) - took(off[0], stage), took(on[1], stage) - took(off[1], stage)

        default, pairs_off, verbatim = (fa, fb), (pa, pb), (va, vb)
        parts = [
            cost("vocabulary pairs, candidates", default, pairs_off, "candidates"),
            cost("vocabulary pairs, align", default, pairs_off, "align"),
            cost("vocabulary pairs, whole trace", default, pairs_off, None),
            cost("rewrites in pairs, align", pairs_off, verbatim, "align"),
            cost("rewrites in pairs, whole trace", pairs_off, verbatim, None),
            ("trace, verbatim only", va["trace"], vb["trace"]),
            ("trace, default", fa["trace"], fb["trace"]),
        ]
        lines += [
            f"Growth of each cost, {a['docs']:,} to {b['docs']:,} articles:",
            "",
            f"| cost | {a['docs']:,} s | {b['docs']:,} s | grows as articles^ |",
            "|---|---|---|---|",
        ]
        lines += [f"| {name} | {x:.3f} | {y:.2f} | {grow(x, y)} |" for name, x, y in parts]
        lines += [
            "",
            "A `-` where a difference is not positive at both ends (noise at the small size). "
            "`compare()` on one PAN 2013 pair, rewrites included, is timed in "
            "[accuracy.md](accuracy.md) (PAN 2013 section).",
            "",
        ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated article counts")
    parser.add_argument(
        "--peers", type=int, default=20_000, help="articles for the peer comparison (0: none)"
    )
    parser.add_argument(
        "--peer-runs", type=int, default=3, help="runs of each peer, in turn; the best counts (passim: one)"
    )
    parser.add_argument(
        "--no-core", action="store_true", help="skip the C++ core's tokenizer and callgrind measurements"
    )
    parser.add_argument("--callgrind-docs", type=int, default=10_000, help="articles traced under callgrind")
    parser.add_argument(
        "--interrupt", type=int, default=100_000, help="articles for the Ctrl-C measurement (0: none)"
    )
    parser.add_argument(
        "--report-from",
        metavar="JSON",
        help="only write docs/performance.md again from a saved performance.json",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--threads", default="1,2", help=argparse.SUPPRESS)
    parser.add_argument(
        "--repeats", type=int, default=3, help="traces of each size and thread count; the fastest counts"
    )
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one_size(args.one, [int(t) for t in args.threads.split(",")], args.repeats)))
        return 0
    if args.report_from:
        write_report(json.loads(pathlib.Path(args.report_from).read_text(encoding="utf-8")))
        return 0
    sizes = []
    for n in (int(x) for x in args.sizes.split(",")):
        print(f"tracing {n:,} articles ...", file=sys.stderr)
        sizes.append(measure_size(n, args.repeats))
    core = None
    if not args.no_core:
        import core as core_bench

        print("tokenizer (storytrace_bench tokenize) ...", file=sys.stderr)
        tokenize = core_bench.measure_tokenize()
        print(f"callgrind on {args.callgrind_docs:,} articles ...", file=sys.stderr)
        stages = core_bench.callgrind_stages(args.callgrind_docs)
        core = {"tokenize": tokenize, "callgrind": {"docs": args.callgrind_docs, "stages": stages}}
    interrupt = None
    if args.interrupt:
        from interrupt import measure_interrupt

        print(f"Ctrl-C on {args.interrupt:,} articles ...", file=sys.stderr)
        interrupt = measure_interrupt(args.interrupt)
    # The peers last: passim's Spark leaves the machine busy for a while after it exits (the
    # tokenizer, measured after it, once lost a quarter of its speed).
    peer_info, peers = (None, [])
    if args.peers:
        print(f"peers on {args.peers:,} articles ...", file=sys.stderr)
        peer_info, peers = measure_peers(args.peers, args.peer_runs)
    plot(sizes, ROOT / "docs" / "performance.png")
    results: dict = {"sizes": sizes, "peers": peers, "peer_info": peer_info}
    if core:
        results["core"] = core
    if interrupt:
        results["interrupt"] = interrupt
    (ROOT / "docs" / "performance.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(write_report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
