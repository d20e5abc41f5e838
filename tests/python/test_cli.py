"""The ``storytrace`` command line, as a console script and in-process through ``cli.main``."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pytest

import storytrace as st
from conftest import WIRE_BODY
from storytrace import cli

SCRIPT = os.path.join(os.path.dirname(sys.executable), "storytrace")
TABLES = ("documents", "sources", "passages", "stories")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SCRIPT, *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )


@pytest.fixture(scope="module")
def records(hand_made):
    return [
        {
            "id": doc_id,
            "text": hand_made.texts[doc_id],
            "outlet": hand_made.outlets[doc_id],
            "published": hand_made.published[doc_id].isoformat(),
        }
        for doc_id in hand_made.corpus.ids
    ]


def _write(records: list[dict], path, kind: str) -> None:
    if kind == "jsonl":
        with open(path, "w", encoding="utf-8") as f:
            for rec in records:
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    elif kind == "csv":
        pd.DataFrame(records).to_csv(path, index=False)
    else:
        pd.DataFrame(records).to_parquet(path, index=False)


def test_console_script_is_installed():
    assert os.path.exists(SCRIPT), SCRIPT
    proc = run("--version")
    assert proc.returncode == 0
    assert st.__version__ in proc.stdout


def test_demo_prints_the_summary():
    proc = run("demo")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Anadolu Agency" in out and "Reuters" in out
    assert "000_e0e12a3c6eb4817c" in out and "004_cbc0cb32dec4f16f" in out
    assert "sibling" in out
    assert "Traceback" not in proc.stderr


def test_demo_in_process(capsys, tmp_path):
    assert cli.main(["demo", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Anadolu Agency" in out and "Reuters" in out
    assert sorted(os.listdir(tmp_path)) == sorted(f"{t}.csv" for t in TABLES)
    docs = pd.read_csv(tmp_path / "documents.csv")
    assert docs["id"].tolist() == st.sample_corpus().ids


@pytest.mark.parametrize("kind", ["jsonl", "csv", "parquet"])
def test_trace_writes_parquet_tables(tmp_path, records, hand_made, kind):
    path = tmp_path / f"corpus.{kind}"
    _write(records, path, kind)
    out = tmp_path / "out"
    proc = run("trace", str(path), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert sorted(os.listdir(out)) == sorted(f"{t}.parquet" for t in TABLES)
    docs = pd.read_parquet(out / "documents.parquet")
    assert docs["id"].tolist() == hand_made.corpus.ids
    expected = st.trace(hand_made.corpus)
    for name in TABLES:
        assert len(pd.read_parquet(out / f"{name}.parquet")) == len(getattr(expected, name)), name
    assert docs.set_index("id").loc["review-fire", "origin_id"] == "herald-fire"
    assert f"traced {len(records)} documents" in proc.stdout


@pytest.mark.parametrize("kind", ["jsonl", "csv", "parquet"])
def test_trace_in_process_with_csv_output(tmp_path, records, hand_made, kind, capsys):
    path = tmp_path / f"corpus.{kind}"
    _write(records, path, kind)
    out = tmp_path / "csv-out"
    assert cli.main(["trace", str(path), "--out", str(out), "--format", "csv", "--threads", "1"]) == 0
    assert sorted(os.listdir(out)) == sorted(f"{t}.csv" for t in TABLES)
    docs = pd.read_csv(out / "documents.csv")
    assert docs["id"].tolist() == hand_made.corpus.ids
    passages = pd.read_csv(out / "passages.csv")
    assert len(passages) == len(st.trace(hand_made.corpus).passages)
    assert "wrote" in capsys.readouterr().out


def test_trace_with_other_column_names_and_options(tmp_path, capsys):
    body = "\n\n".join(WIRE_BODY)
    path = tmp_path / "c.jsonl"
    _write(
        [
            {"key": "a", "body": "A " + body, "when": "2024-01-01"},
            {"key": "b", "body": "B " + body, "when": "2024-01-02"},
        ],
        path,
        "jsonl",
    )
    out = tmp_path / "o"
    code = cli.main(
        [
            "trace",
            str(path),
            "--out",
            str(out),
            "--text-column",
            "body",
            "--id-column",
            "key",
            "--published-column",
            "when",
            "--ngram",
            "4",
            "--min-tokens",
            "20",
            "--no-progress",
        ]
    )
    assert code == 0, capsys.readouterr().err
    passages = pd.read_parquet(out / "passages.parquet")
    assert passages[["source_id", "target_id"]].values.tolist() == [["a", "b"]]


def test_trace_of_a_trace_without_passages_as_csv(tmp_path):
    path = tmp_path / "one.jsonl"
    _write([{"id": "a", "text": "Just one short text."}], path, "jsonl")
    proc = run("trace", str(path), "--out", str(tmp_path / "o"), "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert sorted(os.listdir(tmp_path / "o")) == sorted(f"{t}.csv" for t in TABLES)


def test_compare_prints_containment(tmp_path):
    body = "\n\n".join(WIRE_BODY[:3])
    a_text = "Intro only A has.\n\n" + body
    b_text = body + "\n\nA closing paragraph that only B carries, long enough to matter for the numbers here."
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(a_text, encoding="utf-8")
    b.write_text(b_text, encoding="utf-8")
    proc = run("compare", str(a), str(b))
    assert proc.returncode == 0, proc.stderr
    cmp = st.compare(a_text, b_text)
    assert f"A in B: {cmp.a_in_b:.1%}" in proc.stdout
    assert f"B in A: {cmp.b_in_a:.1%}" in proc.stdout
    assert f"Jaccard: {cmp.jaccard:.3f}" in proc.stdout
    assert "1 shared passages" in proc.stdout
    assert 0 < cmp.b_in_a < cmp.a_in_b < 1


def test_compare_in_process_with_literal_texts(capsys):
    body = "\n\n".join(WIRE_BODY[:2])
    assert cli.main(["compare", "--text", body, "Prefix. " + body]) == 0
    out = capsys.readouterr().out
    assert "A in B: 100.0%" in out
    assert "Firefighters battled" in out


def test_compare_reads_standard_input(tmp_path):
    body = "\n\n".join(WIRE_BODY[:2])
    b = tmp_path / "b.txt"
    b.write_text(body, encoding="utf-8")
    proc = run("compare", "-", str(b), stdin=body)
    assert proc.returncode == 0, proc.stderr
    assert "A in B: 100.0%" in proc.stdout


def _assert_clean_error(proc: subprocess.CompletedProcess, *fragments: str) -> None:
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip()
    for fragment in fragments:
        assert fragment in proc.stderr, proc.stderr


def test_bad_jsonl_file(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "text": "fine"}\nthis is not json\n', encoding="utf-8")
    _assert_clean_error(run("trace", str(path), "--out", str(tmp_path / "o")), "line 2", "not valid JSON")
    assert not (tmp_path / "o").exists()


def test_invalid_utf8_file(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"id": "a", "text": "caf\xe9"}\n')
    _assert_clean_error(run("trace", str(path), "--out", str(tmp_path / "o")), "error")


def test_duplicate_ids_in_the_input(tmp_path, capsys):
    path = tmp_path / "dup.csv"
    _write([{"id": "a", "text": "x"}, {"id": "a", "text": "y"}], path, "csv")
    assert cli.main(["trace", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "duplicate id 'a'" in err and "Traceback" not in err


def test_missing_input_file(tmp_path):
    _assert_clean_error(
        run("trace", str(tmp_path / "nowhere.jsonl"), "--out", str(tmp_path / "o")), "nowhere.jsonl"
    )


def test_unknown_input_format(tmp_path, capsys):
    path = tmp_path / "corpus.txt"
    path.write_text("text", encoding="utf-8")
    assert cli.main(["trace", str(path), "--out", str(tmp_path / "o")]) == 2
    assert ".jsonl, .csv or .parquet" in capsys.readouterr().err


def test_missing_text_column(tmp_path, capsys):
    path = tmp_path / "c.csv"
    _write([{"id": "a", "body": "x"}], path, "csv")
    assert cli.main(["trace", str(path), "--out", str(tmp_path / "o")]) == 2
    assert "text" in capsys.readouterr().err


def test_ngram_zero_is_a_usage_error(tmp_path, records):
    path = tmp_path / "c.jsonl"
    _write(records, path, "jsonl")
    _assert_clean_error(
        run("trace", str(path), "--out", str(tmp_path / "o"), "--ngram", "0"), "ngram must be at least 1"
    )
    a = tmp_path / "a.txt"
    a.write_text("some text", encoding="utf-8")
    _assert_clean_error(run("compare", str(a), str(a), "--ngram", "0"), "ngram")


def test_ngram_zero_in_process(tmp_path, capsys):
    assert cli.main(["compare", "--text", "a b c", "a b c", "--ngram", "0"]) == 2
    assert "ngram must be at least 1" in capsys.readouterr().err


def test_usage_errors_exit_with_2(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["trace"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        cli.main(["no-such-command"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        cli.main(["trace", "x.jsonl", "--out", "o", "--ngram", "five"])
    assert exc.value.code == 2
