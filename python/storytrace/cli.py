"""The ``storytrace`` command line: trace, demo, compare."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from ._corpus import check_text, read
from ._options import DEFAULTS, SPECS, USED_BY
from ._trace import trace


def _add_options(p: argparse.ArgumentParser, names: Sequence[str]) -> None:
    for name in names:
        default = DEFAULTS[name]
        p.add_argument(
            "--" + name.replace("_", "-"),
            dest=name,
            type=_yes_no if isinstance(default, bool) else type(default),
            default=None,
            help=f"{SPECS[name]['help']} (default {default})",
        )


def _yes_no(value: str) -> bool:
    low = value.strip().lower()
    if low in ("yes", "true", "1", "on"):
        return True
    if low in ("no", "false", "0", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected yes or no, got {value!r}")


def _options(args: argparse.Namespace, names: Sequence[str]) -> dict[str, Any]:
    return {n: getattr(args, n) for n in names if getattr(args, n) is not None}


def _read_text(arg: str, literal: bool) -> str:
    if literal:
        return arg
    if arg == "-":
        return sys.stdin.read()
    with open(arg, "rb") as f:
        return check_text(f.read(), repr(arg))


def _cmd_trace(args: argparse.Namespace) -> int:
    columns = {k: getattr(args, k + "_column") for k in ("text", "id", "outlet", "published", "title", "url")}
    corpus = read(args.input, **columns)
    # No flag: a bar on a terminal, for a run that lasts (trace's progress=None).
    result = trace(corpus, progress=args.progress, **_options(args, USED_BY["trace"]))
    paths = result.to_csv(args.out) if args.format == "csv" else result.to_parquet(args.out)
    docs = result.documents
    counts = docs["derivation"].value_counts()
    print(
        f"traced {len(docs)} documents: {counts.get('wholly', 0)} wholly derived, "
        f"{counts.get('partially', 0)} partially derived, {counts.get('none', 0)} with no reused text; "
        f"{len(result.stories)} stories, {len(result.passages)} passages"
    )
    for path in paths:
        print(f"wrote {path}")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from ._sample import sample_corpus

    corpus = sample_corpus()
    print("storytrace demo: the bundled sample corpus (five web articles, April 2024, no outlets or dates)\n")
    result = trace(corpus, **_options(args, ("threads",)))
    print(result.summary())
    if args.out:
        for path in result.to_csv(args.out):
            print(f"wrote {path}")
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from ._compare import compare

    a = _read_text(args.a, args.text)
    b = _read_text(args.b, args.text)
    cmp = compare(a, b, **_options(args, ("ngram", "min_tokens", "max_gap")))
    print(f"A in B: {cmp.a_in_b:.1%}   B in A: {cmp.b_in_a:.1%}   Jaccard: {cmp.jaccard:.3f}")
    print(f"{len(cmp.passages)} shared passages")
    for k, row in enumerate(cmp.passages.itertuples(index=False), start=1):
        snippet = " ".join(a[row.a_start : row.a_end].split())
        if len(snippet) > 100:
            snippet = snippet[:60] + " … " + snippet[-35:]
        print(
            f"  {k}. A[{row.a_start}:{row.a_end}] = B[{row.b_start}:{row.b_end}], {row.tokens} tokens: {snippet}"
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="storytrace", description="Trace which outlet's text originated a news story."
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"storytrace {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("trace", help="trace a corpus file (JSONL, CSV or Parquet)")
    p.add_argument("input", help="a .jsonl, .csv or .parquet file with one article per record")
    p.add_argument("--out", required=True, help="directory for documents, sources, passages and stories")
    p.add_argument(
        "--format", choices=("parquet", "csv"), default="parquet", help="output format (default parquet)"
    )
    for field in ("text", "id", "outlet", "published", "title", "url"):
        p.add_argument(
            f"--{field}-column", default=field, help=f"column holding the {field} (default {field!r})"
        )
    bar = p.add_mutually_exclusive_group()
    bar.add_argument(
        "--progress", dest="progress", action="store_true", default=None, help="show a progress bar"
    )
    bar.add_argument("--no-progress", dest="progress", action="store_false", help="never show a progress bar")
    _add_options(p, USED_BY["trace"])
    p.set_defaults(func=_cmd_trace)

    p = sub.add_parser("demo", help="trace the bundled sample corpus and print a summary")
    p.add_argument("--out", help="also write the tables as CSV to this directory")
    _add_options(p, ("threads",))
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("compare", help="the passages two texts share")
    p.add_argument("a", help="a file (or '-' for standard input)")
    p.add_argument("b", help="a file")
    p.add_argument("--text", action="store_true", help="A and B are the texts themselves, not file names")
    _add_options(p, ("ngram", "min_tokens", "max_gap"))
    p.set_defaults(func=_cmd_compare)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except (ValueError, TypeError, OSError, ImportError) as e:
        print(f"storytrace {args.command}: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("storytrace: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


__all__ = ["build_parser", "main"]
