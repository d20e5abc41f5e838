"""A deliberately naive, obviously correct pure-Python reference for shingling and containment.

The C++ core is held to these functions by the property tests in ``test_reference.py``. Tokens
come from :func:`storytrace.tokenize` (the reference checks shingling, hashing and set arithmetic,
not ICU's word break); everything after that is written out here the slow, plain way.
"""

from __future__ import annotations

from collections.abc import Sequence

import xxhash

import storytrace


def tokens(text: str) -> list[str]:
    """The normalized tokens of ``text``, in order."""
    return [str(t) for t in storytrace.tokenize(text)["token"]]


def shingle_hash(words: Sequence[str]) -> int:
    """XXH3-64 (seed ``storytrace.HASH_SEED``) of the words joined by single spaces, as UTF-8."""
    return xxhash.xxh3_64_intdigest(" ".join(words).encode("utf-8"), seed=storytrace.HASH_SEED)


def global_id(doc_id: str | int) -> int:
    """A document's global id: XXH3-64 (seed ``storytrace.HASH_SEED``) of ``b"s"`` and the UTF-8
    of a str id, or ``b"i"`` and the decimal digits of an int id, shifted right by one bit."""
    tagged = b"s" + doc_id.encode("utf-8") if isinstance(doc_id, str) else b"i" + str(int(doc_id)).encode()
    return xxhash.xxh3_64_intdigest(tagged, seed=storytrace.HASH_SEED) >> 1


def shingles_of_tokens(words: Sequence[str], n: int) -> list[int]:
    """The hash of every run of ``n`` consecutive tokens, in order (none when too few tokens)."""
    out = []
    for i in range(len(words) - n + 1):
        out.append(shingle_hash(words[i : i + n]))
    return out


def shingles(text: str, n: int) -> list[int]:
    """The shingle hashes of ``text``, in order."""
    return shingles_of_tokens(tokens(text), n)


def shingle_set(text: str, n: int) -> set[int]:
    return set(shingles(text, n))


def jaccard(a: str, b: str, n: int) -> float:
    """|A ∩ B| / |A ∪ B| over the two sets of shingles; 0 when both are empty."""
    sa, sb = shingle_set(a, n), shingle_set(b, n)
    union = sa | sb
    if not union:
        return 0.0
    return len(sa & sb) / len(union)


def containment(a: str, b: str, n: int) -> float:
    """|A ∩ B| / |A|: the share of the shingles of ``a`` that ``b`` also holds; 0 when ``a`` has none."""
    sa, sb = shingle_set(a, n), shingle_set(b, n)
    if not sa:
        return 0.0
    return len(sa & sb) / len(sa)


def covered_tokens(words: Sequence[str], other: Sequence[str], n: int) -> int:
    """How many tokens of ``words`` lie inside at least one shingle that ``other`` also holds."""
    theirs = set(shingles_of_tokens(other, n))
    covered = [False] * len(words)
    for i, h in enumerate(shingles_of_tokens(words, n)):
        if h in theirs:
            for k in range(i, i + n):
                covered[k] = True
    return sum(covered)
