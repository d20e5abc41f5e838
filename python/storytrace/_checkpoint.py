"""Checkpoints of a trace: the aligned tables written to a directory as Parquet, read back on a rerun.

trace runs in two halves (the core's ``align_stage`` and ``attribute_stage``). The first
(tokenize, boilerplate, credits, postings, candidates, align) does nearly all the work; what it
hands the second is two small tables, which a checkpoint keeps:

- ``aligned_documents.parquet``: per document, ``tokens, boilerplate_tokens, credit_count``.
- ``aligned_credits.parquet``: ``agency``, the agencies each document credits, in document order.
- ``aligned_passages.parquet``: per passage, ``a, b`` (document numbers in the corpus, ``a`` the
  earlier of its pair), ``a_begin, a_end, b_begin, b_end`` (token spans), ``matched``,
  ``a_boilerplate, b_boilerplate``, ``similarity``, ``kind`` (``storytrace._core.PASSAGE_KIND``).
- ``manifest.json``: the format, and a fingerprint of everything the tables depend on (the corpus's
  texts, outlets and times, the credit aliases, the options that align, the hash version and
  storytrace's version). Written last, after the tables are in place, and replaced atomically: a
  directory without a manifest that matches is recomputed, never half read.

A rerun on the same corpus with the same aligning options reads the tables back and runs only
attribution, so the attribution options (``wholly``, ``closer`` ...) can be tuned at the cost of
that stage.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pathlib
import threading
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from . import _core
from ._options import SPECS, Options

FORMAT = 1
MANIFEST = "manifest.json"
TABLES = ("aligned_documents", "aligned_credits", "aligned_passages")
PASSAGE_COLUMNS = {
    "a": np.uint32,
    "b": np.uint32,
    "a_begin": np.uint32,
    "a_end": np.uint32,
    "b_begin": np.uint32,
    "b_end": np.uint32,
    "matched": np.uint32,
    "a_boilerplate": np.uint32,
    "b_boilerplate": np.uint32,
    "similarity": np.float32,
    "kind": np.uint8,
}
#: The options the aligned tables depend on (the others are read by attribution only).
ALIGNING = tuple(name for name, spec in SPECS.items() if spec["aligns"])


def fingerprint(
    texts: list[str],
    published: np.ndarray,
    codes: np.ndarray,
    outlet_names: list[str],
    aliases: list[tuple[str, str]],
    options: Options,
    day: np.ndarray | None,
) -> str:
    """A digest of everything the aligned tables depend on."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"storytrace {_core.__version__} hash {_core.HASH_VERSION} checkpoint {FORMAT}\n".encode())
    h.update(json.dumps({name: getattr(options, name) for name in ALIGNING}, sort_keys=True).encode() + b"\n")
    h.update(json.dumps(aliases).encode() + b"\n")
    h.update(corpus_digest(texts, published, codes, outlet_names, day).encode())
    return h.hexdigest()


def corpus_digest(
    texts: list[str],
    published: np.ndarray,
    codes: np.ndarray,
    outlet_names: list[str],
    day: np.ndarray | None,
) -> str:
    """A digest of a corpus as the stages read it: texts, outlets, times and day-only flags."""
    h = hashlib.blake2b(digest_size=16)

    def add(data: bytes) -> None:
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)

    add(json.dumps(outlet_names).encode())
    for array in (codes, published, np.zeros(0, np.uint8) if day is None else day):
        add(np.ascontiguousarray(array).tobytes())
    add(len(texts).to_bytes(8, "little"))
    for text in texts:
        add(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _parquet() -> Any:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise ImportError("checkpoint= writes Parquet, which needs pyarrow: pip install pyarrow") from None
    return pd


def load(directory: pathlib.Path, digest: str, docs: int) -> dict[str, Any] | None:
    """The aligned tables of ``directory`` when its manifest matches ``digest``, else None."""
    manifest = directory / MANIFEST
    try:
        meta = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT or meta.get("fingerprint") != digest:
        return None
    _parquet()
    try:
        d = pd.read_parquet(directory / "aligned_documents.parquet")
        c = pd.read_parquet(directory / "aligned_credits.parquet")
        p = pd.read_parquet(directory / "aligned_passages.parquet")
        counts = d["credit_count"].to_numpy(np.uint64)
        aligned = {
            "documents": {
                "tokens": d["tokens"].to_numpy(np.uint32),
                "boilerplate_tokens": d["boilerplate_tokens"].to_numpy(np.uint32),
                "credit_begin": np.concatenate([[0], np.cumsum(counts, dtype=np.uint64)]).astype(np.uint64),
                "credit_agency": c["agency"].to_numpy(np.int32),
            },
            "passages": {name: p[name].to_numpy(dtype) for name, dtype in PASSAGE_COLUMNS.items()},
            "candidates": int(meta["candidates"]),
        }
    except (OSError, KeyError, ValueError, TypeError) as e:
        raise ValueError(
            f"the checkpoint in {directory} is damaged ({e}); delete the directory to recompute it"
        ) from None
    if len(d) != docs or meta.get("documents") != docs:
        raise ValueError(
            f"the checkpoint in {directory} has {len(d)} documents, the corpus {docs}; delete the "
            "directory to recompute it"
        )
    return aligned


def save(directory: pathlib.Path, digest: str, aligned: dict[str, Any]) -> None:
    """Writes the aligned tables, then the manifest that makes them valid (each file atomically)."""
    _parquet()
    directory.mkdir(parents=True, exist_ok=True)
    # An older manifest goes first: tables and manifest never disagree.
    (directory / MANIFEST).unlink(missing_ok=True)
    docs, passages = aligned["documents"], aligned["passages"]
    begin = np.asarray(docs["credit_begin"], dtype=np.uint64)
    frames = {
        "aligned_documents": pd.DataFrame(
            {
                "tokens": docs["tokens"],
                "boilerplate_tokens": docs["boilerplate_tokens"],
                "credit_count": np.diff(begin).astype(np.uint32),
            }
        ),
        "aligned_credits": pd.DataFrame({"agency": docs["credit_agency"]}),
        "aligned_passages": pd.DataFrame({name: passages[name] for name in PASSAGE_COLUMNS}),
    }
    for name, frame in frames.items():
        _replace(directory / f"{name}.parquet", functools.partial(_write_parquet, frame))
    meta = {
        "format": FORMAT,
        "fingerprint": digest,
        "documents": len(frames["aligned_documents"]),
        "passages": len(frames["aligned_passages"]),
        "candidates": int(aligned["candidates"]),
        "storytrace": _core.__version__,
        "hash_version": _core.HASH_VERSION,
        "tables": [f"{name}.parquet" for name in TABLES],
    }
    _replace(directory / MANIFEST, lambda path: path.write_text(json.dumps(meta, indent=2), encoding="utf-8"))


def _write_parquet(frame: pd.DataFrame, path: pathlib.Path) -> None:
    frame.to_parquet(path, index=False)


def _replace(path: pathlib.Path, write: Callable[[pathlib.Path], Any]) -> None:
    """Writes ``path`` whole or not at all: into a temporary file, flushed to disk, then renamed
    over it, and the rename flushed too."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        write(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    finally:
        tmp.unlink(missing_ok=True)


def _fsync_dir(directory: pathlib.Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # a directory cannot be opened on every system
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
