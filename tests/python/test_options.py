"""The options are defined once, in the core: defaults, checks, docstrings and command-line flags."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

import storytrace as st
from storytrace import _core
from storytrace._options import DEFAULTS, SPECS, USED_BY


def test_defaults_come_from_the_core():
    core = _core.TraceOptions()
    assert DEFAULTS == core.as_dict() == st.Options().as_dict()
    assert list(SPECS) == [spec["name"] for spec in _core.OPTIONS]
    assert set(USED_BY["compare"]) < set(USED_BY["trace"]) and set(USED_BY["index"]) < set(USED_BY["trace"])


def test_every_entry_point_reports_the_options_it_ran_with():
    result = st.trace(st.sample_corpus(), ngram=7)
    assert result.options == {**{n: DEFAULTS[n] for n in USED_BY["trace"]}, "ngram": 7}
    assert st.Index(min_shared=2).options["min_shared"] == 2
    assert set(st.Index().options) == set(USED_BY["index"])


def test_min_tokens_follows_a_larger_ngram_unless_given():
    assert st.Options(ngram=20).min_tokens == 20
    assert st.Options(ngram=3).min_tokens == 15
    assert st.Options(ngram=20, min_tokens=30).min_tokens == 30
    with pytest.raises(ValueError, match=r"min_tokens \(10\) must be at least ngram \(20\)"):
        st.Options(ngram=20, min_tokens=10)


def test_options_are_read_only_compare_and_pickle():
    opts = st.Options(ngram=8, rewrites=False)
    with pytest.raises(AttributeError):
        opts.ngram = 9  # type: ignore[misc]
    assert opts == st.Options(rewrites=False, ngram=8) != st.Options()
    assert pickle.loads(pickle.dumps(opts)) == opts
    assert repr(opts) == "Options(ngram=8, rewrites=False)"
    with pytest.raises(ValueError, match="Did you mean 'ngram'"):
        st.Options(ngrams=8)


@pytest.mark.parametrize("use, fn", [("trace", st.trace), ("compare", st.compare), ("index", st.Index)])
def test_each_docstring_documents_the_options_its_entry_point_takes(use, fn):
    doc = fn.__doc__
    assert doc is not None and "{options}" not in doc
    for name in SPECS:
        entry = f"    {name} : {SPECS[name]['type']}, default {SPECS[name]['default']!r}"
        assert (entry in doc) == (name in USED_BY[use]), (use, name)


def test_the_command_line_has_a_flag_for_every_trace_option():
    out = subprocess.run(
        [sys.executable, "-m", "storytrace", "trace", "--help"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(out.split())
    for name in USED_BY["trace"]:
        assert "--" + name.replace("_", "-") in out
        assert " ".join(SPECS[name]["help"].split()) in flat


@pytest.mark.parametrize(
    "name, value",
    [
        ("ngram", 0),
        ("ngram", 65),
        ("max_gap", -1),
        ("wholly", 0.0),
        ("wholly", float("nan")),
        ("rewrite_similarity", 1.01),
        ("boilerplate_min_share", -0.01),
    ],
)
def test_one_validator_says_the_range(name, value):
    spec = SPECS[name]
    with pytest.raises(ValueError, match=name + " must be"):
        st.Options(**{name: value})
    low, high = spec["minimum"], spec["maximum"]
    assert low is not None and (high is None or low < high)
