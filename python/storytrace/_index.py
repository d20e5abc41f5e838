"""``Index``: known texts kept in memory; new articles asked where their text came from."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import _core
from ._corpus import Corpus, DocId, check_text, is_day_only, published_series, to_nanoseconds
from ._options import USED_BY, check_options, with_options_doc


@with_options_doc("index")
class Index:
    """A monitoring index of known documents.

    Parameters
    ----------
    {options}

    Examples
    --------
    >>> import storytrace as st
    >>> index = st.Index()
    >>> index.add(st.sample_corpus())
    >>> text = st.sample_corpus()["001_d1aeb3a94d7ee87e"].text
    >>> index.query(text, top=2)["source_id"].tolist()
    ['001_d1aeb3a94d7ee87e', '000_e0e12a3c6eb4817c']
    """

    def __init__(self, **options: Any) -> None:
        opts = check_options(options, "index")
        self.options = opts.as_dict(USED_BY["index"])
        self._core = _core.MonitorIndex(opts)
        self._ids: list[DocId] = []
        self._outlets: list[str | None] = []
        self._published: list[int] = []
        self._known: set[DocId] = set()

    def __len__(self) -> int:
        return len(self._ids)

    def __repr__(self) -> str:
        return f"<storytrace.Index: {len(self)} documents, ngram={self.options['ngram']}>"

    def add(self, corpus: Corpus) -> None:
        """Add every document of ``corpus`` (ids must be new to the index)."""
        if not isinstance(corpus, Corpus):
            raise TypeError(f"Index.add() takes a storytrace.Corpus, not {type(corpus).__name__}")
        clash = [i for i in corpus._ids if i in self._known]
        if clash:
            raise ValueError(f"the index already holds documents with ids {clash[:5]!r}; ids must be unique")
        self._core.add(
            list(corpus._texts),
            np.asarray(corpus._published, dtype=np.int64),
            np.asarray(corpus._day_only, dtype=np.uint8),
        )
        self._ids.extend(corpus._ids)
        self._outlets.extend(corpus._outlets)
        self._published.extend(corpus._published)
        self._known.update(corpus._ids)

    def query(self, text: str, published: Any = None, top: int = 10) -> pd.DataFrame:
        """Known documents that share passages with ``text``, most shared first.

        With ``published``, documents published after it are left out: they cannot be sources
        (a date without a time is a day, as in :func:`trace`).

        Returns a DataFrame: ``source_id, source_outlet, source_published, shared_tokens,
        containment`` (share of ``text`` found in the source), ``source_containment``,
        ``passages`` (count), ``spans`` (list of ``(start, end, source_start, source_end)`` in
        code points) and ``earlier`` (the source is known to be older than ``published``).
        """
        text = check_text(text, "the query")
        if isinstance(top, bool) or not isinstance(top, (int, np.integer)):
            raise TypeError(f"top must be an int, not {type(top).__name__}")
        if top < 1:
            raise ValueError(f"top must be at least 1, got {top}")
        when = to_nanoseconds(published, "the query")
        # The core leaves out the documents that cannot precede the query (a day spans a range).
        kept = self._core.query(text, int(top), int(when), is_day_only(published))
        rows = []
        for h in kept:
            d = int(h["doc"])
            t = self._published[d]
            rows.append(
                {
                    "source_id": self._ids[d],
                    "source_outlet": self._outlets[d],
                    "source_published": t,
                    "shared_tokens": int(h["shared_tokens"]),
                    "containment": float(h["containment"]),
                    "source_containment": float(h["source_containment"]),
                    "passages": len(h["query_start"]),
                    "spans": [
                        (int(a), int(b), int(c), int(e))
                        for a, b, c, e in zip(
                            h["query_start"], h["query_end"], h["source_start"], h["source_end"]
                        )
                    ],
                    "earlier": bool(h["earlier"]),
                }
            )
        rows = rows[:top]
        columns = [
            "source_id",
            "source_outlet",
            "source_published",
            "shared_tokens",
            "containment",
            "source_containment",
            "passages",
            "spans",
            "earlier",
        ]
        df = pd.DataFrame(rows, columns=columns)
        df["source_published"] = published_series(np.asarray(df["source_published"].tolist(), dtype=np.int64))
        df["source_id"] = df["source_id"].astype(object)
        return df
