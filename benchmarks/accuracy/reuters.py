"""Reuters-21578: real 1987 Reuters newswire, one outlet, real timestamps, natural re-issues.

There are no reuse labels, but 261 groups of documents have identical bodies (``exact_duplicate_groups.json``):
Reuters re-issued those stories, so each later member is known reuse of the earliest one. The rest of
the corpus is the background: what storytrace flags there is either a real re-issue (an update, a
correction, a recurring market report) or a false positive, and a fixed random sample of it is
classified by hand in ``reuters_sample_labels.csv`` (ids and labels only; the text is read at run time
from ../shared/datasets/reuters21578, which is for research use only and is not copied here).

Run alone: python benchmarks/accuracy/reuters.py
"""

from __future__ import annotations

import collections
import csv
import datetime as dt
import hashlib
import json
import pathlib
import re
import time

import numpy as np

import storytrace as st

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DATA = ROOT.parent / "shared" / "datasets" / "reuters21578"
LABELS = HERE / "reuters_sample_labels.csv"
REWRITE_LABELS = HERE / "reuters_rewrite_labels.csv"
REWRITE_SAMPLE_SIZE = 20
VOCABULARY_LABELS = HERE / "reuters_vocabulary_labels.csv"
SAMPLE_SEED = 21578
SAMPLE_SIZE = 30
BASELINE_NGRAM = 5
BASELINE_THRESHOLD = 0.5

# "26-FEB-1987 15:01:01.79"; some fields carry SGML control residue after the time, a few have two
# spaces or one decimal. An hour past 23 (one field reads "605:12:19.12") makes the date malformed.
_DATE = re.compile(r"^\s*(\d{1,2})-([A-Za-z]{3})-(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,2}))?")


def parse_date(value: str) -> dt.datetime | None:
    m = _DATE.match(value or "")
    if not m:
        return None
    day, month, year, hour, minute, second, frac = m.groups()
    try:
        stamp = dt.datetime.strptime(
            f"{day}-{month.title()}-{year} {hour}:{minute}:{second}", "%d-%b-%Y %H:%M:%S"
        )
    except ValueError:
        return None
    return stamp + dt.timedelta(milliseconds=10 * int((frac or "0").ljust(2, "0")))


def body_key(body: str) -> str:
    """A body as exact_duplicate_groups.json compares them: lowercased, punctuation stripped."""
    return " ".join(re.sub(r"[^\w\s]", " ", body.lower()).split())


