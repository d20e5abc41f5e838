"""Jupyter views and plots: the trace summary, one document, two texts side by side, the plots of
a story and of the outlets, and the progress bar."""

from __future__ import annotations

import html
import io
import random
import re
import sys
import types
import warnings
from html.parser import HTMLParser

import matplotlib
import pandas as pd
import pytest

import storytrace as st
from conftest import paragraphs, prose
from storytrace import _trace

matplotlib.use("Agg")
import matplotlib.pyplot as plt

T0 = pd.Timestamp("2024-04-01T08:00Z")


def _corpus() -> st.Corpus:
    """An agency story reprinted by a paper with its credit, a newspaper's story edited by a
    second paper and copied from there by a weekly, and a blog quoting both stories; one paper's
    name holds markup."""
    rng = random.Random(5)
    wire = paragraphs(rng, 4, 45)
    times = "\n\n".join(paragraphs(rng, 3, 45))
    hours = lambda h: T0 + pd.Timedelta(hours=h)  # noqa: E731
    corpus = st.Corpus()
    corpus.add("WASHINGTON (AP) — " + "\n\n".join(wire), id="ap-1", outlet="Associated Press", published=T0)
    corpus.add(times, id="times-1", outlet="The Times", published=hours(-1))
    herald = prose(rng, 30) + "\n\n(AP) " + "\n\n".join(wire) + "\n\n" + prose(rng, 25)
    corpus.add(herald, id="herald-1", outlet="Daily <b>Herald</b>", published=hours(2))
    words = times.split(" ")
    for k in range(10, len(words), 12):  # the post edits the story lightly; the weekly copies its edition
        words[k] = "edited"
    post = prose(rng, 30) + "\n\n" + " ".join(words) + "\n\n" + prose(rng, 25)
    corpus.add(post, id="post-1", outlet="Evening Post", published=hours(4))
    corpus.add(prose(rng, 20) + "\n\n" + post, id="weekly-1", outlet="Weekly", published=hours(9))
    corpus.add(
        prose(rng, 30) + "\n\n" + wire[1] + "\n\n" + prose(rng, 30) + "\n\n" + times.split("\n\n")[0]
        + " <script>x()</script>",
        id="blog-1",
        outlet="Blog",
        published=hours(3),
    )  # fmt: skip
    corpus.add(prose(rng, 80), id="own-1", outlet="Blog", published="2024-04-02")  # a date only
    return corpus


@pytest.fixture(scope="module")
def result() -> st.Trace:
    return st.trace(_corpus())


def _marks(markup: str) -> list[tuple[int, int, str, str]]:
    """(data-start, data-end, data-key, text) of every mark."""
    return [
        (int(a), int(b), html.unescape(k), html.unescape(re.sub(r"<sup[^>]*>.*?</sup>", "", t)))
        for a, b, k, t in re.findall(
            r'<mark data-start="(\d+)" data-end="(\d+)" data-key="([^"]*)"[^>]*>(.*?)</mark>',
            markup,
            flags=re.S,
        )
    ]


# -- show(id) -------------------------------------------------------------------------------------
def test_show_colours_each_passage_by_its_origin_outlet(result):
    corpus = _corpus()
    markup = result.show("blog-1").markup
    p = result.passages[result.passages["target_id"] == "blog-1"]
    assert set(p["origin_outlet"]) == {"Associated Press", "The Times"}
    marks = _marks(markup)
    text = corpus["blog-1"].text
    # Every mark is the text of a passage of its origin outlet, and every passage is marked whole.
    for start, end, key, shown in marks:
        row = p[(p["target_start"] == start) & (p["target_end"] == end)]
        assert len(row) >= 1 and {f"origin: {o}" for o in row["origin_outlet"]} == {
            key
        }  # one from each source
        assert text[start:end].startswith(shown) or shown in text[start:end]
    assert {(int(a), int(b)) for a, b in zip(p["target_start"], p["target_end"])} == {
        (m[0], m[1]) for m in marks
    }
    # One colour per origin outlet, each named in the legend.
    colour = dict(re.findall(r'data-key="([^"]*)"[^>]*style="background:(#[0-9a-f]{6})', markup))
    assert len(colour) == 2 and len(set(colour.values())) == 2
    for key, c in colour.items():
        assert re.search(
            f"background:{c};padding:1px 6px[^>]*>{re.escape(key)} · ", markup
        )  # its legend entry


