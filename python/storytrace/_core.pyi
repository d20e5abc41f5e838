"""Type stubs of the compiled core (storytrace._core)."""

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

HASH_SEED: int
HASH_VERSION: int
__version__: str
EVIDENCE: list[str]
DERIVATION: list[str]
ORIGIN_EVIDENCE: list[str]
PASSAGE_KIND: list[str]

def global_ids(ids: Sequence[str | int]) -> np.ndarray: ...

OPTIONS: list[dict[str, Any]]

class TraceOptions:
    def __init__(self, **options: Any) -> None: ...
    def as_dict(self) -> dict[str, Any]: ...
    ngram: int
    min_tokens: int
    max_gap: int
    fanout: int
    min_shared: int
    boilerplate_min_docs: int
    boilerplate_min_share: float
    wholly: float
    containment_margin: float
    rewrites: bool
    rewrite_similarity: float
    threads: int

def tokenize(text: str, reference: bool = False) -> dict[str, Any]: ...
def normalize_word(word: str) -> str: ...
def shingle_hashes(text: str, ngram: int) -> np.ndarray: ...
def default_aliases() -> list[tuple[str, str]]: ...
def find_credits(text: str, aliases: list[tuple[str, str]]) -> list[tuple[str, int, int]]: ...
def find_invalid_utf8(data: bytes) -> int | None: ...
def trace(
    texts: list[str],
    published: np.ndarray,
    outlet: np.ndarray,
    outlet_names: list[str],
    aliases: list[tuple[str, str]],
    options: TraceOptions,
    progress: Callable[[str, int, int], Any] | None = None,
    day_only: np.ndarray | None = None,
    global_ids: np.ndarray | None = None,
) -> dict[str, Any]: ...
def align_stage(
    texts: list[str],
    published: np.ndarray,
    outlet: np.ndarray,
    outlet_names: list[str],
    aliases: list[tuple[str, str]],
    options: TraceOptions,
    progress: Callable[[str, int, int], Any] | None = None,
    day_only: np.ndarray | None = None,
) -> dict[str, Any]: ...
def attribute_stage(
    texts: list[str],
    published: np.ndarray,
    outlet: np.ndarray,
    outlet_names: list[str],
    aliases: list[tuple[str, str]],
    options: TraceOptions,
    aligned: dict[str, Any],
    progress: Callable[[str, int, int], Any] | None = None,
    day_only: np.ndarray | None = None,
    global_ids: np.ndarray | None = None,
) -> dict[str, Any]: ...
def compare(a: str, b: str, options: TraceOptions) -> dict[str, Any]: ...

class MonitorIndex:
    def __init__(self, options: TraceOptions) -> None: ...
    def __len__(self) -> int: ...
    def add(
        self,
        texts: list[str],
        published: np.ndarray,
        day_only: np.ndarray,
        progress: Callable[[str, int, int], Any] | None = None,
    ) -> int: ...
    def query(
        self, text: str, top: int, published: int = ..., day_only: bool = False
    ) -> list[dict[str, Any]]: ...

# storytrace._core.stages: every stage of trace on its own (register_stages.cpp). A table is
# {part: {column: array}}; _stages.py documents their use, docs/architecture.md their schema.
_Table = dict[str, dict[str, np.ndarray]]
_Progress = Callable[[str, int, int], Any] | None

class _StageCorpus:
    def __init__(
        self,
        texts: list[str],
        published: np.ndarray,
        outlet: np.ndarray,
        outlet_names: list[str],
        aliases: list[tuple[str, str]],
        day_only: np.ndarray | None = None,
        global_ids: np.ndarray | None = None,
    ) -> None: ...
    def __len__(self) -> int: ...
    @property
    def agencies(self) -> list[str]: ...
    @property
    def outlet_agency(self) -> list[int]: ...

class _StagesModule:
    STAGES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]
    StageCorpus: type[_StageCorpus]
    def check(
        self, corpus: _StageCorpus, stage: str, table: _Table, tokens: _Table | None, options: TraceOptions
    ) -> None: ...
    def tokenize(self, corpus: _StageCorpus, options: TraceOptions, progress: _Progress = None) -> _Table: ...
    def boilerplate(
        self, corpus: _StageCorpus, tokens: _Table, options: TraceOptions, progress: _Progress = None
    ) -> _Table: ...
    def credits(self, corpus: _StageCorpus, options: TraceOptions, progress: _Progress = None) -> _Table: ...
    def postings(
        self,
        corpus: _StageCorpus,
        tokens: _Table,
        boilerplate: _Table,
        options: TraceOptions,
        progress: _Progress = None,
    ) -> _Table: ...
    def candidates(
        self,
        corpus: _StageCorpus,
        tokens: _Table,
        boilerplate: _Table,
        postings: _Table,
        options: TraceOptions,
        progress: _Progress = None,
    ) -> _Table: ...
    def align(
        self,
        corpus: _StageCorpus,
        tokens: _Table,
        boilerplate: _Table,
        candidates: _Table,
        options: TraceOptions,
        progress: _Progress = None,
    ) -> _Table: ...
    def attribute(
        self,
        corpus: _StageCorpus,
        boilerplate: _Table,
        credits: _Table,
        passages: _Table,
        options: TraceOptions,
        progress: _Progress = None,
    ) -> dict[str, Any]: ...
    def offsets(
        self,
        corpus: _StageCorpus,
        tokens: _Table,
        passages: _Table,
        options: TraceOptions,
        progress: _Progress = None,
    ) -> _Table: ...

stages: _StagesModule