def load() -> tuple[list[dict], int, list[tuple[int, str]], list[int]]:
    """Documents with a body (id, text, outlet, published, body key); how many empty bodies were skipped;
    malformed dates; ids whose date the source marks as a guess (kept)."""
    records, empty, malformed, guessed = [], 0, [], []
    with open(DATA / "reuters21578.jsonl", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if not (r.get("body") or "").strip():
                empty += 1
                continue
            published = parse_date(r["date"])
            if published is None:
                malformed.append((r["newid"], r["date"].strip()))
            elif "guess" in r["date"].lower():
                guessed.append(r["newid"])
            records.append(
                {
                    "id": r["newid"],
                    "text": f"{r['title']}\n{r['dateline']} {r['body']}",
                    "outlet": "Reuters",
                    "published": published,
                    "body_key": body_key(r["body"]),
                }
            )
    return records, empty, malformed, guessed


def pct(num: int, den: int) -> str:
    return "n/a" if not den else f"{num:,} / {den:,} ({num / den:.1%})"


def containment_baseline(records: list[dict]) -> dict:
    """For each dated document, the containment of its 5-gram set in its best earlier document.

    Earlier: an earlier timestamp, ties broken by the smaller id. An inverted index over the shingle
    hashes of the documents seen so far gives the shared counts without comparing all pairs.
    Undated documents are neither scored nor used as sources.
    """
    dated = sorted(
        (r for r in records if r["published"] is not None), key=lambda r: (r["published"], r["id"])
    )
    postings: dict[int, list[int]] = collections.defaultdict(list)
    score: dict = {}
    for k, r in enumerate(dated):
        own = np.unique(st._core.shingle_hashes(r["text"], BASELINE_NGRAM)).tolist()
        shared: collections.Counter[int] = collections.Counter()
        for h in own:
            hits = postings.get(h)
            if hits:
                shared.update(hits)
        best = max(shared.values(), default=0)
        score[r["id"]] = best / len(own) if own else 0.0
        for h in own:
            postings[h].append(k)
    return score


def read_labels(path: pathlib.Path = LABELS) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def sample_flagged(docs, in_groups: set) -> list:
    """A fixed sample of the flagged documents outside the groups: the SAMPLE_SIZE with the smallest
    seeded hash of their id. A document's rank does not depend on the others, so a change in what is
    flagged changes the sample only where it must."""

    def rank(newid: int) -> str:
        return hashlib.sha256(f"{SAMPLE_SEED}:{newid}".encode()).hexdigest()

    flagged = [int(i) for i in docs.loc[docs["derivation"] != "none", "id"] if i not in in_groups]
    return sorted(sorted(flagged, key=rank)[:SAMPLE_SIZE])


def earlier_twins(records: list[dict]) -> set:
    """Dated documents whose body (as the groups file compares them) equals an earlier document's."""
    seen: dict[str, dt.datetime] = {}
    twins = set()
    for r in sorted(
        (r for r in records if r["published"] is not None), key=lambda r: (r["published"], r["id"])
    ):
        if len(r["body_key"].split()) < 50:
            continue
        if r["body_key"] in seen and seen[r["body_key"]] < r["published"]:
            twins.add(r["id"])
        seen.setdefault(r["body_key"], r["published"])
    return twins


def section() -> list[str]:
    title = "## Reuters-21578: natural re-issues in real newswire"
    if not (DATA / "reuters21578.jsonl").exists() or not (DATA / "exact_duplicate_groups.json").exists():
        return [title, "", f"Not measured: {DATA} is absent.", ""]
    records, empty, malformed, guessed = load()
    groups = [list(g) for g in json.loads((DATA / "exact_duplicate_groups.json").read_text(encoding="utf-8"))]
    corpus = st.Corpus([{k: v for k, v in r.items() if k != "body_key"} for r in records])
    start = time.perf_counter()
    result = st.trace(corpus)
    elapsed = time.perf_counter() - start
    docs = result.documents
    by_id = docs.set_index("id")
    published = {r["id"]: r["published"] for r in records}

    # Exact duplicates: the earliest member(s) of each group (every member at the earliest time, if
    # several share it) and the later ones.
    later: list = []
    earliest_docs: list = []
    wholly = origin_ok = origin_chain = 0
    earliest_none = earliest_free = 0
    undated_groups = 0
    in_groups = {i for g in groups for i in g}
    for g in groups:
        members = [i for i in g if i in by_id.index]
        if not members or any(published[i] is None for i in members):
            undated_groups += 1
            continue
        first_time = min(published[i] for i in members)
        first = {i for i in members if published[i] == first_time}
        first_origins = {by_id.at[i, "origin_id"] for i in first} - {None}
        for i in members:
            derivation, origin = by_id.at[i, "derivation"], by_id.at[i, "origin_id"]
            if i in first:
                earliest_docs.append(i)
                earliest_none += derivation == "none"
                earliest_free += origin not in set(members) - {i}
            else:
                later.append(i)
                wholly += derivation == "wholly"
                origin_ok += origin in first
                origin_chain += origin not in first and origin in first_origins
    ties = len(earliest_docs) - (len(groups) - undated_groups)  # earliest members beyond one a group

    outside = docs[~docs["id"].isin(in_groups)]
    flagged_outside = outside[outside["derivation"] != "none"]
    out_wholly = int((outside["derivation"] == "wholly").sum())
    out_partially = int((outside["derivation"] == "partially").sum())
    twins = earlier_twins(records) - in_groups
    twins_found = int((outside["id"].isin(twins) & (outside["derivation"] == "wholly")).sum())
    boiler = int(docs["boilerplate_tokens"].sum())
    tokens = int(docs["tokens"].sum())
    boiler_docs = int((docs["boilerplate_tokens"] > 0).sum())
    min_share = result.options.get("boilerplate_min_share", 0.05)
    min_docs = result.options.get("boilerplate_min_docs", 3)
    min_tokens = result.options.get("min_tokens", 15)
    # Passages bridge differing runs (max_gap), so a passage can be min_tokens long with fewer tokens
    # actually matched: count the flags that rest only on such passages.
    best_match = result.passages.groupby("target_id")["matched_tokens"].max()
    # Documents derived on their vocabulary alone have no passage: counted in their own section.
    by_passages = flagged_outside[flagged_outside["origin_evidence"] != "vocabulary"]
    thin = by_passages["id"].map(best_match).fillna(0) < min_tokens
    thin_flags = int(thin.sum())
    thin_wholly = int((thin & (by_passages["derivation"] == "wholly")).sum())

    start = time.perf_counter()
    score = containment_baseline(records)
    base_elapsed = time.perf_counter() - start
    base_flag = {i for i, s in score.items() if s >= BASELINE_THRESHOLD}
    base_outside = sum(1 for i in base_flag if i not in in_groups)
    base_recall = sum(1 for i in later if i in base_flag)
    base_twins = sum(1 for i in twins if i in base_flag)

    malformed_text = (
        "; ".join(f"NEWID {i} reads `{d}`" for i, d in malformed) + ", left undated" if malformed else "none"
    )
    lines = [
        title,
        "",
        f"Reuters-21578, Distribution 1.0: {len(records):,} documents with a body ({empty:,} with an empty "
        "body skipped), one outlet, published at the DATE field (trailing SGML residue ignored; malformed: "
        f"{malformed_text}"
        + (
            f"; kept though the source marks it as guesswork: NEWID {', '.join(map(str, guessed))}"
            if guessed
            else ""
        )
        + f"). Text: title, dateline and body. Traced with default options in {elapsed:.2f} s. "
        "There are no reuse labels: the duplicate groups below are the only known reuse.",
        "",
        "### Exact duplicates as known reuse",
        "",
        f"`exact_duplicate_groups.json`: {len(groups)} groups of documents whose bodies (≥ 50 words) are "
        "identical after lowercasing and stripping punctuation. Each later member is a re-issue of the "
        "earliest. A member published at the same time as the earliest would count as earliest too, "
        f"and either as a correct origin ({ties} such ties"
        + (f"; {undated_groups} groups skipped for an undated member" if undated_groups else "")
        + ").",
        "",
        f"| measure | storytrace | 5-gram containment ≥ {BASELINE_THRESHOLD} in best earlier document |",
        "|---|---|---|",
        f"| later members found derived (wholly) | {pct(wholly, len(later))} | {pct(base_recall, len(later))} |",
        f"| later members whose origin is the group's earliest | {pct(origin_ok, len(later))} | |",
        f"| ... or the earliest member's own origin (an earlier document) | {pct(origin_chain, len(later))} | |",
        f"| earliest members not derived at all (none) | {pct(earliest_none, len(earliest_docs))} | |",
        f"| earliest members not derived from their own duplicates | {pct(earliest_free, len(earliest_docs))} | |",
        "",
        "An origin is the earliest document holding the passage's text, so when the earliest member is itself "
        "derived, its later duplicates are traced past it to that earlier document. In this corpus that earlier "
        "document is usually an earlier report of the same form (a eurobond issue, a Bank of Japan bill sale) "
        "about other figures: see the templated reports below.",
        "",
        "### Background: documents outside the duplicate groups",
        "",
        f"| outside the {len(in_groups):,} grouped documents ({len(outside):,}) | storytrace "
        f"| 5-gram containment ≥ {BASELINE_THRESHOLD} |",
        "|---|---|---|",
        f"| flagged wholly derived | {out_wholly:,} | {base_outside:,} (derived) |",
        f"| flagged partially derived | {out_partially:,} | |",
        f"| flagged only through passages with < {min_tokens} matched tokens | {thin_flags:,} "
        f"({thin_wholly:,} wholly) | |",
        f"| exact re-issues the groups file leaves out, found | {pct(twins_found, len(twins))} "
        f"| {pct(base_twins, len(twins))} |",
        "",
        f"A passage must span at least {min_tokens} tokens (`min_tokens`), but it may bridge differing runs "
        "(`max_gap`), so some passages hold fewer matched tokens than that: the third row counts the flags "
        "that rest on nothing longer. The groups file misses some exact duplicates: "
        f"{len(twins):,} documents outside it have a body equal, "
        "under the same normalization, to an earlier document's. The baseline took "
        f"{base_elapsed:.1f} s (pure Python over an inverted index of 5-gram hashes; earlier = earlier "
        "timestamp, then smaller id; the undated document is skipped).",
        "",
        f"Boilerplate learnt: {boiler:,} of {tokens:,} tokens ({boiler / tokens:.2%}) in {boiler_docs:,} "
        f"documents. With one outlet, text is boilerplate only if it recurs in at least {min_docs} and "
        f"{min_share:.0%} of Reuters' {len(records):,} documents; the wire has no page chrome, and its sign-off "
        "(`Reuter`) is shorter than a shingle.",
        "",
    ]
    lines += sample_lines(flagged_outside, in_groups, docs, best_match, min_tokens)
    lines += rewrite_lines(docs, result.passages)
    lines += vocabulary_lines(docs)
    return lines


def rewrite_lines(docs, passages) -> list[str]:
    """The documents flagged through rewritten passages alone (no verbatim passage reaches them),
    which only the rewrite scorer finds: a fixed sample read by hand beside each one's origin."""
    kinds = passages.groupby("target_id")["kind"].agg(lambda k: set(k))
    flagged = docs[docs["derivation"] != "none"]
    only = [int(i) for i in flagged["id"] if kinds.get(i, set()) == {"rewrite"}]
    return labelled_sample_lines(
        "Documents flagged through rewritten passages alone",
        f"{len(only):,} of the {len(flagged):,} flagged documents are reached by passages of kind `rewrite` "
        "only (no verbatim passage): what the rewrite scorer adds.",
        "rewrite",
        only,
        docs,
        REWRITE_LABELS,
        "updates and re-issues reworded, follow-ups that restate the earlier story, background paragraphs "
        "retold. The false positives are reports of one form about other figures (a central bank's "
        "money-market operations, a rating agency's creditwatch, a bank's prime rate) and one fact "
        "cited in another story.",
    )


def vocabulary_lines(docs) -> list[str]:
    """The documents derived on document-level evidence alone (``origin_evidence`` 'vocabulary': no
    passage, half their rarer vocabulary in one earlier candidate): a fixed sample read by hand."""
    flagged = docs[docs["derivation"] != "none"]
    only = [int(i) for i in docs.loc[docs["origin_evidence"] == "vocabulary", "id"]]
    return labelled_sample_lines(
        "Documents derived on their vocabulary alone",
        f"{len(only):,} of the {len(flagged):,} flagged documents share no passage with an earlier document "
        "and are `partially` derived on document-level evidence alone (`vocabulary_share`: an earlier "
        "candidate holds 45% of their rarer vocabulary and half of their figures).",
        "vocabulary",
        only,
        docs,
        VOCABULARY_LABELS,
        "updates of the same story, follow-ups that restate it, background retold. The false positives "
        "are the weakness of document-level evidence inside one newswire: another story on the same "
        "subject (the same company, central bank or minister), other statements at the same event, and "
        "reports of one form about other figures.",
    )


def labelled_sample_lines(
    title: str, lead: str, tag: str, only: list[int], docs, labels_path: pathlib.Path, reading: str
) -> list[str]:
    """A fixed sample of ``only`` (the smallest SHA-256 of ``21578:<tag>:newid``) and its hand labels."""

    def rank(newid: int) -> str:
        return hashlib.sha256(f"{SAMPLE_SEED}:{tag}:{newid}".encode()).hexdigest()

    sample = sorted(sorted(only, key=rank)[:REWRITE_SAMPLE_SIZE])
    labels = {int(r["newid"]): (int(r["origin_newid"]), r["label"]) for r in read_labels(labels_path)}
    by_id = docs.set_index("id")
    counts: dict[str, int] = {}
    unlabelled = 0
    for i in sample:
        if i not in labels or labels[i][0] != by_id.at[i, "origin_id"]:
            unlabelled += 1
            continue
        counts[labels[i][1]] = counts.get(labels[i][1], 0) + 1
    labelled = sum(counts.values())
    real = sum(n for label, n in counts.items() if "false positive" not in label)
    lines = [
        f"### {title}",
        "",
        f"{lead} A fixed sample of {len(sample)} (the smallest SHA-256 of `{SAMPLE_SEED}:{tag}:newid`) was read "
        f"beside each one's origin and classified by hand (`benchmarks/accuracy/{labels_path.name}`, ids and "
        "labels only):",
        "",
        "| label (by hand, on the sample) | documents |",
        "|---|---|",
        *[f"| {label} | {n} |" for label, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))],
        *(
            [f"| not labelled yet (drawn or given a new origin since labelling) | {unlabelled} |"]
            if unlabelled
            else []
        ),
        "",
    ]
    if labelled:
        lines += [
            f"{real} of the {labelled} labelled documents are real reuse inside Reuters ({real / labelled:.0%}): "
            + reading,
            "",
        ]
    return lines