def test_show_header_credits_and_escaping(result):
    markup = result.show("herald-1").markup
    assert "Daily &lt;b&gt;Herald&lt;/b&gt;" in markup and "<b>Herald</b>" not in markup
    assert re.search(r"credits:.*>Associated Press</span>", markup)
    assert "wholly derived" in markup or "partially derived" in markup
    assert "copied by 1 later document" in result.show("post-1").markup  # the weekly copied it
    blog = result.show("blog-1").markup
    assert "<script>" not in blog and "&lt;script&gt;x()&lt;/script&gt;" in blog


def test_show_of_an_original_document(result):
    markup = result.show("own-1").markup
    assert "<mark" not in markup
    assert "no passage found in another document" in markup


# -- the trace summary ----------------------------------------------------------------------------
def test_trace_summary_html(result):
    markup = result._repr_html_()
    docs = result.documents
    assert f"{len(docs):,} documents" in markup and f"{len(result.stories):,} stories" in markup
    counts = docs["derivation"].value_counts()
    for k, label in (("wholly", "wholly derived"), ("partially", "partially derived")):
        assert f"{label}: {counts.get(k, 0):,}" in markup
    # The Times, copied most, leads the originating outlets; the name with markup is escaped.
    table = markup[markup.index("Top originating outlets") :]
    assert table.index("The Times") < table.index("Associated Press")
    assert "Evening Post" not in table  # it originated nothing
    assert "<b>Herald" not in markup


def test_outlet_summary(result):
    s = result.outlet_summary().set_index("outlet")
    docs = result.documents
    assert s.loc["Associated Press", "is_agency"] and not s.loc["Blog", "is_agency"]
    assert s["documents"].sum() == len(docs)
    # The agency's story was copied by the herald and the blog; the Times' by the post, the
    # weekly (through the post) and the blog.
    assert s.loc["Associated Press", "originated"] == 1 and s.loc["Associated Press", "copied_by"] == 2
    assert s.loc["The Times", "originated"] == 1 and s.loc["The Times", "copied_by"] == 3
    # The weekly copied the post's edition, whose text originated at the Times.
    assert s.loc["Evening Post", "originated"] == 0 and s.loc["Weekly", "originated"] == 0
    for outlet, row in s.iterrows():
        assert row.original_share + row.derived_share == pytest.approx(1.0)
        assert row.agency_share + row.outlet_copy_share <= row.derived_share + 1e-9, outlet
    assert s.loc["Associated Press", "derived_share"] == 0
    assert s.loc["Daily <b>Herald</b>", "agency_share"] > 0.5  # the agency's story, reprinted
    assert s.loc["Weekly", "outlet_copy_share"] > 0.5  # the post's page, copied
    blog = docs[docs["outlet"] == "Blog"]
    tokens = (blog["tokens"] - blog["boilerplate_tokens"]).clip(lower=0)
    assert s.loc["Blog", "derived_share"] == pytest.approx(
        (tokens * blog["reuse_share"]).sum() / tokens.sum()
    )


# -- compare ----------------------------------------------------------------------------------------
def test_compare_links_each_passage_to_its_counterpart():
    rng = random.Random(9)
    shared = paragraphs(rng, 2, 40)
    a = prose(rng, 30) + "\n\n" + shared[0] + "\n\n" + prose(rng, 30) + "\n\n" + shared[1]
    b = shared[1] + "\n\n" + prose(rng, 20) + "\n\n" + shared[0] + " & <i>more</i>"
    cmp = st.compare(a, b)
    assert len(cmp.passages) == 2
    markup = cmp._repr_html_()
    assert "<i>more</i>" not in markup and "&amp; &lt;i&gt;more&lt;/i&gt;" in markup
    anchors = {
        own: (href, int(start), int(end))
        for href, start, end, own in re.findall(
            r'<a href="#([^"]+)"[^>]*><mark data-start="(\d+)" data-end="(\d+)"[^>]*id="([^"]+)"', markup
        )
    }
    assert len(anchors) == 4
    for k, row in enumerate(cmp.passages.itertuples(index=False)):
        # Passage k of A links to passage k of B, which links back.
        a_side = [own for own, (_, start, end) in anchors.items() if (start, end) == (row.a_start, row.a_end)]
        assert len(a_side) == 1
        href, _, _ = anchors[a_side[0]]
        assert anchors[href][1:] == (row.b_start, row.b_end) and anchors[href][0] == a_side[0]
        assert markup.count(f">{k + 1}</sup>") == 2
    # Two views in one notebook never share an element id.
    again = cmp._repr_html_()
    assert not set(anchors) & set(re.findall(r'id="([^"]+)"', again))


