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
