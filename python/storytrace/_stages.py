"""trace run stage by stage, each stage's table kept and, given a directory, saved as Parquet.

The stages are the core's (``storytrace._core.stages``, listed with what each reads in
``_core.stages.STAGES``)::

    tokenize -> boilerplate -> postings -> candidates -> align -> attribute -> offsets
    credits (from the texts alone) ----------------------------^

A table is a few parts, each a set of equal-length columns (docs/architecture.md gives every
schema). With a directory, the table of each stage up to ``align`` is written as
``DIR/<stage>/<part>.parquet`` with a ``manifest.json`` written last, atomically, holding the
stage's fingerprint: a digest of the corpus, of the options that stage reads and of the
fingerprints of the tables it reads. A later run with the same corpus reads every table whose
fingerprint still matches and reruns only the stages after a change, as passim resumes from its
Parquet stages. Tables read back are checked by the core against the corpus; a damaged one is a
``ValueError`` naming the stage and the file.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pathlib
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from . import _checkpoint, _core
from ._corpus import Corpus
from ._options import USED_BY, check_options, credit_table
from ._trace import Trace, _progress_callback, stage_inputs

FORMAT = 3
MANIFEST = "manifest.json"
#: (stage, the stages whose tables it reads, the options that change its table), in run order.
STAGES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = _core.stages.STAGES
_INFO = {name: (inputs, options) for name, inputs, options in STAGES}
#: The stages whose tables are saved; attribution's output is the Trace (Trace.to_parquet).
SAVED = ("tokenize", "boilerplate", "credits", "postings", "candidates", "align")

Table = dict[str, dict[str, np.ndarray]]


class Stages:
    """trace, one stage at a time, every table kept and, with ``directory``, saved and resumed.

    Parameters
    ----------
    corpus : Corpus
        The documents.
    directory : path, optional
        Where each stage's table is written (``<stage>/<part>.parquet`` and ``<stage>/manifest.json``)
        and read back on a later run when its fingerprint matches: the same corpus, the same values
        of the options that stage reads, the same tables before it. Needs pyarrow.
    credits : mapping, optional
        Extra credit aliases, as :func:`storytrace.trace` takes them.
    progress : None, bool or callable, optional
        As :func:`storytrace.trace` takes it.
    **options
        The options of :func:`storytrace.trace`.

    Examples
    --------
    >>> import storytrace as st
    >>> run = st.Stages(st.sample_corpus())
    >>> sorted(run.table("candidates"))
    ['candidates']
    >>> run.trace().documents["derivation"].astype(str).tolist().count("wholly")
    2
    """

    def __init__(
        self,
        corpus: Corpus,
        *,
        directory: str | os.PathLike[str] | None = None,
        credits: Mapping[str, str] | None = None,
        progress: Any = None,
        **options: Any,
    ) -> None:
        if not isinstance(corpus, Corpus):
            raise TypeError(
                f"Stages() takes a storytrace.Corpus, not {type(corpus).__name__}; build one with st.Corpus()"
            )
        self._corpus = corpus
        self._opts = check_options(options, "trace")
        args, day_only = stage_inputs(corpus, credit_table(credits), self._opts)
        self._args = args
        self._core_corpus = _core.stages.StageCorpus(*args[:5], day_only, _core.global_ids(corpus._ids))
        self._directory = None if directory is None else pathlib.Path(directory)
        self._progress = progress
        self._tables: dict[str, Table] = {}
        self._fingerprints: dict[str, str] = {}
        #: The stages computed (not read back) by this object, in order.
        self.computed: list[str] = []
        texts, published, codes, names, aliases, _ = args
        self._corpus_digest = _checkpoint.corpus_digest(texts, published, codes, names, day_only)
        self._aliases = aliases

    def __repr__(self) -> str:
        kept = ", ".join(self._tables) or "none yet"
        where = f", directory={str(self._directory)!r}" if self._directory is not None else ""
        return f"<storytrace.Stages of {len(self._corpus)} documents{where}; tables: {kept}>"

    def fingerprint(self, stage: str) -> str:
        """The digest a saved table of ``stage`` must carry to be read back."""
        self._check_stage(stage, _INFO)
        if stage not in self._fingerprints:
            inputs, options = _INFO[stage]
            meta = {
                "stage": stage,
                "format": FORMAT,
                "storytrace": _core.__version__,
                "hash_version": _core.HASH_VERSION,
                "corpus": self._corpus_digest,
                "options": {name: getattr(self._opts, name) for name in options},
                "inputs": [self.fingerprint(i) for i in inputs],
            }
            if stage == "credits":  # the only stage that reads the credit aliases
                meta["aliases"] = self._aliases
            data = json.dumps(meta, sort_keys=True).encode()
            self._fingerprints[stage] = hashlib.blake2b(data, digest_size=16).hexdigest()
        return self._fingerprints[stage]

    def table(self, stage: str) -> dict[str, pd.DataFrame]:
        """The table of ``stage`` (one of ``SAVED``) as ``{part: DataFrame}``, computed or read back
        with the tables it needs."""
        self._check_stage(stage, SAVED)
        return {part: pd.DataFrame(columns) for part, columns in self._table(stage).items()}

    def run(self, until: str = "align") -> list[str]:
        """Runs (or reads back) every stage up to ``until`` and returns the stages computed."""
        self._check_stage(until, SAVED)
        before = len(self.computed)
        for name in SAVED[: SAVED.index(until) + 1]:
            self._table(name)
        return self.computed[before:]

    def trace(self) -> Trace:
        """Attribution and offsets over the aligned tables: the Trace that st.trace gives."""
        raw = self._call(
            "attribute", self._table("boilerplate"), self._table("credits"), self._table("align")
        )
        spans = raw.pop("spans")
        offsets = self._call("offsets", self._table("tokenize"), {"passages": spans})["passages"]
        for name, column in offsets.items():
            side, rest = name.split("_", 1)
            raw["passages"][("source_" if side == "a" else "target_") + rest] = column
        raw["candidates"] = len(self._table("candidates")["candidates"]["first"])
        self.computed += ["attribute", "offsets"]
        return Trace(self._corpus, raw, self._opts.as_dict(USED_BY["trace"]), self._args[1])

    # --- internals ---------------------------------------------------------------------------

    @staticmethod
    def _check_stage(stage: str, allowed: Any) -> None:
        if stage not in allowed:
            raise ValueError(f"unknown stage {stage!r}; the stages with tables are {', '.join(allowed)}")

    def _table(self, stage: str) -> Table:
        if stage in self._tables:
            return self._tables[stage]
        table = self._load(stage)
        if table is None:
            inputs = [self._table(i) for i in _INFO[stage][0]]
            table = self._call(stage, *inputs)
            self.computed.append(stage)
            self._save(stage, table)
        self._tables[stage] = table
        return table

    def _call(self, stage: str, *tables: Any) -> Any:
        function = getattr(_core.stages, stage)
        callback, close = _progress_callback(self._progress)
        try:
            return function(self._core_corpus, *tables, self._opts, callback)
        finally:
            close()

    def _dir(self, stage: str) -> pathlib.Path:
        assert self._directory is not None
        return self._directory / stage

    def _load(self, stage: str) -> Table | None:
        if self._directory is None:
            return None
        folder = self._dir(stage)
        try:
            meta = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or meta.get("fingerprint") != self.fingerprint(stage):
            return None
        # The tokens table the check reads is fetched first: its own faults are its own.
        tokens = self._table("tokenize") if stage in ("boilerplate", "align") else None
        _checkpoint._parquet()
        table: Table = {}
        try:
            for part in meta["parts"]:
                frame = pd.read_parquet(folder / f"{part}.parquet")
                # Each column as the core made it: a column whose type or length changed is
                # damage, not something to cast (a hash through float64 would lose bits).
                kinds = {name: str(frame[name].dtype) for name in frame.columns}
                if kinds != meta["columns"][part] or len(frame) != meta["rows"][part]:
                    raise ValueError(
                        f"part {part} has columns {kinds} and {len(frame)} rows, the manifest says "
                        f"{meta['columns'][part]} and {meta['rows'][part]}"
                    )
                table[part] = {name: frame[name].to_numpy() for name in frame.columns}
            # The core checks the table against the corpus before a stage reads it.
            _core.stages.check(self._core_corpus, stage, table, tokens, self._opts)
        except (OSError, KeyError, ValueError, TypeError) as e:
            raise ValueError(
                f"the saved {stage} table in {folder} is damaged ({e}); delete the folder to recompute it"
            ) from None
        return table

    def _save(self, stage: str, table: Table) -> None:
        if self._directory is None:
            return
        _checkpoint._parquet()
        folder = self._dir(stage)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / MANIFEST).unlink(missing_ok=True)  # tables and manifest never disagree
        for part, columns in table.items():
            frame = pd.DataFrame(columns)
            _checkpoint._replace(
                folder / f"{part}.parquet", functools.partial(_checkpoint._write_parquet, frame)
            )
        meta = {
            "format": FORMAT,
            "stage": stage,
            "fingerprint": self.fingerprint(stage),
            "parts": list(table),
            "rows": {part: len(next(iter(columns.values()), ())) for part, columns in table.items()},
            "columns": {
                part: {k: str(v.dtype) for k, v in columns.items()} for part, columns in table.items()
            },
            "storytrace": _core.__version__,
            "hash_version": _core.HASH_VERSION,
        }
        _checkpoint._replace(
            folder / MANIFEST, lambda path: path.write_text(json.dumps(meta, indent=2), encoding="utf-8")
        )
