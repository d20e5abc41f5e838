"""storytrace: whose text is this? Trace which outlet's text originated a news story.

Examples
--------
>>> import storytrace as st
>>> result = st.trace(st.sample_corpus())
>>> sorted(result.documents["derivation"].astype(str))
['none', 'none', 'none', 'wholly', 'wholly']
"""

from __future__ import annotations

import pandas as pd

from . import _core
from ._compare import Comparison, compare
from ._corpus import Corpus, Document, read, read_csv, read_jsonl, read_parquet
from ._evaluate import Evaluation, evaluate
from ._index import Index
from ._options import Options, default_credits
from ._sample import sample_corpus
from ._stages import Stages
from ._trace import Trace, trace


class FormatError(ValueError):
    """A damaged or foreign index file."""


def tokenize(text: str) -> pd.DataFrame:
    """The tokens of ``text`` as a DataFrame: ``start, end`` (code points), ``token`` (normalized).

    >>> tokenize("Iran’s drones")["token"].tolist()
    ["iran's", 'drones']
    """
    from ._corpus import check_text

    raw = _core.tokenize(check_text(text, "text"))
    return pd.DataFrame(
        {
            "start": raw["start"],
            "end": raw["end"],
            "token": pd.Series(raw["norm"], dtype=object),
            "byte_start": raw["byte_start"],
            "byte_end": raw["byte_end"],
        }
    )


#: Seed of every XXH3-64 token and shingle hash (part of the index format; see docs/format.md).
HASH_SEED: int = _core.HASH_SEED
HASH_VERSION: int = _core.HASH_VERSION
__version__: str = _core.__version__  # pyproject.toml's, built into the core

__all__ = [
    "HASH_SEED",
    "HASH_VERSION",
    "Comparison",
    "Corpus",
    "Document",
    "Evaluation",
    "FormatError",
    "Index",
    "Options",
    "Stages",
    "Trace",
    "__version__",
    "compare",
    "default_credits",
    "evaluate",
    "read",
    "read_csv",
    "read_jsonl",
    "read_parquet",
    "sample_corpus",
    "tokenize",
    "trace",
]
