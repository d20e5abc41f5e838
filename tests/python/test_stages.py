"""trace in two halves: the aligned tables between them, saved to a checkpoint and read back, and
attribution run on each connected component alone."""

from __future__ import annotations

import json
import random

import numpy as np
import pandas as pd
import pytest

import storytrace as st
from conftest import paragraphs, prose, synthetic_corpus
from storytrace import _core
from storytrace._options import SPECS, USED_BY, check_options, credit_table
from storytrace._trace import Trace, stage_inputs

pytest.importorskip("pyarrow")


def _corpus(seed: int = 4) -> st.Corpus:
    """Wire stories reprinted, edited and copied on, an outlet's footer, undated and day-only
    documents, and documents that share nothing."""
    rng = random.Random(seed)
    corpus = st.Corpus()
    footer = prose(rng, 25)
    for s in range(6):
        wire = "\n\n".join(paragraphs(rng, 3, 40))
        corpus.add(
            "WASHINGTON (AP) — " + wire,
            id=f"ap-{s}",
            outlet="Associated Press",
            published=f"2024-03-0{s + 1}T06:00Z",
        )
        for k, outlet in enumerate(("Ledger", "Times", "Courier")):
            words = wire.split(" ")
            if k == 1:
                words[5] = "changed"
            text = prose(rng, 15) + "\n\n" + " ".join(words) + "\n\n" + footer * (outlet == "Ledger")
            published = (
                f"2024-03-0{s + 1}T{8 + k}:00Z" if k != 2 else (f"2024-03-0{s + 1}" if s % 2 else None)
            )
            corpus.add(text, id=f"{outlet.lower()}-{s}", outlet=outlet, published=published)
    for k in range(5):
        corpus.add(prose(rng, 60) + "\n\n" + footer, id=k, outlet="Ledger", published=f"2024-02-1{k}T10:00Z")
    return corpus


def _record(corpus: st.Corpus, doc_id) -> dict:
    """The document as a record to add again (a day-only date as the day it is)."""
    record = dict(corpus[doc_id].__dict__)
    if corpus._day_only[corpus.ids.index(doc_id)]:
        record["published"] = record["published"].date().isoformat()
    return record


def _tables(result: Trace) -> dict[str, pd.DataFrame]:
    return {name: df.reset_index(drop=True) for name, df in result.tables().items()}


