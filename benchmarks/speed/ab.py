"""Two builds of storytrace traced in turn on one corpus: their time as a ratio.

    pip install --no-deps --no-build-isolation --target /tmp/base <a checkout of the other commit>
    python benchmarks/speed/ab.py --base /tmp/base --sizes 100000,1000000

The speed corpus (``corpus.py``, seed 7) is made once per size and pickled; then the installed
storytrace (this checkout's) and the one under ``--base`` trace it in turn, ``--repeats`` times
each, alternating, each run in a fresh process (two builds of the core cannot share one: their
bound types would clash), with 2 threads. A run's time is that of ``st.trace`` alone, not of
loading the corpus; the fastest of each build counts. On a shared, noisy machine only the ratio of
one run means anything. Prints a Markdown table; ``--out`` also writes it to a file.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pathlib
import pickle
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent


def one_run(corpus_file: pathlib.Path, threads: int) -> dict:
    """Loads the pickled records, traces them once; storytrace is whichever sys.path gives."""
    import storytrace as st

    with open(corpus_file, "rb") as f:
        corpus = st.Corpus(pickle.load(f))
    gc.collect()
    start = time.perf_counter()
    result = st.trace(corpus, threads=threads, progress=False)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "passages": len(result.passages), "module": st.__file__}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", type=pathlib.Path, help="a --target directory of the other build")
    parser.add_argument("--sizes", default="100000", help="comma-separated article counts")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=pathlib.Path, help="also write the table here")
    parser.add_argument("--one", type=pathlib.Path, help=argparse.SUPPRESS)  # a corpus file: one run
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one_run(args.one, args.threads)))
        return 0
    if args.base is None or not (args.base / "storytrace" / "__init__.py").is_file():
        parser.error("--base must be a directory holding a storytrace package (pip install --target DIR ...)")

    sys.path.insert(0, str(HERE))
    import corpus as speed_corpus

    rows = [
        "| articles | this build, s | base build, s | ratio | passages (this, base) |",
        "|---|---|---|---|---|",
    ]
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            corpus_file = pathlib.Path(tmp) / "corpus.pickle"
            with open(corpus_file, "wb") as f:
                pickle.dump(
                    speed_corpus.make_corpus(size, seed=7).records, f, protocol=pickle.HIGHEST_PROTOCOL
                )
            times: dict[str, list[float]] = {"head": [], "base": []}
            passages: dict[str, int] = {}
            for r in range(args.repeats):
                for name in ("head", "base") if r % 2 == 0 else ("base", "head"):
                    env = dict(os.environ)
                    if name == "base":
                        env["PYTHONPATH"] = os.pathsep.join([str(args.base), env.get("PYTHONPATH", "")])
                    out = subprocess.run(
                        [sys.executable, __file__, "--one", str(corpus_file), "--threads", str(args.threads)],
                        env=env,
                        check=True,
                        capture_output=True,
                        text=True,
                        cwd=tmp,  # not the checkout: `import storytrace` finds the installed or the base one
                    )
                    run = json.loads(out.stdout)
                    if name == "base" and not run["module"].startswith(str(args.base)):
                        raise SystemExit(
                            f"the base run imported {run['module']}, not the build in {args.base}"
                        )
                    times[name].append(run["seconds"])
                    passages[name] = run["passages"]
                    print(f"{size:,} articles, {name}: {run['seconds']:.2f} s", file=sys.stderr, flush=True)
        h, b = min(times["head"]), min(times["base"])
        rows.append(
            f"| {size:,} | {h:.2f} | {b:.2f} | {h / b:.3f} | {passages['head']:,}, {passages['base']:,} |"
        )
    table = "\n".join(rows)
    print(table)
    if args.out:
        args.out.write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
