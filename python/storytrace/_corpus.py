"""The corpus: documents with their text, outlet, publication time, title and URL."""

from __future__ import annotations

import datetime as _dt
import json
import math
import numbers
import os
import warnings
from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Union
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

#: Publication times are kept as nanoseconds since the epoch, UTC; this marks a missing one.
NO_TIME = np.iinfo(np.int64).min

DocId = Union[str, int]
PathLike = Union[str, "os.PathLike[str]"]


@dataclass(frozen=True)
class Document:
    """One article of a :class:`Corpus`."""

    id: DocId
    text: str
    outlet: str | None = None
    published: pd.Timestamp | None = None
    title: str | None = None
    url: str | None = None


def _label(doc_id: Any, position: int) -> str:
    return f"document {doc_id!r}" if doc_id is not None else f"document #{position}"


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def check_text(text: Any, where: str) -> str:
    """The text as a valid ``str``, or a ``TypeError``/``ValueError`` that says what to fix."""
    if isinstance(text, (bytes, bytearray, memoryview)):
        try:
            return bytes(text).decode("utf-8")
        except UnicodeDecodeError as e:
            raise ValueError(
                f"the text of {where} is not valid UTF-8 (byte {e.start}: {e.reason}); decode it "
                "with the right encoding first, or with errors='replace'"
            ) from None
    if not isinstance(text, str):
        raise TypeError(f"the text of {where} must be a str, not {type(text).__name__}")
    return check_unicode(text, f"the text of {where}")


def _check_id(doc_id: Any, where: str) -> DocId:
    if isinstance(doc_id, str):
        return doc_id
    if isinstance(doc_id, numbers.Integral) and not isinstance(doc_id, bool):
        return int(doc_id)
    if isinstance(doc_id, float) and math.isnan(doc_id):
        raise ValueError(f"{where} has a missing id; give every document an id or none at all")
    if isinstance(doc_id, float) and doc_id.is_integer():
        return int(doc_id)  # an int column that pandas turned into floats because a value is missing
    raise TypeError(f"the id of {where} must be a str or an int, not {type(doc_id).__name__}")


def check_unicode(value: str, what: str) -> str:
    """``value``, or a ValueError naming ``what`` when it holds a lone surrogate (not encodable)."""
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as e:
            raise ValueError(
                f"{what} is not valid Unicode: it holds a lone surrogate at position {e.start}; clean it, "
                "for example with value.encode('utf-8', 'replace').decode('utf-8')"
            ) from None
    return value


def _optional_str(value: Any, name: str, where: str) -> str | None:
    if _is_missing(value):
        return None
    if not isinstance(value, str):
        raise TypeError(f"the {name} of {where} must be a str or None, not {type(value).__name__}")
    return check_unicode(value, f"the {name} of {where}").strip()


def is_day_only(value: Any) -> bool:
    """Whether a publication time gives a day but no time of day (a ``date``, or a string like
    ``"2024-03-31"`` or ``"31 March 2024"``).

    Such a day is kept as its UTC midnight; the core takes it for a local day somewhere between
    UTC+14 and UTC-12, published from 14 hours before that midnight to 36 hours after
    (``cpp/include/storytrace/time.hpp``)."""
    if isinstance(value, _dt.date) and not isinstance(value, (_dt.datetime, pd.Timestamp)):
        return True
    if not isinstance(value, str) or ":" in value:
        return False
    try:
        ts = pd.Timestamp(value.strip())
    except (ValueError, TypeError, OverflowError):
        return False
    return ts is not pd.NaT and ts.tzinfo is None and ts == ts.normalize()


