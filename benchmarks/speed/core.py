"""The C++ core on its own, without Python: tokenizer throughput and instruction counts per stage.

Both run ``storytrace_bench`` (``bench.cpp`` beside this file, built by CMake with
``-DSTORYTRACE_BENCH=ON`` in ``build/bench``):

- :func:`measure_tokenize`: MB/s on one thread of ICU's word break alone, the reference tokenizer
  (ICU + per-word normalization + shingles), the core's tokenizer with shingles and alone, on
  English news (Reuters-21578 bodies when ``../shared/datasets`` has them), the speed corpus's
  synthetic English, and Turkish, Urdu and Chinese built from ``texts/*.txt``.
- :func:`callgrind_stages`: instructions (Ir) of each stage of ``trace`` under callgrind. They
  are deterministic for one binary and input, so a change is judged by them without the noise of
  a shared machine.

``run.py`` reports both (``--no-core`` skips them). Alone, ``python benchmarks/speed/core.py
[--docs N] [--keep DIR] [--no-tokenize]`` prints them as JSON; ``--keep`` leaves the corpus file
and ``callgrind.out`` in DIR, for ``callgrind_annotate --inclusive=yes DIR/callgrind.out``.
"""

from __future__ import annotations

import contextlib
import json
import os
import pathlib
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BUILD = ROOT / "build" / "bench"
TEXTS = HERE / "texts"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

ENGLISH_MB = 12
OTHER_MB = 5
# Runs of each tokenizer measurement, the best kept (a noisy spell of a shared machine misses some).
REPEATS = 5

# Each stage of trace() (the names of run.py's STAGES, and "trace" for the whole) and the
# function whose inclusive count is its cost.
# Each stage is its function in stages.cpp (trace calls them in turn): inclusive counts take in
# all a stage does (candidates: the pairs by shingles and by vocabulary).
STAGE_FUNCTIONS = {
    "tokenize": "storytrace::tokenize_stage",
    "boilerplate": "storytrace::boilerplate_stage",
    "credits": "storytrace::credits_stage",
    "postings": "storytrace::postings_stage",
    "candidates": "storytrace::candidates_stage",
    "align": "storytrace::align_stage",
    "attribute": "storytrace::attribute_stage",
    "offsets": "storytrace::offsets_stage",
    "trace": "storytrace::trace",
}


def _tool(name: str) -> str:
    """A build tool next to this interpreter (a virtual environment's cmake and ninja) or on PATH."""
    beside = pathlib.Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} is neither next to {sys.executable} nor on PATH")
    return found