# -- plots ----------------------------------------------------------------------------------------
def _story_of(result: st.Trace, doc_id: str) -> int:
    return int(result.documents.set_index("id").loc[doc_id, "story_id"])


def test_timeline(result):
    story = _story_of(result, "ap-1")
    ax = result.plot.timeline(story)
    members = set(result.stories.set_index("story_id").loc[story, "documents"])
    docs = result.documents[result.documents["id"].isin(members)].sort_values("published")
    # One row per outlet, the first to publish on top.
    assert [t.get_text() for t in ax.get_yticklabels()] == list(dict.fromkeys(docs["outlet"]))
    # An arrow for every direct link inside the story.
    s = result.sources
    direct = s[s["direct"] & s["target_id"].isin(members) & s["source_id"].isin(members)]
    arrows = [c for c in ax.get_children() if isinstance(c, matplotlib.text.Annotation) and c.arrow_patch]
    assert len(arrows) == len(direct) > 0
    assert ax.get_title(loc="left").startswith(f"story {story}: {len(members)} documents")
    assert ax.get_xlabel() == "published (UTC)"
    # links="all" draws every link inside the story: the arrows of the directed ones, a line for
    # each sibling or undecided pair.
    inside = s[s["target_id"].isin(members) & s["source_id"].isin(members)]
    assert len(inside) > len(direct)
    every = result.plot.timeline(story, links="all")
    arrows = [c for c in every.get_children() if isinstance(c, matplotlib.text.Annotation) and c.arrow_patch]
    undirected = inside["direction_evidence"].isin(["sibling", "undirected"])
    assert len(arrows) == (~undirected).sum()
    assert len([line for line in every.lines if len(line.get_xdata()) == 2]) == undirected.sum()
    plt.close("all")


def test_graph_places_a_copy_of_a_copy_in_the_second_generation(result):
    story = _story_of(result, "weekly-1")
    ax = result.plot.graph(story)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "first" and "copy 2" in labels
    where = {t.get_text().split("\n")[0]: t.xy for t in ax.texts}
    assert where["The Times"][0] == 0
    assert where["Evening Post"][0] == 1
    assert where["Weekly"][0] == 2
    plt.close("all")


def test_timeline_marks_a_date_without_a_time():
    corpus = st.Corpus()
    rng = random.Random(3)
    text = "\n\n".join(paragraphs(rng, 3, 40))
    corpus.add(text, id="a", outlet="Wire", published="2024-04-01T06:00Z")
    corpus.add(text, id="b", outlet="Paper", published="2024-04-02")
    result = st.trace(corpus)
    (story,) = result.stories["story_id"]
    ax = result.plot.timeline(story)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "date only: some time that day" in legend
    band = [line for line in ax.lines if line.get_linewidth() == 5]
    assert len(band) == 1
    xs = band[0].get_xdata()
    assert xs[1] - xs[0] == 1  # the whole day
    ax = result.plot.graph(story)
    assert any("(date only)" in t.get_text() for t in ax.texts)
    plt.close("all")


def test_outlets_plot_matches_the_summary(result):
    ax = result.plot.outlets(top=3)
    summary = result.outlet_summary().head(3)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        o + (" (agency)" if a else "") for o, a in zip(summary["outlet"], summary["is_agency"])
    ]
    widths = [p.get_width() for p in ax.patches]
    columns = ("original_share", "agency_share", "outlet_copy_share", "own_copy_share")
    expected = [v for c in columns for v in summary[c]]
    assert widths == pytest.approx(expected)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "original (not found earlier)",
        "copied from agencies",
        "copied from other outlets",
        "copied from its own earlier articles",
    ]
    _, axes = plt.subplots(1, 2)
    assert result.plot.outlets(ax=axes[1]) is axes[1]  # draws where it is told
    plt.close("all")