def to_nanoseconds(value: Any, where: str) -> int:
    """A publication time as nanoseconds since the epoch (UTC), or NO_TIME when missing.

    Naive times are taken as UTC; aware ones are converted to UTC. Numbers are Unix seconds.
    """
    if _is_missing(value):
        return int(NO_TIME)
    if isinstance(value, bool):
        raise TypeError(f"the published time of {where} must be a date, not bool")
    if isinstance(value, numbers.Real) and not isinstance(value, np.datetime64):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"the published time of {where} is not a finite number: {value!r}")
        if abs(float(value)) >= 9.2e9:  # past the year 2261 in seconds: nanoseconds would overflow
            raise ValueError(
                f"the published time of {where} ({value!r}) is too large for Unix seconds; if it is in "
                "milliseconds, divide it by 1000"
            )
        return round(float(value) * 1_000_000_000)
    if not isinstance(value, (str, _dt.date, np.datetime64, pd.Timestamp)):
        raise TypeError(
            f"the published time of {where} must be a datetime, a date string, Unix seconds or None, "
            f"not {type(value).__name__}"
        )
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError) as e:
        raise ValueError(
            f"the published time of {where} could not be read as a date: {value!r} ({e}); give an "
            "ISO 8601 string such as '2024-04-19T08:30:00Z', a datetime, Unix seconds, or None"
        ) from None
    if ts is pd.NaT:
        return int(NO_TIME)
    try:
        ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
        return int(ts.as_unit("ns").value)
    except (OverflowError, pd.errors.OutOfBoundsDatetime):
        raise ValueError(
            f"the published time of {where} ({value!r}) is outside the dates storytrace can hold "
            f"({pd.Timestamp.min:%Y-%m-%d} to {pd.Timestamp.max:%Y-%m-%d}, nanoseconds since 1970); "
            "correct it, or leave it out (None)"
        ) from None