def build_bench() -> pathlib.Path:
    """Configure (once) and build ``storytrace_bench`` in ``build/bench``; its path.

    The build is incremental: with nothing changed it only checks the sources.
    """
    cmake = _tool("cmake")
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(pathlib.Path(sys.executable).parent), env.get("PATH", "")])
    if not (BUILD / "CMakeCache.txt").is_file():
        subprocess.run(
            [
                cmake,
                "-S",
                str(ROOT),
                "-B",
                str(BUILD),
                "-G",
                "Ninja",
                f"-DCMAKE_MAKE_PROGRAM={_tool('ninja')}",
                "-DSTORYTRACE_BENCH=ON",
            ],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
    elif "STORYTRACE_BENCH:BOOL=ON" not in (BUILD / "CMakeCache.txt").read_text():
        subprocess.run(
            [cmake, "-S", str(ROOT), "-B", str(BUILD), "-DSTORYTRACE_BENCH=ON"],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
    subprocess.run(
        [cmake, "--build", str(BUILD), "--target", "storytrace_bench"],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    exe = BUILD / "storytrace_bench"
    if not exe.is_file():
        raise FileNotFoundError(f"the build made no {exe}")
    return exe


# ---------------------------------------------------------------------------------------------
# Tokenizer throughput
# ---------------------------------------------------------------------------------------------


def _one_document(text: str) -> str:
    """A document with no blank line in it (the bench splits documents at blank lines)."""
    return re.sub(r"\n\s*\n", "\n", text.strip())


def _take(documents: Iterable[str], megabytes: float) -> list[str]:
    """Documents until their UTF-8 bytes reach ``megabytes``; cycled if they run out first."""
    docs = [d for d in (_one_document(t) for t in documents) if d]
    if not docs:
        raise ValueError("no documents")
    out, size, limit = [], 0, megabytes * 1e6
    while size < limit:
        for d in docs:
            out.append(d)
            size += len(d.encode("utf-8"))
            if size >= limit:
                break
    return out


def _reuters_bodies() -> Iterator[str]:
    """Reuters-21578 article bodies, reflowed into running text (tables and signatures dropped)."""
    from synth.generate import REUTERS, reflow

    path = REUTERS / "reuters21578.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"Reuters-21578 not found in {REUTERS}")
    with open(path, encoding="utf-8") as f:
        for line in f:
            body = json.loads(line).get("body")
            if body:
                yield " ".join(reflow(body))


def _paragraph_documents(path: pathlib.Path, megabytes: float, seed: int = 7) -> list[str]:
    """Documents of 2-5 paragraphs drawn at random (seeded) from a file of blank-line paragraphs."""
    paragraphs = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    rng = random.Random(f"{path.stem}/{seed}")
    out, size = [], 0
    while size < megabytes * 1e6:
        doc = "\n".join(rng.choice(paragraphs) for _ in range(rng.randint(2, 5)))
        out.append(doc)
        size += len(doc.encode("utf-8"))
    return out


def tokenize_inputs(synthetic_docs: int = 10_000) -> list[tuple[str, str, list[str]]]:
    """(language, text label, documents) for each file the tokenizer is measured on."""
    from corpus import make_corpus

    synth = make_corpus(synthetic_docs)
    synthetic = [r["text"] for r in synth.records]
    try:
        english = _take(_reuters_bodies(), ENGLISH_MB)
        english_label = "English news: Reuters-21578 bodies (real, 1987)"
    except FileNotFoundError:
        english = _take(synthetic, ENGLISH_MB)
        english_label = f"English news: speed corpus texts ({synth.source}; Reuters-21578 absent)"
    del synth
    inputs = [
        ("en", english_label, english),
        (
            "en",
            f"English: speed corpus, {synthetic_docs:,} synthetic articles",
            [_one_document(t) for t in synthetic],
        ),
    ]
    for lang, name in (("tr", "Turkish"), ("ur", "Urdu"), ("zh", "Chinese")):
        docs = _paragraph_documents(TEXTS / f"{lang}.txt", OTHER_MB)
        inputs.append((lang, f"{name}: news paragraphs (texts/{lang}.txt), 2-5 per document", docs))
    return inputs


def measure_tokenize(workdir: str | os.PathLike[str] | None = None, repeats: int = REPEATS) -> list[dict]:
    """Tokenizer throughput (MB/s, one thread) per text, one ``storytrace_bench tokenize`` run.

    Each row is the bench's JSON line (bytes, documents, tokens, icu_words, icu_break_mbs,
    reference_mbs, tokenize_shingle_mbs, tokenize_mbs) with ``language`` and ``text`` added.
    The files are written in ``workdir`` (a temporary folder by default) and removed after.
    """
    exe = build_bench()
    inputs = tokenize_inputs()
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        paths = []
        for k, (lang, _, docs) in enumerate(inputs):
            path = pathlib.Path(tmp) / f"{k}-{lang}.txt"
            path.write_text("\n\n".join(docs) + "\n", encoding="utf-8")
            paths.append(str(path))
        out = subprocess.run(
            [str(exe), "tokenize", str(repeats), *paths], check=True, capture_output=True, text=True
        )
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    if len(rows) != len(inputs):
        raise RuntimeError(
            f"storytrace_bench printed {len(rows)} rows for {len(inputs)} files:\n{out.stdout}"
        )
    for row, (lang, label, _) in zip(rows, inputs):
        del row["file"]
        row["language"], row["text"] = lang, label
    return rows


# ---------------------------------------------------------------------------------------------
# Instruction counts per stage
# ---------------------------------------------------------------------------------------------


def _agency_lookup() -> dict[str, int]:
    """Folded outlet name -> agency index, as ``AliasTable::defaults().find_outlet`` has them.

    The indices follow the first appearance of each agency in the default aliases (the bench
    traces with ``AliasTable::defaults()``); without the extension module, the agencies of
    ``synth.generate.AGENCIES``, which open that table in the same order.
    """
    try:
        from storytrace import _core

        entries = list(_core.default_aliases())
    except ImportError:
        from synth.generate import AGENCIES

        entries = [(a[0], a[0]) for a in AGENCIES] + [(a[1], a[0]) for a in AGENCIES]
    ids: dict[str, int] = {}
    folded: dict[str, int] = {}
    for alias, canonical in entries:
        name = " ".join(canonical.split())
        if name not in ids:
            ids[name] = len(ids)
            folded[_fold(name)] = ids[name]
        folded[_fold(alias)] = ids[name]
    return folded


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _fold(name: str) -> str:
    return " ".join(name.split()).translate(_ASCII_LOWER)


def write_bench_corpus(records: list[dict], path: str | os.PathLike[str]) -> None:
    """Write records (text, outlet, published in Unix seconds) as a ``storytrace_bench trace`` file."""
    lookup = _agency_lookup()
    codes: dict[str, int] = {}
    for r in records:
        if r.get("outlet"):
            codes.setdefault(r["outlet"], len(codes))
    agencies = [lookup.get(_fold(name), -1) for name in codes]
    with open(path, "wb") as f:
        f.write(b"storytrace-bench-corpus 1\n")
        f.write((" ".join(map(str, agencies)) + "\n").encode())
        for r in records:
            text = r["text"].encode("utf-8")
            outlet = codes[r["outlet"]] if r.get("outlet") else -1
            published = int(r["published"]) * 1_000_000_000
            f.write(f"{outlet} {published} {len(text)}\n".encode())
            f.write(text + b"\n")


_LINE = re.compile(r"^\s*([\d,]+)\s+(?:\([\d.]+%\)\s+)?(.*?)(?:\s+\[[^\]]*\])?\s*$")


_FILE = re.compile(r"^[^:\s]*:(?!:)")


def _split_function(entry: str) -> str:
    """The function of a ``file:function`` entry of callgrind_annotate (``???:`` when no file)."""
    return _FILE.sub("", entry, count=1)


def _own_entry(function: str, name: str) -> bool:
    """Whether a demangled function is ``name`` itself (any overload or clone), not code nested in it."""
    if not function.startswith(name + "("):
        return False
    depth = 0
    for i in range(len(name), len(function)):
        depth += {"(": 1, ")": -1}.get(function[i], 0)
        if depth == 0:
            return "::" not in function[i + 1 :]
    return False


def parse_annotate(text: str) -> dict[str, int]:
    """Inclusive Ir of each stage from ``callgrind_annotate --inclusive=yes`` output.

    A stage is the sum of the entries of its function itself (overloads and compiler clones such
    as ``[clone .isra.0]``; ``find_credits``' count is already summed over its calls). When the
    function was inlined into its caller and has no entry, the largest entry of code nested in it
    (its lambdas, as run by ``parallel_for``) stands for it: a lower bound.
    """
    counts: list[tuple[int, str]] = []
    for line in text.splitlines():
        m = _LINE.match(line)
        if m and m.group(2):
            counts.append((int(m.group(1).replace(",", "")), _split_function(m.group(2))))
    out: dict[str, int] = {}
    for stage, name in STAGE_FUNCTIONS.items():
        own = [ir for ir, fn in counts if _own_entry(fn, name)]
        nested = [ir for ir, fn in counts if name + "(" in fn]
        if own:
            out[stage] = sum(own)
        elif nested:
            out[stage] = max(nested)
    return out


CALLGRIND_DOCS = 10_000


def callgrind_stages(
    docs: int = CALLGRIND_DOCS,
    workdir: str | os.PathLike[str] | None = None,
    keep: str | os.PathLike[str] | None = None,
) -> dict[str, int]:
    """Instructions (Ir, inclusive) per stage of ``trace`` on ``make_corpus(docs)``, one thread.

    Runs ``valgrind --tool=callgrind storytrace_bench trace CORPUS 1`` and reads the counts with
    ``callgrind_annotate --inclusive=yes``. Keys are run.py's stage names and ``trace`` (the whole
    call). The corpus and ``callgrind.out`` are written in a temporary folder (in ``workdir``), or
    kept in ``keep`` when given. 10,000 articles take about half a minute.
    """
    from corpus import make_corpus

    exe = build_bench()
    valgrind, annotate = _tool("valgrind"), _tool("callgrind_annotate")
    with contextlib.ExitStack() as stack:
        if keep is None:
            folder = pathlib.Path(stack.enter_context(tempfile.TemporaryDirectory(dir=workdir)))
        else:
            folder = pathlib.Path(keep)
            folder.mkdir(parents=True, exist_ok=True)
        corpus = folder / "corpus.txt"
        write_bench_corpus(make_corpus(docs).records, corpus)
        out = folder / "callgrind.out"
        subprocess.run(
            [
                valgrind,
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                str(exe),
                "trace",
                str(corpus),
                "1",
            ],
            check=True,
            capture_output=True,
        )
        text = subprocess.run(
            [annotate, "--inclusive=yes", "--threshold=100", str(out)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    stages = parse_annotate(text)
    missing = [s for s in STAGE_FUNCTIONS if s not in stages]
    if missing:
        raise RuntimeError(f"callgrind_annotate has no count for {', '.join(missing)}")
    return stages


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=CALLGRIND_DOCS, help="articles traced under callgrind")
    parser.add_argument("--keep", help="keep the corpus file and callgrind.out in this folder")
    parser.add_argument("--no-tokenize", action="store_true", help="only the instruction counts")
    args = parser.parse_args(argv)
    out: dict = {}
    if not args.no_tokenize:
        out["tokenize"] = measure_tokenize()
    out["callgrind"] = {"docs": args.docs, "stages": callgrind_stages(args.docs, keep=args.keep)}
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