def test_plot_errors_say_what_to_fix(result):
    with pytest.raises(KeyError, match="no story 999"):
        result.plot.timeline(999)
    with pytest.raises(TypeError, match="story_id must be an int"):
        result.plot.graph("ap-1")
    with pytest.raises(ValueError, match="links must be"):
        result.plot.timeline(_story_of(result, "ap-1"), links="some")
    with pytest.raises(ValueError, match="top must be a positive int"):
        result.plot.outlets(top=0)


# -- progress -------------------------------------------------------------------------------------
class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_progress_bar_when_nobody_watches(monkeypatch):
    out = io.StringIO()  # not a terminal
    monkeypatch.setattr(sys, "stderr", out)
    monkeypatch.setattr(_trace, "AUTO_DELAY", 0.0)  # as if the run were long
    assert not _trace.interactive()
    st.trace(st.sample_corpus())
    assert out.getvalue() == ""
    st.trace(st.sample_corpus(), progress=True)  # asked for: shown in any case
    assert "aligning passages" in out.getvalue()


def test_no_text_bar_in_a_notebook_without_widgets(monkeypatch):
    # A notebook run unwatched (nbclient, papermill) would keep text bars in its outputs.
    shell = types.SimpleNamespace(kernel=object())
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))
    monkeypatch.setattr(_trace.importlib.util, "find_spec", lambda name: None)
    assert _trace._progress_callback(None)[0] is None
    assert _trace._progress_callback(True)[0] is not None


def test_progress_bar_on_a_terminal(monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(_trace, "AUTO_DELAY", 0.0)
    assert _trace.interactive()
    st.trace(st.sample_corpus())
    assert "aligning passages" in terminal.getvalue()
    monkeypatch.setattr(_trace, "AUTO_DELAY", 60.0)  # a run shorter than the delay shows nothing
    terminal.seek(0)
    terminal.truncate()
    st.trace(st.sample_corpus())
    assert terminal.getvalue() == ""
    st.trace(st.sample_corpus(), progress=False)
    assert terminal.getvalue() == ""


def test_a_jupyter_kernel_is_interactive(monkeypatch):
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal, even under pytest -s
    shell = types.SimpleNamespace(kernel=object())
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))
    assert _trace.interactive()
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: None))
    assert not _trace.interactive()


# -- edge cases -----------------------------------------------------------------------------------
class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs.update(name for name, _ in attrs)


def test_no_corpus_string_becomes_markup():
    evil = '"><x onclick="y">&<b>'
    rng = random.Random(8)
    body = "\n\n".join(paragraphs(rng, 3, 40))
    corpus = st.Corpus()
    corpus.add("(EVL) " + body + evil, id="wire" + evil, outlet="Wire" + evil, published="2024-01-01T08:00Z")
    corpus.add(evil + body, id="copy" + evil, outlet="Paper" + evil, published="2024-01-01T10:00Z")
    corpus.add(evil + body, id="twin" + evil, published=None)  # an undated copy: undecided links
    result = st.trace(corpus, credits={"EVL": "Agency" + evil})
    views = [result._repr_html_(), st.compare(body + evil, evil + body)._repr_html_()]
    views += [result.show(d).markup for d in result.documents["id"]]
    for markup in views:
        parsed = _Tags()
        parsed.feed(markup)
        assert parsed.tags <= {"div", "span", "mark", "a", "sup", "table", "tr", "th", "td"}
        assert parsed.attrs <= {"class", "style", "title", "data-start", "data-end", "data-key", "id", "href"}
    assert "Agency&quot;&gt;&lt;x" in result.show("wire" + evil).markup  # the credit badge, escaped


