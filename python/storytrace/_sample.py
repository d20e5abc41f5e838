"""The bundled sample corpus: five English web articles from April 2024."""

from __future__ import annotations

from importlib import resources

from ._corpus import Corpus


def sample_corpus() -> Corpus:
    """Five articles about Iran's attack on Israel (13-14 April 2024) and the strike near Isfahan.

    They came as plain text scraped from web pages, page chrome included, with no outlet name or
    publication time: ids are the file names. Two are reprints of one Anadolu Agency story, one
    credits Reuters, two are original as far as these five can tell.
    """
    corpus = Corpus()
    folder = resources.files("storytrace") / "data" / "sample"
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".txt"):
            corpus.add(entry.read_text(encoding="utf-8"), id=entry.name[: -len(".txt")])
    return corpus