def sample_lines(flagged, in_groups: set, docs, best_match, min_tokens: int) -> list[str]:
    sample = sample_flagged(docs, in_groups)
    lines = [
        f"Reuters re-issues its own stories (updates, corrections, the same market report every hour or day), "
        f"so many of the {len(flagged):,} flags are real reuse inside one outlet. A fixed sample of "
        f"{len(sample)} of them (the smallest SHA-256 of `{SAMPLE_SEED}:newid`, a random draw that stays put "
        "when other flags change) was read beside each document's origin and classified by hand "
        "(`benchmarks/accuracy/reuters_sample_labels.csv`, ids and labels only):",
        "",
    ]
    labels = {int(r["newid"]): (int(r["origin_newid"]), r["label"]) for r in read_labels()}
    if not labels:
        return [*lines, f"Not classified: {LABELS.name} is absent.", ""]
    by_id = docs.set_index("id")
    rows: dict[str, list[int]] = {}
    unlabelled = 0
    for i in sample:
        derivation, origin = by_id.at[i, "derivation"], by_id.at[i, "origin_id"]
        if i not in labels or labels[i][0] != origin:
            unlabelled += 1  # drawn or re-attributed since the labels were made
            continue
        counts = rows.setdefault(labels[i][1], [0, 0, 0, 0])
        counts[0] += 1
        counts[1] += derivation == "wholly"
        counts[2] += derivation == "partially"
        counts[3] += best_match.get(i, 0) < min_tokens
    dropped = sum(1 for i in labels if i in by_id.index and by_id.at[i, "derivation"] == "none")
    lines += [
        "| label (by hand, on the sample) | documents | flagged wholly | flagged partially "
        f"| only passages with < {min_tokens} matched tokens |",
        "|---|---|---|---|---|",
        *[
            f"| {label} | {n} | {w} | {p} | {thin} |"
            for label, (n, w, p, thin) in sorted(rows.items(), key=lambda kv: (-kv[1][0], kv[0]))
        ],
        *(
            [f"| not labelled yet (drawn or given a new origin since labelling) | {unlabelled} | | | |"]
            if unlabelled
            else []
        ),
        "",
        "A templated report is Reuters' own form (a eurobond's terms, a registration filing, the daily hog "
        "and cattle slaughter estimates, an exchange's delivery table) filled in with new figures about "
        "another issuer or day: the form is shared text, but the news is new, and passages bridge the changed "
        "figures, so a short notice can come out wholly derived from an unrelated one. A stock phrase is a formula "
        "clause of Reuters' company news (an acquisition for an undisclosed amount, an expected loss on sales "
        "of about some sum), matched at both ends of a passage whose middle differs.",
        "",
    ]
    if dropped:
        lines += [f"{dropped} of the labelled documents are no longer flagged at all.", ""]
    return lines


if __name__ == "__main__":
    print("\n".join(section()))
