"""Every table ``trace`` returns, on fixed corpora, against committed digests.

Any change of output shows here. When a change is meant, regenerate the digests with
``python tests/python/test_checksums.py`` and commit them with the reason in the commit message.
"""

from __future__ import annotations

import json
import pathlib

import pytest

from conftest import load_file

ROOT = pathlib.Path(__file__).resolve().parents[2]
DIGESTS = pathlib.Path(__file__).resolve().parent / "data" / "checksums.json"
# Corpora that need no dataset: the bundled sample, the speed corpus and the synthetic corpus
# over a random vocabulary.
CORPORA = ("sample", "speed-random:2000", "synth-random")


checksums = load_file("checksums", ROOT / "benchmarks" / "checksums.py")


@pytest.mark.parametrize("name", CORPORA)
@pytest.mark.parametrize("threads", [1, 2])
def test_every_table_is_as_committed(name, threads):
    committed = json.loads(DIGESTS.read_text())[name]
    assert checksums.digests(name, threads=threads) == committed


def test_the_digest_sees_one_changed_cell():
    import storytrace as st

    result = st.trace(st.sample_corpus(), progress=False)
    passages = result.passages.copy()
    before = checksums.table_digest(passages)
    passages.loc[0, "target_end"] += 1
    assert checksums.table_digest(passages) != before
    shares = result.documents.copy()
    shares.loc[0, "reuse_share"] += 1e-6
    assert checksums.table_digest(shares) != checksums.table_digest(result.documents)


if __name__ == "__main__":
    DIGESTS.write_text(json.dumps({name: checksums.digests(name) for name in CORPORA}, indent=2) + "\n")
    print("wrote", DIGESTS)
