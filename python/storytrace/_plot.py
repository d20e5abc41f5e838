"""Plots of a trace, with matplotlib: a story's timeline, its propagation graph, the outlets.

Each plot draws on the ``ax`` it is given (or a new figure's) and returns it, so that it can be
placed in a figure of several panels and saved for a paper.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._views import DERIVATION_COLOURS, TraceAPI

_LABELS = {"wholly": "wholly derived", "partially": "partially derived", "none": "no reused text"}
ORIGIN_COLOUR = "#e7298a"
AGENCY_COLOUR = "#e6ab02"
OUTLET_COLOUR = "#7570b3"
ORIGINAL_COLOUR = "#1b9e77"
OWN_COLOUR = "#a6761d"


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("plots need matplotlib: pip install matplotlib (or storytrace[plot])") from None
    return plt


def _axes(ax: Any, size: tuple[float, float]) -> Any:
    if ax is not None:
        return ax
    _, ax = _pyplot().subplots(figsize=size, layout="constrained")
    return ax


_STORY_PARAMETERS = """Parameters
        ----------
        story_id : int
            A story's id, as in ``result.stories.story_id`` and ``result.documents.story_id``.
        links : {"direct", "all"}
            ``"direct"`` (the default) draws where each document copied its text from;
            ``"all"`` also the earlier documents that carry the same text, and siblings.
        ax : matplotlib Axes, optional
            Where to draw; a new figure by default.

        Returns
        -------
        matplotlib Axes"""


def _story_plot(f: Any) -> Any:
    """The parameters of a plot of one story, written once into its docstring."""
    f.__doc__ = f.__doc__.replace("{story_parameters}", _STORY_PARAMETERS)
    return f


def _short(label: str, width: int = 28) -> str:
    """A label cut to ``width``, with ``$`` escaped (matplotlib reads $...$ as a formula)."""
    label = label if len(label) <= width else label[: width - 1] + "…"
    return _text(label)


def _text(label: str) -> str:
    return label.replace("$", r"\$")


class Plots:
    """``result.plot``: the plots of a :class:`~storytrace.Trace`.

    Examples
    --------
    >>> import storytrace as st
    >>> result = st.trace(st.sample_corpus())
    >>> story = result.stories["story_id"][0]
    >>> ax = result.plot.graph(story)
    >>> ax.get_title().startswith(f"story {story}:")
    True
    """

    def __init__(self, result: TraceAPI) -> None:
        self._result = result

    # -- a story's documents and links ---------------------------------------------------------
    def _story(self, story_id: int, links: str = "direct") -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
        stories = self._result.stories
        if isinstance(story_id, bool) or not isinstance(story_id, (int, np.integer)):
            raise TypeError(
                f"story_id must be an int (one of result.stories.story_id), not {type(story_id).__name__}"
            )
        rows = np.flatnonzero(stories["story_id"].to_numpy() == int(story_id))
        if not len(rows):
            have = (
                f"ids in result.stories.story_id, such as {stories['story_id'].iloc[0]}"
                if len(stories)
                else "no document shares text with another"
            )
            raise KeyError(f"no story {story_id}: this trace has {len(stories)} stories ({have})")
        story = stories.iloc[int(rows[0])]
        members = set(story["documents"])
        docs = self._result.documents
        inside = docs["id"].isin(members).to_numpy()
        day_only = self._result.day_only.to_numpy()[inside]
        docs = docs[inside].copy()
        docs["outlet"] = docs["outlet"].fillna("(unknown outlet)")
        docs["day_only"] = day_only
        if links not in ("direct", "all"):
            raise ValueError(f"links must be 'direct' or 'all', not {links!r}")
        found = self._result.sources
        found = found[found["target_id"].isin(members) & found["source_id"].isin(members)]
        if links == "direct":
            # Where each document copied its text from; a document none of whose links has a
            # direction keeps its undecided ones.
            decided = found["direct"] & ~found["direction_evidence"].isin(["sibling", "undirected"])
            has_source = set(found.loc[decided, "target_id"])
            undecided = found["direction_evidence"].eq("undirected") & ~found["target_id"].isin(has_source)
            found = found[decided | undecided]
        return docs, found, story

    @staticmethod
    def _role(docs: pd.DataFrame, story: pd.Series) -> pd.Series:
        role = docs["derivation"].astype(str)
        return role.where(docs["id"].to_numpy() != story["origin_id"], "origin")

    def _legend(self, ax: Any, roles: set[str], links: pd.DataFrame, day_only: bool = False) -> None:
        from matplotlib.lines import Line2D

        handles = []
        if "origin" in roles:
            handles.append(
                Line2D([], [], marker="*", ls="", ms=13, color=ORIGIN_COLOUR, label="origin of the story")
            )
        for k in ("wholly", "partially", "none"):
            if k in roles:
                handles.append(
                    Line2D([], [], marker="o", ls="", ms=8, color=DERIVATION_COLOURS[k], label=_LABELS[k])
                )
        if len(links):
            handles.append(Line2D([], [], color="#333", lw=1.2, label="copied from (source → target)"))
        if (links["direction_evidence"] == "sibling").any():
            handles.append(Line2D([], [], color="#999", lw=1, ls="--", label="siblings (same agency copy)"))
        if (links["direction_evidence"] == "undirected").any():
            handles.append(Line2D([], [], color="#999", lw=1, ls=":", label="shared, direction undecided"))
        if day_only:
            handles.append(
                Line2D([], [], color="#888", lw=5, alpha=0.35, label="date only: some time that day")
            )
        ax.legend(handles=handles, loc="best", fontsize=8, frameon=False)

    @staticmethod
    def _edge(
        ax: Any, xy_from: tuple[float, float], xy_to: tuple[float, float], evidence: str, direct: bool
    ) -> None:
        if evidence in ("sibling", "undirected"):
            ax.plot(
                [xy_from[0], xy_to[0]],
                [xy_from[1], xy_to[1]],
                color="#999",
                lw=1,
                ls="--" if evidence == "sibling" else ":",
                zorder=1,
            )
            return
        ax.annotate(
            "",
            xy=xy_to,
            xytext=xy_from,
            arrowprops={
                "arrowstyle": "-|>",
                "color": "#333" if direct else "#bbb",
                "lw": 1.2 if direct else 0.8,
                "shrinkA": 7,
                "shrinkB": 7,
                "connectionstyle": "arc3,rad=0.08",
            },
            zorder=1,
        )

    @staticmethod
    def _marker(ax: Any, x: Any, y: float, role: str) -> None:
        if role == "origin":
            ax.plot([x], [y], marker="*", ms=16, color=ORIGIN_COLOUR, mec="white", zorder=3)
        else:
            ax.plot([x], [y], marker="o", ms=9, color=DERIVATION_COLOURS[role], mec="white", zorder=3)

    # -- the plots -----------------------------------------------------------------------------
    @_story_plot
    def timeline(self, story_id: int, *, links: str = "direct", ax: Any = None) -> Any:
        """Who published the story when: one row per outlet, a point per document, arrows from
        each source to the document that copied it.

        {story_parameters}

        Documents without a publication time cannot be placed: the title says how many.

        Examples
        --------
        >>> import storytrace as st
        >>> corpus = st.Corpus()
        >>> text = "The central bank raised its main interest rate by a quarter point on Tuesday, " * 3
        >>> _ = corpus.add(text, id="wire", outlet="Agency", published="2024-04-01T08:00Z")
        >>> _ = corpus.add(text, id="paper", outlet="Paper", published="2024-04-01T11:30Z")
        >>> result = st.trace(corpus)
        >>> ax = result.plot.timeline(result.stories["story_id"][0])
        >>> [t.get_text() for t in ax.get_yticklabels()]
        ['Agency', 'Paper']
        """
        import matplotlib.dates as mdates

        docs, found, story = self._story(story_id, links)
        timed = docs[docs["published"].notna()].sort_values(["published", "id"])
        untimed = len(docs) - len(timed)
        outlets = list(dict.fromkeys(timed["outlet"]))
        ax = _axes(ax, (8, 0.45 * max(len(outlets), 3) + 1.6))
        row = {o: k for k, o in enumerate(outlets)}
        where = {
            doc_id: (mdates.date2num(t.to_pydatetime()), row[o])
            for doc_id, t, o in zip(timed["id"], timed["published"], timed["outlet"])
        }
        roles = self._role(timed, story)
        for link in found.itertuples(index=False):
            if link.source_id in where and link.target_id in where:
                self._edge(
                    ax, where[link.source_id], where[link.target_id], link.direction_evidence, link.direct
                )
        for doc_id, role, day in zip(timed["id"], roles, timed["day_only"]):
            x, y = where[doc_id]
            if day:  # a date without a time: any moment of that day (UTC)
                ax.plot([x, x + 1], [y, y], color="#888", lw=5, alpha=0.35, solid_capstyle="butt", zorder=2)
            self._marker(ax, x, y, role)
        if outlets:
            ax.set_yticks(range(len(outlets)), [_short(o) for o in outlets])
            ax.set_ylim(len(outlets) - 0.5, -0.5)  # the first to publish on top
        else:
            ax.set_yticks([])
            ax.text(
                0.5,
                0.5,
                "no document of this story has a publication time",
                ha="center",
                transform=ax.transAxes,
                color="#666",
            )
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        if len(timed) == 1 or (len(timed) and timed["published"].nunique() == 1):
            x = where[timed["id"].iloc[0]][0]
            ax.set_xlim(x - 1 / 24, x + 1 / 24)
        ax.grid(axis="x", color="#eee")
        ax.set_axisbelow(True)
        ax.set_xlabel("published (UTC)")
        origin = story["origin_outlet"] or "origin undecided"
        title = (
            f"story {story_id}: {len(docs)} documents, {docs['outlet'].nunique()} outlets · origin {origin}"
        )
        if untimed:
            title += f"\n({untimed} without a publication time not shown)"
        ax.set_title(_text(title), fontsize=10, loc="left")
        self._legend(ax, set(roles), found, bool(timed["day_only"].any()))
        return ax

    @_story_plot
    def graph(self, story_id: int, *, links: str = "direct", ax: Any = None) -> Any:
        """The propagation graph of a story: each document in a column by how many copies it is
        from the first (its generation), arrows from source to target.

        Solid dark arrows are where each document copied its text from (``direct`` links); light
        ones, earlier documents that carry the same text; dashed lines join siblings (two
        reprints of one agency copy), dotted ones shared text whose direction nothing decided.

        {story_parameters}
        """
        docs, found, story = self._story(story_id, links)
        order = docs.sort_values(["published", "id"], na_position="last")
        ids = list(order["id"])
        directed = found[~found["direction_evidence"].isin(["sibling", "undirected"]) & found["direct"]]
        parents: dict[Any, list[Any]] = {}
        for s, t in zip(directed["source_id"], directed["target_id"]):
            parents.setdefault(t, []).append(s)
        # A document is one generation after its latest-generation source: sources first
        # (Kahn's order over the copy links, ties in time order; a date without a time can sort a
        # copy before its source).
        children: dict[Any, list[Any]] = {}
        waiting = {doc: 0 for doc in ids}
        for t, ps in parents.items():
            for p in ps:
                children.setdefault(p, []).append(t)
                waiting[t] += 1
        rank = {doc: k for k, doc in enumerate(ids)}
        ready = [doc for doc in ids if waiting[doc] == 0]
        depth: dict[Any, int] = {}
        while len(depth) < len(ids):
            if not ready:  # a cycle (not made by trace): go on from its earliest document
                ready = [min((d for d in ids if d not in depth), key=rank.__getitem__)]
            ready.sort(key=rank.__getitem__)
            doc = ready.pop(0)
            if doc in depth:
                continue
            depth[doc] = 1 + max((depth[p] for p in parents.get(doc, []) if p in depth), default=-1)
            for c in children.get(doc, []):
                waiting[c] -= 1
                if waiting[c] == 0:
                    ready.append(c)
        columns: dict[int, list[Any]] = {}
        for doc in ids:
            columns.setdefault(depth[doc], []).append(doc)
        tallest = max(len(c) for c in columns.values())
        ax = _axes(ax, (2.6 * len(columns) + 2.4, 0.7 * tallest + 1.8))
        # Column by column, each document beside its sources (fewer crossing arrows), then by time.
        where: dict[Any, tuple[float, float]] = {}
        for g in sorted(columns):
            members = columns[g]
            if g > 0:
                members.sort(
                    key=lambda d: (
                        -float(np.mean([where[p][1] for p in parents.get(d, []) if p in where] or [0.0]))
                    )
                )
            for k, doc in enumerate(members):
                where[doc] = (float(g), (len(members) - 1) / 2 - k)
        for link in found.itertuples(index=False):
            self._edge(ax, where[link.source_id], where[link.target_id], link.direction_evidence, link.direct)
        roles = self._role(order, story)
        for doc, role, outlet, t, day in zip(
            ids, roles, order["outlet"], order["published"], order["day_only"]
        ):
            x, y = where[doc]
            self._marker(ax, x, y, role)
            when = (
                ""
                if pd.isna(t)
                else f"\n{pd.Timestamp(t):%d %b}" + (" (date only)" if day else f"{pd.Timestamp(t): %H:%M}")
            )
            ax.annotate(
                f"{_short(str(outlet), 22)}{when}",
                (x, y),
                xytext=(0, -11),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=8,
            )
        ax.set_xticks(sorted(columns), [("first" if g == 0 else f"copy {g}") for g in sorted(columns)])
        ax.set_xlim(-0.6, max(columns) + 0.6)
        ax.set_ylim(-(tallest - 1) / 2 - 0.9, (tallest - 1) / 2 + 0.5)
        ax.set_yticks([])
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
        origin = story["origin_outlet"] or "origin undecided"
        ax.set_title(_text(f"story {story_id}: propagation · origin {origin}"), fontsize=10, loc="left")
        self._legend(ax, set(roles), found)
        return ax

    def outlets(self, *, top: int = 20, ax: Any = None) -> Any:
        """Per outlet, the share of its text that is original, copied from agencies, from other
        outlets or from its own earlier articles; beside each bar, how many of its documents others copied.

        Parameters
        ----------
        top : int
            How many outlets: those whose documents others copied most, then the largest.
        ax : matplotlib Axes, optional
            Where to draw; a new figure by default.

        Returns
        -------
        matplotlib Axes

        The numbers are :meth:`Trace.outlet_summary`'s.
        """
        if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
            raise ValueError(f"top must be a positive int, not {top!r}")
        table = self._result.outlet_summary().head(int(top))
        ax = _axes(ax, (8, 0.32 * max(len(table), 3) + 1.4))
        y = np.arange(len(table))
        left = np.zeros(len(table))
        for column, colour, label in (
            ("original_share", ORIGINAL_COLOUR, "original (not found earlier)"),
            ("agency_share", AGENCY_COLOUR, "copied from agencies"),
            ("outlet_copy_share", OUTLET_COLOUR, "copied from other outlets"),
            ("own_copy_share", OWN_COLOUR, "copied from its own earlier articles"),
        ):
            values = table[column].to_numpy(float)
            ax.barh(y, values, left=left, color=colour, label=label, height=0.7)
            left += values
        names = [
            _short(str(o)) + (" (agency)" if a else "") for o, a in zip(table["outlet"], table["is_agency"])
        ]
        ax.set_yticks(y, names)
        ax.set_ylim(len(table) - 0.5, -0.5)
        ax.set_xlim(0, 1.0)
        ax.xaxis.set_major_formatter(_percent())
        for k, (originated, documents) in enumerate(zip(table["originated"], table["documents"])):
            ax.annotate(
                f"{originated} of {documents}",
                (1.0, k),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
                annotation_clip=False,
            )
        ax.set_xlabel("share of the outlet's text (tokens outside boilerplate)")
        ax.set_title("Who originates, who copies", fontsize=10, loc="left")
        ax.annotate(
            "documents\ncopied by others",
            (1.0, 1.0),
            xycoords="axes fraction",
            xytext=(4, 4),
            textcoords="offset points",
            fontsize=8,
            va="bottom",
            annotation_clip=False,
        )
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.12 - 0.4 / max(len(table), 3)),
            ncol=3,
            fontsize=8,
            frameon=False,
        )
        return ax


def _percent() -> Any:
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(1.0)