def test_undecided_text_shows_on_both_sides():
    corpus = st.Corpus()
    body = "\n\n".join(paragraphs(random.Random(6), 3, 40))
    corpus.add(body, id="x")
    corpus.add(body, id="y")
    result = st.trace(corpus)
    assert set(result.sources["direction_evidence"]) == {"undirected"}
    p = result.passages.iloc[0]
    spans = {p.source_id: (p.source_start, p.source_end), p.target_id: (p.target_start, p.target_end)}
    for doc_id in ("x", "y"):
        marks = _marks(result.show(doc_id).markup)
        assert [m[2] for m in marks] == ["direction undecided"]
        assert (marks[0][0], marks[0][1]) == spans[doc_id]


def test_an_outlet_copying_itself_fills_its_bar():
    corpus = st.Corpus()
    rng = random.Random(7)
    body = "\n\n".join(paragraphs(rng, 3, 40))
    corpus.add(body, id="a1", outlet="A", published="2024-01-01T08:00Z")
    corpus.add(prose(rng, 60) + "\n\n" + body, id="a2", outlet="A", published="2024-01-02T08:00Z")
    result = st.trace(corpus, boilerplate_min_docs=0)
    row = result.outlet_summary().set_index("outlet").loc["A"]
    assert row.own_copy_share > 0.2 and row.agency_share == 0 and row.outlet_copy_share == 0
    ax = result.plot.outlets()
    assert sum(p.get_width() for p in ax.patches) == pytest.approx(1.0)
    plt.close("all")


def test_plots_take_any_outlet_name():
    corpus = st.Corpus()
    body = "\n\n".join(paragraphs(random.Random(2), 3, 40))
    corpus.add(body, id="a", outlet="Price $^ Watch", published="2024-01-01T08:00Z")
    corpus.add(body, id="b", outlet="Cash $^$ Daily", published="2024-01-01T09:00Z")
    result = st.trace(corpus)
    (story,) = result.stories["story_id"]
    for ax in (result.plot.timeline(story), result.plot.graph(story), result.plot.outlets()):
        ax.figure.savefig(io.BytesIO(), format="png")  # matplotlib would read $...$ as a formula
        labels = [t.get_text() for t in ax.get_yticklabels()] + [t.get_text() for t in ax.texts]
        assert any("Cash \\$^\\$ Daily" in label for label in labels)
    plt.close("all")


def test_show_names_the_stored_id_and_a_date_without_time():
    corpus = st.Corpus()
    body = "\n\n".join(paragraphs(random.Random(1), 3, 40))
    corpus.add(body, id=0, outlet="Wire", published="2024-01-01T08:00Z")
    corpus.add(body, id=1, outlet="Paper", published="2024-01-02")
    result = st.trace(corpus)
    markup = result.show(True).markup  # True == 1 finds document 1
    assert (
        markup.startswith('<div class="storytrace"') and ">1 · Paper · 2024-01-02 (date only)</div>" in markup
    )


def test_a_story_with_no_times_and_a_trace_with_no_story():
    corpus = st.Corpus()
    body = "\n\n".join(paragraphs(random.Random(3), 3, 40))
    corpus.add(body, id="a", outlet="A")
    corpus.add(body, id="b", outlet="B")
    result = st.trace(corpus)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = result.plot.timeline(int(result.stories.story_id[0]))
    assert "no document of this story has a publication time" in [t.get_text() for t in ax.texts]
    lonely = st.trace(st.Corpus([{"id": "only", "text": body}]))
    with pytest.raises(KeyError, match="no document shares text with another"):
        lonely.plot.graph(0)
    plt.close("all")


class _PublicOnly:
    """A trace that answers only to its public names: the views must need nothing else."""

    def __init__(self, result: st.Trace) -> None:
        self._result = result

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(f"the views read {name}, which is not public")
        return getattr(self._result, name)


def test_views_and_plots_read_only_the_public_api(result):
    from storytrace import _plot, _views

    public = _PublicOnly(result)
    assert _views.trace_html(public) == result._repr_html_()
    for doc_id in result.documents["id"]:
        assert _views.document_html(public, doc_id) == result.show(doc_id).markup
    plots = _plot.Plots(public)
    for story_id in result.stories["story_id"]:
        assert plots.timeline(story_id).get_title() == result.plot.timeline(story_id).get_title()
        plots.graph(story_id)
    plots.outlets()
    plt.close("all")