def outlet_from_url(url: str | None) -> str | None:
    """The host of a URL without a leading ``www.``: the outlet when none is given."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


class Corpus:
    """A collection of documents to trace.

    Each document has an ``id`` (str or int, unique), a ``text`` and optionally an ``outlet``,
    a ``published`` time, a ``title`` and a ``url``. When a document has a URL but no outlet, the
    URL's host stands for the outlet.

    Examples
    --------
    >>> import storytrace as st
    >>> corpus = st.Corpus()
    >>> corpus.add("Israel has carried out a strike inside of Iran.", id="a", outlet="Daily A")
    'a'
    >>> len(corpus)
    1
    >>> corpus["a"].outlet
    'Daily A'
    """

    def __init__(self, records: Iterable[Mapping[str, Any]] | pd.DataFrame | None = None) -> None:
        self._ids: list[DocId] = []
        self._texts: list[str] = []
        self._outlets: list[str | None] = []
        self._published: list[int] = []
        self._day_only: list[bool] = []  # published gives a day, not a time
        self._titles: list[str | None] = []
        self._urls: list[str | None] = []
        self._index: dict[DocId, int] = {}
        if records is not None:
            self.extend(records)

    # -- building -------------------------------------------------------------------------
    def _next_id(self, reserved: Container[DocId] = ()) -> int:
        candidate = len(self._ids)
        while candidate in self._index or candidate in reserved:
            candidate += 1
        return candidate

    def _prepare(
        self,
        text: Any,
        id: Any,
        outlet: Any,
        published: Any,
        title: Any,
        url: Any,
        position: int,
        pending: Mapping[DocId, int],
    ) -> tuple[DocId | None, str, str | None, int, str | None, str | None, bool]:
        doc_id = None if id is None else _check_id(id, _label(id, position))
        where = _label(doc_id, position)
        if doc_id is not None and (doc_id in self._index or doc_id in pending):
            raise ValueError(f"duplicate id {doc_id!r}: every document needs its own id")
        text = check_text(text, where)
        url_s = _optional_str(url, "url", where)
        outlet_s = _optional_str(outlet, "outlet", where) or outlet_from_url(url_s)
        return (
            doc_id,
            text,
            outlet_s,
            to_nanoseconds(published, where),
            _optional_str(title, "title", where),
            url_s,
            is_day_only(published),
        )

    def _append(
        self,
        row: tuple[DocId | None, str, str | None, int, str | None, str | None, bool],
        reserved: Container[DocId] = (),
    ) -> DocId:
        doc_id = row[0] if row[0] is not None else self._next_id(reserved)
        self._index[doc_id] = len(self._ids)
        self._ids.append(doc_id)
        self._texts.append(row[1])
        self._outlets.append(row[2])
        self._published.append(row[3])
        self._titles.append(row[4])
        self._urls.append(row[5])
        self._day_only.append(row[6])
        return doc_id

    def add(
        self,
        text: str,
        id: DocId | None = None,
        outlet: str | None = None,
        published: Any = None,
        title: str | None = None,
        url: str | None = None,
    ) -> DocId:
        """Add one document and return its id (the next free integer when none is given).

        ``published`` may be a ``datetime``, a ``pandas.Timestamp``, an ISO 8601 string, Unix
        seconds or None; naive times are taken as UTC.
        """
        row = self._prepare(text, id, outlet, published, title, url, len(self._ids), {})
        return self._append(row)

    def extend(self, records: Iterable[Mapping[str, Any]] | pd.DataFrame) -> list[DocId]:
        """Add many documents: an iterable of dicts, or a DataFrame with a ``text`` column.

        Either every record is added or, when one is bad, none is: the error names it.
        """
        if isinstance(records, pd.DataFrame):
            if "text" not in records.columns:
                raise ValueError(
                    f"the DataFrame has no 'text' column (columns: {list(records.columns)}); "
                    "use Corpus.from_pandas(df, text='your_column')"
                )
            records = records.to_dict("records")
        elif isinstance(records, (str, bytes, Mapping)):
            raise TypeError(
                "extend() takes an iterable of records (dicts) or a DataFrame; use add() for one text"
            )
        known = {"text", "id", "outlet", "published", "title", "url"}
        rows = []
        pending: dict[DocId, int] = {}
        for position, rec in enumerate(records, start=len(self._ids)):
            if not isinstance(rec, Mapping):
                raise TypeError(f"record #{position} must be a dict, not {type(rec).__name__}")
            if "text" not in rec:
                raise ValueError(f"record #{position} has no 'text' field")
            extra = set(rec) - known
            if extra:
                raise ValueError(
                    f"record #{position} has unknown fields {sorted(extra)}; known fields: {sorted(known)}"
                )
            row = self._prepare(
                rec["text"],
                rec.get("id"),
                rec.get("outlet"),
                rec.get("published"),
                rec.get("title"),
                rec.get("url"),
                position,
                pending,
            )
            if row[0] is not None:
                pending[row[0]] = position
            rows.append(row)
        # Automatic ids skip the ids given later in the same batch.
        return [self._append(row, pending) for row in rows]

    @classmethod
    def from_pandas(
        cls,
        df: pd.DataFrame,
        text: str = "text",
        id: str | None = "id",
        outlet: str | None = "outlet",
        published: str | None = "published",
        title: str | None = "title",
        url: str | None = "url",
    ) -> Corpus:
        """A corpus from a DataFrame; each argument names the column that holds that field.

        A column named by default that the DataFrame lacks is skipped; a column you name
        explicitly must exist.
        """
        if not isinstance(df, pd.DataFrame):
            raise TypeError(f"from_pandas() takes a pandas DataFrame, not {type(df).__name__}")
        mapping = _column_mapping(
            list(df.columns),
            {"text": text, "id": id, "outlet": outlet, "published": published, "title": title, "url": url},
        )
        records = pd.DataFrame({field: df[col] for field, col in mapping.items()})
        corpus = cls()
        corpus.extend(records.to_dict("records"))
        return corpus

    # -- reading --------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._index

    def __getitem__(self, doc_id: DocId) -> Document:
        try:
            i = self._index[doc_id]
        except (KeyError, TypeError):
            raise KeyError(f"no document with id {doc_id!r} in this corpus") from None
        return self._document(i)

    def _document(self, i: int) -> Document:
        t = self._published[i]
        return Document(
            id=self._ids[i],
            text=self._texts[i],
            outlet=self._outlets[i],
            published=None if t == NO_TIME else pd.Timestamp(t, unit="ns", tz="UTC"),
            title=self._titles[i],
            url=self._urls[i],
        )

    def __iter__(self) -> Iterator[Document]:
        return (self._document(i) for i in range(len(self._ids)))

    def __repr__(self) -> str:
        outlets = len({o for o in self._outlets if o})
        return f"<storytrace.Corpus: {len(self)} documents, {outlets} outlets>"

    @property
    def ids(self) -> list[DocId]:
        return list(self._ids)

    def to_pandas(self) -> pd.DataFrame:
        """The documents as a DataFrame (id, text, outlet, published, title, url)."""
        return pd.DataFrame(
            {
                "id": pd.Series(self._ids, dtype=object),
                "text": pd.Series(self._texts, dtype=object),
                "outlet": pd.Series(self._outlets, dtype=object),
                "published": published_series(self._published),
                "title": pd.Series(self._titles, dtype=object),
                "url": pd.Series(self._urls, dtype=object),
            }
        )


def published_series(values: Iterable[int]) -> pd.Series:
    """NO_TIME-coded nanoseconds as a tz-aware (UTC) datetime Series with NaT for missing."""
    arr = np.asarray(list(values) if not isinstance(values, np.ndarray) else values, dtype=np.int64)
    return pd.Series(pd.to_datetime(arr.view("datetime64[ns]"), utc=True))


def _column_mapping(columns: list[Any], wanted: Mapping[str, str | None]) -> dict[str, Any]:
    defaults = {
        "text": "text",
        "id": "id",
        "outlet": "outlet",
        "published": "published",
        "title": "title",
        "url": "url",
    }
    mapping = {}
    for field, col in wanted.items():
        if col is None:
            continue
        if col in columns:
            mapping[field] = col
        elif field == "text" or col != defaults[field]:
            raise ValueError(f"no column {col!r} for the {field} (columns: {columns})")
    return mapping


def read_jsonl(
    path: PathLike,
    text: str = "text",
    id: str | None = "id",
    outlet: str | None = "outlet",
    published: str | None = "published",
    title: str | None = "title",
    url: str | None = "url",
) -> Corpus:
    """Read a corpus from a JSON Lines file: one JSON object per line.

    The arguments name the fields that hold each part of a document (see :meth:`Corpus.from_pandas`).
    """
    wanted = {"text": text, "id": id, "outlet": outlet, "published": published, "title": title, "url": url}
    corpus = Corpus()
    records = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}, line {lineno}: not valid JSON ({e.msg})") from None
            except RecursionError:
                raise ValueError(
                    f"{path}, line {lineno}: JSON nested too deeply to read; a document is one flat object "
                    '({"id": ..., "text": ...})'
                ) from None
            if not isinstance(obj, dict):
                raise ValueError(f"{path}, line {lineno}: expected a JSON object, got {type(obj).__name__}")
            if text not in obj:
                raise ValueError(f"{path}, line {lineno}: no {text!r} field (fields: {sorted(obj)})")
            records.append({field: obj.get(col) for field, col in wanted.items() if col is not None})
    corpus.extend(records)
    return corpus


def read_csv(
    path: PathLike,
    text: str = "text",
    id: str | None = "id",
    outlet: str | None = "outlet",
    published: str | None = "published",
    title: str | None = "title",
    url: str | None = "url",
    **read_csv_kwargs: Any,
) -> Corpus:
    """Read a corpus from a CSV file (every field read as text; empty fields are missing).

    A row with more fields than the header (a text holding the separator, unquoted) raises a
    ValueError naming its line: no text is shifted into another column or lost.
    """
    read_csv_kwargs.setdefault("index_col", False)  # never take the first column for an index
    try:
        with warnings.catch_warnings():
            # pandas only warns when the first row is the one too long, and drops its last field.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], **read_csv_kwargs)
    except (pd.errors.ParserError, pd.errors.ParserWarning) as e:
        raise ValueError(_csv_problem(path, read_csv_kwargs.get("sep", ","), str(e))) from None
    return Corpus.from_pandas(df, text=text, id=id, outlet=outlet, published=published, title=title, url=url)


def _csv_problem(path: PathLike, sep: str, reason: str) -> str:
    """Which line of a CSV file has more fields than its header, said so that it can be fixed."""
    import csv

    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter=sep if isinstance(sep, str) and len(sep) == 1 else ",")
        header = next(reader, [])
        for row in reader:
            if len(row) > len(header):
                return (
                    f"{os.fspath(path)}, line {reader.line_num}: {len(row)} fields where the header has "
                    f'{len(header)}; a text that holds the separator {sep!r} must be quoted ("...")'
                )
    return f"{os.fspath(path)}: could not be read as CSV ({reason})"


def read_parquet(
    path: PathLike,
    text: str = "text",
    id: str | None = "id",
    outlet: str | None = "outlet",
    published: str | None = "published",
    title: str | None = "title",
    url: str | None = "url",
) -> Corpus:
    """Read a corpus from a Parquet file (needs pyarrow: ``pip install storytrace[parquet]``)."""
    df = pd.read_parquet(path)
    return Corpus.from_pandas(df, text=text, id=id, outlet=outlet, published=published, title=title, url=url)


def read(path: PathLike, **kwargs: Any) -> Corpus:
    """Read a corpus from a .jsonl, .csv or .parquet file, chosen by its extension."""
    suffix = os.fspath(path).lower()
    if suffix.endswith((".jsonl", ".ndjson")):
        return read_jsonl(path, **kwargs)
    if suffix.endswith((".csv", ".tsv")):
        if suffix.endswith(".tsv"):
            kwargs.setdefault("sep", "\t")
        return read_csv(path, **kwargs)
    if suffix.endswith((".parquet", ".pq")):
        return read_parquet(path, **kwargs)
    raise ValueError(f"cannot tell the format of {os.fspath(path)!r}: use a .jsonl, .csv or .parquet file")
