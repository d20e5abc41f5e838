"""How fast Ctrl-C stops ``storytrace.trace`` on a large corpus, in every stage.

    python benchmarks/speed/interrupt.py --docs 100000

A child process generates the corpus (``corpus.py``), times one whole ``trace``, then runs
``trace`` again and again; the parent sends SIGINT (what Ctrl-C sends) at a spread of moments
inside each run, and the child reports when ``KeyboardInterrupt`` reached it and in which stage
the run was. Latency is measured on the system's monotonic clock, which both processes share.
Each interrupted run is followed by the next one in the same process, so this also checks that
an interrupted run leaves the process able to trace again.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import signal
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
FRACTIONS = (0.03, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def child(docs: int, runs: int, threads: int) -> None:
    """The traced process: one line per event on stdout."""
    sys.path.insert(0, str(HERE))
    from corpus import make_corpus

    import storytrace as st

    corpus = st.Corpus(make_corpus(docs).records)
    stage = ["-"]

    def progress(name: str, done: int, total: int) -> None:
        stage[0] = name

    t = time.monotonic()
    st.trace(corpus, threads=threads)
    print(f"full {time.monotonic() - t:.3f}", flush=True)
    for _ in range(runs):
        stage[0] = "-"
        print(f"go {time.monotonic():.6f}", flush=True)
        try:
            st.trace(corpus, threads=threads, progress=progress)
        except KeyboardInterrupt:
            print(f"stopped {time.monotonic():.6f} {stage[0]}", flush=True)
        else:
            print("finished", flush=True)


def measure_interrupt(docs: int = 100_000, threads: int = 2) -> dict:
    """Send SIGINT at FRACTIONS of a whole run's time; returns the run time and every trial."""
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", str(docs), "--runs", str(len(FRACTIONS)),
         "--threads", str(threads)],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    full = float(proc.stdout.readline().split()[1])
    trials = []
    for fraction in FRACTIONS:
        line = proc.stdout.readline().split()
        assert line[0] == "go", line
        started = float(line[1])
        time.sleep(max(0.0, started + fraction * full - time.monotonic()))
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        answer = proc.stdout.readline().split()
        if answer[0] == "stopped":
            trials.append(
                {
                    "at": sent - started,
                    "stage": answer[2],
                    "latency": float(answer[1]) - sent,
                }
            )
        else:
            trials.append({"at": sent - started, "stage": "finished", "latency": None})
    proc.wait(timeout=60)
    return {"docs": docs, "threads": threads, "full": full, "trials": trials}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=len(FRACTIONS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        # The child must get KeyboardInterrupt from SIGINT even when started without a terminal.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        child(args.child, args.runs, args.threads)
        return 0
    print(json.dumps(measure_interrupt(args.docs, args.threads), indent=1))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
