"""A digest of every table ``st.trace`` returns, on named corpora: any change of output shows.

A refactoring or a speed-up must leave them unchanged; a change of output is made on purpose and
its new digests committed with the reason (``tests/python/data/checksums.json`` holds those of the
corpora the tests trace, which need no dataset).

Corpora (names on the command line):

- ``sample``: the bundled sample corpus.
- ``speed:N``: N articles of the speed corpus (``speed/corpus.py``, seed 7), with Reuters-21578's
  words where the dataset is there, else a random vocabulary; ``speed-random:N`` always the latter.
- ``reuters``: every Reuters-21578 document with a body (``accuracy/reuters.py``).
- ``synth``: the synthetic propagation corpus (``synth/generate.py``, 300 stories, seed 7);
  ``synth-random`` from random-vocabulary articles.

Usage::

    python benchmarks/checksums.py sample speed:20000 reuters synth        # prints JSON
    python benchmarks/checksums.py --check docs/checksums.json speed:20000  # compares
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import math
import pathlib
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

import storytrace as st

HERE = pathlib.Path(__file__).resolve().parent
TABLES = ("documents", "sources", "passages", "stories")


def _load(name: str, path: pathlib.Path) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def _value(v: Any) -> Any:
    """One cell in a form that prints the same wherever the same output was computed."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_value(x) for x in v]
    if isinstance(v, pd.Timestamp):
        return int(v.value)
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        # Nine decimals: a float computed alike prints alike; a real change of a share shows.
        return None if math.isnan(v) else round(float(v), 9)
    return str(v)


def table_digest(df: pd.DataFrame) -> str:
    """SHA-256 of a table's column names and every value, row by row (floats to nine decimals)."""
    h = hashlib.sha256()
    h.update(json.dumps(list(map(str, df.columns))).encode())
    for column in df.columns:
        values = df[column].astype(object).tolist()
        h.update(json.dumps([column, [_value(v) for v in values]], ensure_ascii=False).encode())
    return h.hexdigest()[:16]


def trace_digests(result: st.Trace) -> dict[str, str]:
    """The digest of each of ``result``'s four tables."""
    return {name: table_digest(getattr(result, name)) for name in TABLES}


def _speed(count: str, random: bool) -> st.Corpus:
    speed = _load("speed_corpus", HERE / "speed" / "corpus.py")
    sentences = None
    if random:
        sentences = [s for a in speed.random_articles(3000, 7) for s in a.sentences]
    return st.Corpus(speed.make_corpus(int(count), seed=7, sentences=sentences).records)


def _reuters() -> st.Corpus:
    reuters = _load("reuters_accuracy", HERE / "accuracy" / "reuters.py")
    records, *_ = reuters.load()
    return st.Corpus([{k: r[k] for k in ("id", "text", "outlet", "published")} for r in records])


def _synth(random: bool) -> st.Corpus:
    gen = _load("synth_generate", HERE / "synth" / "generate.py")
    articles = gen.random_articles(950, seed=7) if random else None
    return st.Corpus(gen.make_corpus(stories=300, outlets=24, seed=7, articles=articles).records)


CORPORA: dict[str, Callable[[str], st.Corpus]] = {
    "sample": lambda _: st.sample_corpus(),
    "speed": lambda n: _speed(n, random=False),
    "speed-random": lambda n: _speed(n, random=True),
    "reuters": lambda _: _reuters(),
    "synth": lambda _: _synth(random=False),
    "synth-random": lambda _: _synth(random=True),
}


def corpus(name: str) -> st.Corpus:
    """The corpus a name on the command line stands for (``speed:20000``, ``sample`` ...)."""
    kind, _, arg = name.partition(":")
    if kind not in CORPORA:
        raise ValueError(
            f"unknown corpus {name!r}; known: {', '.join(CORPORA)} (speed and speed-random take :N)"
        )
    return CORPORA[kind](arg)


def digests(name: str, **options: Any) -> dict[str, str]:
    """The digests of ``st.trace`` on the named corpus."""
    return trace_digests(st.trace(corpus(name), progress=False, **options))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "corpora", nargs="+", help="sample, speed:N, speed-random:N, reuters, synth, synth-random"
    )
    parser.add_argument("--check", help="a JSON file of earlier digests to compare with")
    args = parser.parse_args(argv)
    out = {name: digests(name) for name in args.corpora}
    print(json.dumps(out, indent=2))
    if args.check:
        before = json.loads(pathlib.Path(args.check).read_text())
        changed = [f"{n}.{t}" for n in out if n in before for t in TABLES if before[n].get(t) != out[n][t]]
        missing = [n for n in out if n not in before]
        if missing:
            print("not in", args.check + ":", ", ".join(missing), file=sys.stderr)
        if changed:
            print("changed:", ", ".join(changed), file=sys.stderr)
            return 1
        print("same digests as", args.check, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
