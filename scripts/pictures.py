"""The pictures in docs/ that README.md shows: the HTML views as headless Chromium renders them,
and the plots.

Run: python scripts/pictures.py [--out docs/pictures]

The summary and the plots are of the synthetic propagation corpus of benchmarks/synth (its
sentences from Reuters-21578 when ../shared/datasets is there, else a random vocabulary): they
show no text of it. The views of a text are of the bundled sample corpus, so that no text of a
research-licensed dataset reaches the repository.
"""

from __future__ import annotations

import argparse
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests" / "python"))

import browser  # noqa: E402
import storytrace as st  # noqa: E402
from synth.generate import make_corpus  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "pictures"))
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    synth = make_corpus(stories=300, outlets=24)
    corpus = st.Corpus(synth.records)
    result = st.trace(corpus)
    # The largest story (of those as large, the last to start in corpus order).
    story = int(result.stories.sort_values("size", kind="stable").iloc[-1]["story_id"])
    sample = st.sample_corpus()
    texts = st.trace(sample)
    views = {
        "trace.png": (result._repr_html_(), 370),
        "show.png": (texts.show("001_d1aeb3a94d7ee87e").markup, 580),
        "compare.png": (
            st.compare(
                sample["000_e0e12a3c6eb4817c"].text, sample["001_d1aeb3a94d7ee87e"].text
            )._repr_html_(),
            540,
        ),
    }
    for name, (markup, height) in views.items():
        browser.screenshot(browser.page(markup), out / name, height=height)
    for name, draw in (
        ("timeline.png", lambda: result.plot.timeline(story)),
        ("graph.png", lambda: result.plot.graph(story)),
        ("outlets.png", lambda: result.plot.outlets(top=15)),
    ):
        ax = draw()
        ax.figure.savefig(out / name, dpi=80)
        matplotlib.pyplot.close(ax.figure)
    print(
        f"{len(views) + 3} pictures in {out} (corpus: {len(corpus)} articles, sentences from {synth.source})"
    )


if __name__ == "__main__":
    main()