def _sorted(df: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    order = df.assign(**{k: df[k].astype(str) for k in key}).sort_values(key).index
    return df.loc[order].reset_index(drop=True)


def _same(a: Trace, b: Trace) -> None:
    for name, df in _tables(a).items():
        pd.testing.assert_frame_equal(df, _tables(b)[name], obj=name)


def test_a_rerun_reads_the_checkpoint_and_equals_a_trace(tmp_path, monkeypatch):
    corpus = _corpus()
    whole = st.trace(corpus)
    first = st.trace(corpus, checkpoint=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "aligned_credits.parquet",
        "aligned_documents.parquet",
        "aligned_passages.parquet",
        "manifest.json",
    ]
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["documents"] == len(corpus) and manifest["passages"] > 0
    _same(whole, first)

    # The rerun reads the tables: the stages before attribution do not run.
    def no_align(*args, **kwargs):
        raise AssertionError("aligned again")

    monkeypatch.setattr(_core, "align_stage", no_align)
    _same(whole, st.trace(corpus, checkpoint=tmp_path))
    # Attribution options apply to the tables read back.
    for options in ({"wholly": 0.9}, {"closer": 0.05}, {"containment_margin": 0.3, "own_text": 30}):
        monkeypatch.undo()
        expected = st.trace(corpus, **options)
        monkeypatch.setattr(_core, "align_stage", no_align)
        _same(expected, st.trace(corpus, checkpoint=tmp_path, **options))


@pytest.mark.parametrize(
    "change",
    [
        lambda c, o: (c.add("one more document, unlike the others", id="extra"), o)[1],
        lambda c, o: {**o, "ngram": 6},
        lambda c, o: {**o, "boilerplate_min_docs": 0},
        lambda c, o: {**o, "rewrites": False},
    ],
    ids=["a document more", "ngram", "boilerplate", "rewrites"],
)
def test_a_checkpoint_of_another_corpus_or_options_is_recomputed(tmp_path, change):
    corpus = _corpus()
    st.trace(corpus, checkpoint=tmp_path)
    before = (tmp_path / "manifest.json").read_text()
    options = change(corpus, {})
    _same(st.trace(corpus, **options), st.trace(corpus, checkpoint=tmp_path, **options))
    assert (tmp_path / "manifest.json").read_text() != before


def test_credit_aliases_are_part_of_the_checkpoint(tmp_path):
    corpus = st.Corpus()
    text = "MOSCOW (SNA) - " + " ".join(prose(random.Random(2), 40).split())
    corpus.add(text, id="a", published="2024-01-01T00:00Z")
    corpus.add(text, id="b", published="2024-01-02T00:00Z")
    st.trace(corpus, checkpoint=tmp_path)
    with_alias = st.trace(corpus, checkpoint=tmp_path, credits={"SNA": "Sputnik"})
    assert with_alias.documents["credits"].tolist() == [["Sputnik"], ["Sputnik"]]


def test_a_damaged_checkpoint_says_what_to_do(tmp_path):
    corpus = _corpus()
    st.trace(corpus, checkpoint=tmp_path)
    passages = pd.read_parquet(tmp_path / "aligned_passages.parquet")
    passages.loc[0, "a_end"] = 10**6  # beyond the document's tokens
    passages.to_parquet(tmp_path / "aligned_passages.parquet", index=False)
    with pytest.raises(ValueError, match="a passage lies outside its documents' tokens"):
        st.trace(corpus, checkpoint=tmp_path)
    (tmp_path / "aligned_documents.parquet").write_bytes(b"not parquet")
    with pytest.raises(ValueError, match=r"damaged .* delete the directory"):
        st.trace(corpus, checkpoint=tmp_path)
    # A manifest that is not one (or is gone) is a checkpoint to make again.
    (tmp_path / "manifest.json").write_text("{")
    _same(st.trace(corpus), st.trace(corpus, checkpoint=tmp_path))


def test_the_attribute_stage_checks_the_tables_it_is_given():
    corpus = _corpus()
    opts = check_options({}, "trace")
    args, day = stage_inputs(corpus, credit_table(None), opts)
    aligned = _core.align_stage(*args, None, day)
    n = len(corpus)

    def broken(table: str, column: str, value) -> dict:
        copy = {k: (dict(v) if isinstance(v, dict) else v) for k, v in aligned.items()}
        col = np.array(copy[table][column])
        col[0] = value
        copy[table][column] = col
        return copy

    for table, column, value, message in [
        ("passages", "a", n, "outside the corpus"),
        ("passages", "b_begin", 10**6, "outside its documents' tokens"),
        ("passages", "matched", 10**6, "counts more tokens than it spans"),
        ("passages", "kind", 7, "unknown kind"),
        ("passages", "similarity", 2.0, "similarity outside"),
        ("documents", "boilerplate_tokens", 10**6, "more boilerplate tokens than tokens"),
        ("documents", "credit_agency", 10**4, "unknown agency"),
    ]:
        with pytest.raises(ValueError, match=message):
            _core.attribute_stage(*args, broken(table, column, value), None, day)
    short = dict(aligned, documents=dict(aligned["documents"], tokens=aligned["documents"]["tokens"][:-1]))
    with pytest.raises(ValueError, match=r"tokens has .* entries"):
        _core.attribute_stage(*args, short, None, day)
    # A token count that does not match the text: found where offsets tokenize it again.
    docs = dict(aligned["documents"])
    d = int(aligned["passages"]["b"][0])
    docs["tokens"] = docs["tokens"].copy()
    docs["tokens"][d] += 1
    with pytest.raises(ValueError, match=f"document {d} has .* tokens, not the"):
        _core.attribute_stage(*args, dict(aligned, documents=docs), None, day)


def _synth() -> st.Corpus:
    from test_synth import gen

    return st.Corpus(
        gen.make_corpus(stories=40, outlets=8, seed=5, articles=gen.random_articles(150, seed=5)).records
    )


@pytest.mark.parametrize("make", [_corpus, _synth], ids=["hand-made", "synthetic"])
def test_attribution_of_each_connected_component_alone_is_the_same(make):
    # The aligned tables of the whole corpus, cut into its connected components (documents linked
    # by passages), each attributed as a corpus of its own: every table row is the same.
    corpus = make()
    opts = check_options({}, "trace")
    aliases = credit_table(None)
    args, day = stage_inputs(corpus, aliases, opts)
    aligned = _core.align_stage(*args, None, day)
    whole = Trace(
        corpus,
        _core.attribute_stage(*args, aligned, None, day, _core.global_ids(corpus._ids)),
        {},
        args[1],
    )
    assert len(whole.stories) >= 6
    ids = corpus.ids
    components = [list(m) for m in whole.stories["documents"]]
    components.append([i for i, s in zip(whole.documents["id"], whole.documents["story_id"]) if pd.isna(s)])
    assert sorted(str(m) for c in components for m in c) == sorted(map(str, ids))
    p = aligned["passages"]
    seen = {name: [] for name in ("documents", "sources", "passages", "stories")}
    for members in components:
        rows = sorted(ids.index(m) for m in members)  # corpus order kept
        number = {d: k for k, d in enumerate(rows)}
        sub = st.Corpus([_record(corpus, ids[d]) for d in rows])
        keep = np.isin(p["a"], rows)
        assert (np.isin(p["b"], rows) == keep).all()  # a component holds both ends of its passages
        docs = aligned["documents"]
        begin = docs["credit_begin"]
        part = {
            "documents": {
                "tokens": docs["tokens"][rows],
                "boilerplate_tokens": docs["boilerplate_tokens"][rows],
                "credit_begin": np.concatenate([[0], np.cumsum(np.diff(begin)[rows])]).astype(np.uint64),
                "credit_agency": np.concatenate(
                    [docs["credit_agency"][begin[d] : begin[d + 1]] for d in rows] + [np.zeros(0, np.int32)]
                ).astype(np.int32),
            },
            "passages": {
                k: (
                    np.array([number[int(x)] for x in v[keep]], dtype=np.uint32)
                    if k in ("a", "b")
                    else v[keep]
                )
                for k, v in p.items()
            },
            "candidates": 0,
        }
        sub_args, sub_day = stage_inputs(sub, aliases, opts)
        raw = _core.attribute_stage(*sub_args, part, None, sub_day, _core.global_ids(sub._ids))
        for name, df in Trace(sub, raw, {}, sub_args[1]).tables().items():
            seen[name].append(df)
    for name, df in _tables(whole).items():
        parts = pd.concat(seen[name], ignore_index=True)
        key = {"documents": ["id"], "sources": ["target_id", "source_id"], "stories": ["story_id"]}.get(
            name, ["target_id", "source_id", "target_start", "source_start"]
        )
        pd.testing.assert_frame_equal(_sorted(parts, key), _sorted(df, key), obj=name)


# --- st.Stages: the core's stages one by one, saved and resumed ----------------------------------

STAGE_NAMES = [name for name, _, _ in st._stages.STAGES]
#: A second valid value of every option that changes a table (a new option must be added here).
OTHER_VALUE = {
    "ngram": 4,
    "min_tokens": 20,
    "max_gap": 8,
    "fanout": 4,
    "min_shared": 2,
    "boilerplate_min_docs": 2,
    "boilerplate_min_share": 0.2,
    "wholly": 0.9,
    "containment_margin": 0.3,
    "closer": 0.6,
    "own_text": 30,
    "own_text_holders": 2,
    "own_text_slack": 0.3,
    "rewrites": False,
    "rewrite_similarity": 0.8,
    "rewrite_pairs": False,
    "vocabulary_share": 0.9,
}


def _downstream(changed: set[str]) -> list[str]:
    """The stages to run again when the stages in ``changed`` read a changed option."""
    out: list[str] = []
    for name, inputs, _ in st._stages.STAGES:
        if name in changed or any(i in out for i in inputs):
            out.append(name)
    return out


def _stage_tables(run: st.Stages) -> dict[str, dict[str, pd.DataFrame]]:
    return {name: run.table(name) for name in st._stages.SAVED}


@pytest.mark.parametrize(
    "make",
    [st.sample_corpus, _corpus, lambda: synthetic_corpus(seed=3, docs=200)],
    ids=["sample", "wire", "synth"],
)
def test_stages_run_one_by_one_give_what_trace_gives(make, tmp_path):
    corpus = make()
    whole = st.trace(corpus, threads=2)
    run = st.Stages(corpus, directory=tmp_path, threads=2)
    _same(run.trace(), whole)
    assert run.computed == STAGE_NAMES
    # Read back from Parquet, every table is the one computed, and so is the trace.
    again = st.Stages(corpus, directory=tmp_path, threads=1)
    _same(again.trace(), whole)
    assert again.computed == ["attribute", "offsets"]
    for name, parts in _stage_tables(run).items():
        for part, frame in parts.items():
            pd.testing.assert_frame_equal(frame, again.table(name)[part], obj=f"{name}.{part}")
    assert again.trace().summary() == whole.summary()


@pytest.mark.parametrize("option", sorted(OTHER_VALUE))
def test_a_changed_option_reruns_the_stages_that_read_it_and_no_other(option, tmp_path):
    corpus = _corpus()
    st.Stages(corpus, directory=tmp_path).trace()
    value = OTHER_VALUE[option]
    run = st.Stages(corpus, directory=tmp_path, **{option: value})
    result = run.trace()
    reads = {name for name, _, options in st._stages.STAGES if option in options}
    assert reads, f"no stage reads {option}"
    assert run.computed == _downstream(reads)
    fresh = st.Stages(corpus, **{option: value})
    _same(result, st.trace(corpus, **{option: value}))
    # A table read back because its stage does not read the option is the table computed with it.
    for name in st._stages.SAVED:
        for part, frame in fresh.table(name).items():
            pd.testing.assert_frame_equal(frame, run.table(name)[part], obj=f"{name}.{part}")


TUNING = {name for name, spec in SPECS.items() if spec["tunes"]}


def test_every_option_that_changes_a_table_has_a_test_value():
    named = {o for _, _, options in st._stages.STAGES for o in options}
    assert named == set(OTHER_VALUE)
    assert TUNING == {"threads", "cache_mb"}
    assert set(OTHER_VALUE) | TUNING == set(st.Options().as_dict(USED_BY["trace"]))


@pytest.mark.parametrize("tuned", [{"threads": 1}, {"cache_mb": 0}, {"cache_mb": 1, "threads": 2}])
def test_options_that_tune_speed_or_memory_change_no_table(tuned, tmp_path):
    corpus = _corpus()
    whole = st.trace(corpus)
    st.Stages(corpus, directory=tmp_path).run()
    again = st.Stages(corpus, directory=tmp_path, **tuned)
    _same(again.trace(), whole)
    assert again.computed == ["attribute", "offsets"]
    _same(st.trace(corpus, **tuned), whole)


def test_stages_rerun_for_another_corpus_or_credits(tmp_path):
    corpus = _corpus()
    st.Stages(corpus, directory=tmp_path).run()
    other = _corpus(seed=5)
    run = st.Stages(other, directory=tmp_path)
    _same(run.trace(), st.trace(other))
    assert run.computed == STAGE_NAMES
    credits = {"WASHINGTON": "Reuters"}
    run = st.Stages(other, directory=tmp_path, credits=credits)
    _same(run.trace(), st.trace(other, credits=credits))
    assert run.computed == ["credits", "attribute", "offsets"]


def _damage(path, change) -> None:
    change(pd.read_parquet(path)).to_parquet(path, index=False)


def _set(column: str, value: int):
    def change(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[0, column] = value
        return frame

    return change


@pytest.mark.parametrize(
    "stage, part, change, said",
    [
        ("tokenize", "shingles", lambda f: f.iloc[:-1], "shingle"),
        ("tokenize", "shingles", lambda f: f.astype({"hash": "float64"}), "float64"),
        ("boilerplate", "documents", _set("boilerplate_tokens", 10**6), "boilerplate"),
        ("credits", "credits", _set("agency", 10**6), "agenc"),
        ("postings", "holders", _set("rank", 10**6), "rank"),
        ("candidates", "candidates", _set("second", 10**6), "document"),
        ("align", "passages", _set("b_end", 10**6), "token"),
        ("align", "passages", lambda f: f.drop(columns="kind"), "kind"),
    ],
)
def test_a_damaged_saved_table_is_a_value_error_naming_it(tmp_path, stage, part, change, said):
    corpus = _corpus()
    st.Stages(corpus, directory=tmp_path).run()
    _damage(tmp_path / stage / f"{part}.parquet", change)
    run = st.Stages(corpus, directory=tmp_path)
    with pytest.raises(ValueError, match=rf"saved {stage} table in .*{stage}.* damaged") as e:
        run.run()  # reads every saved table (trace() reads only the ones it needs)
    assert said in str(e.value)
    # Deleting the folder, as the message says, recomputes it.
    for path in (tmp_path / stage).iterdir():
        path.unlink()
    _same(st.Stages(corpus, directory=tmp_path).trace(), st.trace(corpus))


def test_a_missing_part_is_a_value_error(tmp_path):
    corpus = _corpus()
    st.Stages(corpus, directory=tmp_path).run()
    (tmp_path / "postings" / "holders.parquet").unlink()
    with pytest.raises(ValueError, match=r"saved postings table .* damaged"):
        st.Stages(corpus, directory=tmp_path).run()


def test_the_core_stages_refuse_tables_of_another_corpus():
    small, large = st.Stages(st.sample_corpus()), st.Stages(_corpus())
    tokens = large._table("tokenize")
    with pytest.raises(ValueError, match=r"tokens table.*29 entries, not 5"):
        _core.stages.boilerplate(small._core_corpus, tokens, small._opts)
    with pytest.raises(ValueError, match="ngram"):
        _core.stages.boilerplate(large._core_corpus, tokens, check_options({"ngram": 4}, "trace"))
    with pytest.raises(ValueError, match="no part 'shingles'"):
        _core.stages.boilerplate(large._core_corpus, {"documents": tokens["documents"]}, large._opts)
    passages = large._table("align")
    with pytest.raises(ValueError, match="passage"):
        _core.stages.offsets(small._core_corpus, small._table("tokenize"), passages, small._opts)
    assert len(small._core_corpus) == 5 and len(large._core_corpus) == len(_corpus())


def test_stages_say_what_is_wrong():
    with pytest.raises(TypeError, match=r"takes a storytrace.Corpus"):
        st.Stages([])  # type: ignore[arg-type]
    run = st.Stages(st.sample_corpus())
    with pytest.raises(ValueError, match=r"unknown stage 'shingles'.*tokenize"):
        run.table("shingles")
    with pytest.raises(ValueError, match="ngram"):
        st.Stages(st.sample_corpus(), ngram=0)
    assert "5 documents" in repr(run)
