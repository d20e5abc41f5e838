"""The HTML views in headless Chromium: every highlight sits where the passage offsets say, in
its origin's colour, visible on the page and in the screenshot."""

from __future__ import annotations

import os
import random
import re

import numpy as np
import pytest

import storytrace as st
from conftest import paragraphs, prose
from test_display import _corpus

browser = pytest.importorskip("browser")
if browser.chromium() is None:
    if os.environ.get("STORYTRACE_REQUIRE_BROWSER") == "1":  # the test script installs it: never skip there
        raise RuntimeError("STORYTRACE_REQUIRE_BROWSER=1 but no Chromium is installed")
    pytest.skip("no Chromium (apt-get install chromium)", allow_module_level=True)


def _covered(spans) -> set[int]:
    return {i for start, end in spans for i in range(start, end)}


@pytest.fixture(scope="module")
def result() -> st.Trace:
    return st.trace(_corpus())


def test_show_highlights_where_the_offsets_say(result, tmp_path):
    doc_id = "blog-1"
    view = result.show(doc_id).markup
    marks = browser.measure(browser.page(view))
    text = _corpus()[doc_id].text
    p = result.passages[result.passages["target_id"] == doc_id]
    assert marks
    for m in marks:
        # Where the browser shows the mark is inside its passage, and shows that text.
        assert m["data_start"] <= m["start"] < m["end"] <= m["data_end"]
        assert m["text"] == text[m["start"] : m["end"]]
        rows = p[(p["target_start"] == m["data_start"]) & (p["target_end"] == m["data_end"])]
        assert {f"origin: {o}" for o in rows["origin_outlet"]} == {m["key"]}
        assert m["box"][2] > 0 and m["box"][3] > 0  # laid out, visible
    # Together the marks cover each origin's passages exactly.
    for outlet, rows in p.groupby("origin_outlet"):
        shown = _covered((m["start"], m["end"]) for m in marks if m["key"] == f"origin: {outlet}")
        assert shown == _covered(zip(rows["target_start"], rows["target_end"])), outlet
    # The painted colour is the legend's for that origin, one colour per origin.
    colour = {m["key"]: m["colour"] for m in marks}
    assert len(set(colour.values())) == len(colour) == p["origin_outlet"].nunique()
    for key, c in colour.items():
        swatch = re.search(r'background:(#[0-9a-f]{6});[^"]*">' + re.escape(key), view).group(1)
        assert browser.rgb(c) == browser.rgb(swatch)

    # In the screenshot, the highlight's colour is painted in the mark's box.
    shot = tmp_path / "show.png"
    browser.screenshot(browser.page(view), shot)
    pixels = _png(shot)
    for m in marks:
        x, y, w, h = (round(v) for v in m["box"])
        region = pixels[y + 1 : y + h - 1, x + 1 : x + w - 1].reshape(-1, 3)
        share = np.mean(np.all(np.abs(region.astype(int) - browser.rgb(m["colour"])) <= 3, axis=1))
        assert share > 0.3, (m["key"], share)  # the rest is glyphs
    # Outside the marks, the text's box has no highlight colour.
    x, y, w, h = (round(v) for v in marks[0]["text_box"])
    plain = pixels[y + 2 : y + h - 2, x + 2 : x + w - 2].copy()
    for m in marks:
        mx, my, mw, mh = (round(v) for v in m["box"])
        plain[max(my - y - 4, 0) : my - y + mh + 2, max(mx - x - 4, 0) : mx - x + mw + 2] = 255
    for c in colour.values():
        assert not np.any(np.all(np.abs(plain.astype(int) - browser.rgb(c)) <= 3, axis=-1))


def test_compare_highlights_both_sides():
    rng = random.Random(4)
    shared = paragraphs(rng, 2, 40)
    a = "Ünïcode ✓ " + prose(rng, 20) + "\n\n" + shared[0] + "\n\n" + prose(rng, 20) + "\n\n" + shared[1]
    b = shared[1] + " 🎉\n\n" + prose(rng, 15) + "\n\n" + shared[0] + " <b>&</b>"
    cmp = st.compare(a, b)
    marks = browser.measure(browser.page(cmp._repr_html_()))
    sides = {0: a, 1: b}
    spans = {
        0: list(zip(cmp.passages["a_start"], cmp.passages["a_end"])),
        1: list(zip(cmp.passages["b_start"], cmp.passages["b_end"])),
    }
    for view, text in sides.items():
        mine = [m for m in marks if m["view"] == view]
        assert _covered((m["start"], m["end"]) for m in mine) == _covered(spans[view])
        for m in mine:
            assert m["text"] == text[m["start"] : m["end"]]
    # Passage k has one colour on both sides.
    by_key: dict[str, set[str]] = {}
    for m in marks:
        by_key.setdefault(m["key"], set()).add(m["colour"])
    assert len(by_key) == len(cmp.passages) and all(len(c) == 1 for c in by_key.values())


def test_a_script_in_a_text_does_not_run(tmp_path):
    corpus = st.Corpus()
    rng = random.Random(2)
    body = "\n\n".join(paragraphs(rng, 2, 40))
    evil = '<script>document.body.setAttribute("data-pwned", "1")</script><img src=x onerror="alert(1)">'
    corpus.add(body + evil, id="a", published="2024-01-01")
    corpus.add(evil + body, id="b", published="2024-01-02")
    result = st.trace(corpus)
    marks = browser.measure(browser.page(result.show("b").markup, result._repr_html_()))
    assert marks
    dom = browser._run(
        ["--virtual-time-budget=2000", "--dump-dom", _write(tmp_path, result.show("b").markup)]
    )
    assert not re.search(r"<body[^>]*data-pwned", dom)  # the script did not run
    assert "<img" not in dom and "&lt;script&gt;" in dom


def _write(tmp_path, markup: str) -> str:
    path = tmp_path / "page.html"
    path.write_text(browser.page(markup), encoding="utf-8")
    return path.as_uri()


def _png(path) -> np.ndarray:
    import matplotlib.image

    image = matplotlib.image.imread(str(path))
    return (image[..., :3] * 255).round().astype(np.uint8)
