// Every stage of trace on its own (storytrace._core.stages): each takes the corpus (a
// StageCorpus, converted once) and the tables of the stages before it, and returns its own table.
// A table is a dict of parts, a part a dict of equal-length NumPy columns (storytrace.stages
// documents their schema; each is written as one Parquet file). Tables read back are checked
// against the corpus (stages.hpp's check_*) before a stage reads them: a damaged or foreign table
// is a ValueError.
#include <algorithm>
#include <numeric>

#include "tables.hpp"

namespace py = pybind11;
using namespace storytrace;
using namespace storytrace::bindings;

namespace {

using Table = py::dict; // part name -> {column name -> array}

py::dict part_of(const Table &table, const char *part, const char *stage) {
  if (!table.contains(part)) throw py::value_error(std::string("the ") + stage + " table has no part '" + part + "'");
  return table[part].cast<py::dict>();
}

// CSR offsets from per-row counts.
template <class T> std::vector<T> offsets_of(const std::vector<std::uint32_t> &counts) {
  std::vector<T> begin(counts.size() + 1, 0);
  for (std::size_t i = 0; i < counts.size(); ++i) begin[i + 1] = begin[i] + counts[i];
  return begin;
}

template <class T> std::vector<std::uint32_t> counts_of(const T &begin) {
  std::vector<std::uint32_t> counts(begin.size() - 1);
  for (std::size_t i = 0; i + 1 < begin.size(); ++i) counts[i] = static_cast<std::uint32_t>(begin[i + 1] - begin[i]);
  return counts;
}

template <class T, class A> void assign(std::vector<T, A> &out, const std::vector<T> &in) {
  out.resize(in.size());
  std::copy(in.begin(), in.end(), out.begin());
}

// --- tokens: documents {tokens, sampled}, shingles {hash}, forms {documents}, sample {key} --
// (forms: FormCounts' counters, how many documents hold each word form; sample: every
// document's form sample, `sampled` keys each)

Table tokens_table(Tokenized &&tok) {
  Table t;
  py::dict docs, shingles;
  std::vector<std::uint32_t> counts(tok.size());
  for (std::size_t d = 0; d < counts.size(); ++d) counts[d] = static_cast<std::uint32_t>(tok.token_count(d));
  docs["tokens"] = to_numpy(std::move(counts));
  docs["sampled"] =
      to_numpy(tok.sample_begin.empty() ? std::vector<std::uint32_t>(tok.size(), 0) : counts_of(tok.sample_begin));
  shingles["hash"] = to_numpy(std::move(tok.shingles));
  py::dict forms, sample;
  forms["documents"] = to_numpy(std::move(tok.forms.counts));
  sample["key"] = to_numpy(std::move(tok.sample));
  t["documents"] = docs;
  t["shingles"] = shingles;
  t["forms"] = forms;
  t["sample"] = sample;
  return t;
}

Tokenized read_tokens(const Table &t, const CorpusView &corpus, const TraceOptions &options) {
  const std::size_t n = corpus.size();
  const auto counts = column_of<std::uint32_t>(part_of(t, "documents", "tokens"), "tokens", n, "the tokens table");
  Tokenized tok;
  tok.ngram = options.ngram;
  tok.tok_begin = offsets_of<std::uint64_t>(counts);
  tok.sh_begin.assign(n + 1, 0);
  for (std::size_t d = 0; d < n; ++d)
    tok.sh_begin[d + 1] = tok.sh_begin[d] + (counts[d] >= tok.ngram ? counts[d] - tok.ngram + 1 : 0);
  assign(tok.shingles,
         column_of<std::uint64_t>(part_of(t, "shingles", "tokens"), "hash", SIZE_MAX, "the tokens table"));
  tok.forms.counts = column_of<std::uint32_t>(part_of(t, "forms", "tokens"), "documents",
                                              FormCounts::kRows << FormCounts::kWidthBits, "the tokens table");
  tok.sample_begin = offsets_of<std::uint64_t>(
      column_of<std::uint32_t>(part_of(t, "documents", "tokens"), "sampled", n, "the tokens table"));
  assign(tok.sample, column_of<std::uint32_t>(part_of(t, "sample", "tokens"), "key", SIZE_MAX, "the tokens table"));
  check_tokenized(corpus, tok, options);
  return tok;
}

// --- boilerplate: documents {tokens, boilerplate_tokens}, shingles {masked} ----------------

Table boilerplate_table(BoilerplateTable &&bp) {
  Table t;
  py::dict docs, shingles;
  docs["tokens"] = to_numpy(std::move(bp.tokens));
  docs["boilerplate_tokens"] = to_numpy(std::move(bp.boilerplate_tokens));
  shingles["masked"] = to_numpy(std::move(bp.mask));
  t["documents"] = docs;
  t["shingles"] = shingles;
  return t;
}

// The boilerplate table's per-document counts (all attribution reads of it).
BoilerplateTable read_boilerplate_counts(const Table &t, const CorpusView &corpus) {
  const std::size_t n = corpus.size();
  const py::dict docs = part_of(t, "documents", "boilerplate");
  BoilerplateTable bp;
  bp.tokens = column_of<std::uint32_t>(docs, "tokens", n, "the boilerplate table");
  bp.boilerplate_tokens = column_of<std::uint32_t>(docs, "boilerplate_tokens", n, "the boilerplate table");
  check_boilerplate_counts(corpus, bp);
  return bp;
}

BoilerplateTable read_boilerplate(const Table &t, const CorpusView &corpus, const Tokenized &tok) {
  BoilerplateTable bp = read_boilerplate_counts(t, corpus);
  bp.mask = column_of<std::uint8_t>(part_of(t, "shingles", "boilerplate"), "masked", SIZE_MAX, "the boilerplate table");
  check_boilerplate(corpus, tok, bp);
  return bp;
}

// --- credits: documents {credits}, credits {agency} -----------------------------------------

Table credits_table(CreditTable &&c) {
  Table t;
  py::dict docs, credits;
  docs["credits"] = to_numpy(counts_of(c.begin));
  credits["agency"] = to_numpy(std::move(c.agency));
  t["documents"] = docs;
  t["credits"] = credits;
  return t;
}

CreditTable read_credits(const Table &t, const CorpusView &corpus, std::size_t agencies) {
  CreditTable c;
  c.begin = offsets_of<std::uint64_t>(
      column_of<std::uint32_t>(part_of(t, "documents", "credits"), "credits", corpus.size(), "the credits table"));
  c.agency = column_of<std::int32_t>(part_of(t, "credits", "credits"), "agency", SIZE_MAX, "the credits table");
  check_credits(corpus, c, agencies);
  return c;
}

// --- postings: hashes {hash, holders}, holders {rank} ---------------------------------------

Table postings_table(Postings &&p) {
  Table t;
  py::dict hashes, holders;
  hashes["hash"] = to_numpy(std::move(p.hash));
  hashes["holders"] = to_numpy(counts_of(p.begin));
  holders["rank"] = to_numpy(std::move(p.rank));
  t["hashes"] = hashes;
  t["holders"] = holders;
  return t;
}

Postings read_postings(const Table &t, const CorpusView &corpus) {
  const py::dict hashes = part_of(t, "hashes", "postings");
  Postings p;
  const auto hash = column_of<std::uint64_t>(hashes, "hash", SIZE_MAX, "the postings table");
  const auto counts = column_of<std::uint32_t>(hashes, "holders", hash.size(), "the postings table");
  if (std::accumulate(counts.begin(), counts.end(), std::uint64_t{0}) >= UINT32_MAX)
    throw py::value_error("the postings table holds more than 2**32 holders");
  assign(p.hash, hash);
  assign(p.begin, offsets_of<std::uint32_t>(counts));
  assign(p.rank, column_of<std::uint32_t>(part_of(t, "holders", "postings"), "rank", SIZE_MAX, "the postings table"));
  check_postings(corpus, p);
  return p;
}

// --- candidates: candidates {first, second, shared} -----------------------------------------

Table candidates_table(const std::vector<Candidate> &cs) {
  const std::size_t m = cs.size();
  py::dict part;
  part["first"] = to_numpy(column<std::uint32_t>(m, [&](std::size_t i) { return cs[i].first; }));
  part["second"] = to_numpy(column<std::uint32_t>(m, [&](std::size_t i) { return cs[i].second; }));
  part["shared"] = to_numpy(column<std::uint32_t>(m, [&](std::size_t i) { return cs[i].shared; }));
  Table t;
  t["candidates"] = part;
  return t;
}

std::vector<Candidate> read_candidates(const Table &t, const CorpusView &corpus) {
  const py::dict part = part_of(t, "candidates", "candidates");
  const auto first = column_of<std::uint32_t>(part, "first", SIZE_MAX, "the candidates table");
  const auto second = column_of<std::uint32_t>(part, "second", first.size(), "the candidates table");
  const auto shared = column_of<std::uint32_t>(part, "shared", first.size(), "the candidates table");
  std::vector<Candidate> cs(first.size());
  for (std::size_t i = 0; i < cs.size(); ++i) cs[i] = Candidate{first[i], second[i], shared[i]};
  check_candidates(corpus, cs);
  return cs;
}

// --- passages: passages {a, b, a_begin, ... kind} (tables.hpp) -------------------------------

Table passages_table(const std::vector<Passage> &ps) {
  Table t;
  t["passages"] = passage_columns(ps);
  return t;
}

std::vector<Passage> read_passages_of(const Table &t, const CorpusView &corpus,
                                      const std::vector<std::uint32_t> &tokens) {
  std::vector<Passage> ps = read_passages(part_of(t, "passages", "passages"));
  check_passages(corpus, tokens, ps);
  return ps;
}

// The corpus, its columns and the options checked (std::invalid_argument, which pybind11 raises
// as ValueError, as it does the checks of the tables).
const CorpusView &checked(const TraceInput &in, const TraceOptions &options) {
  check_corpus(in.buf.view, options);
  return in.buf.view;
}

} // namespace

void register_stages(py::module_ &top) {
  py::module_ m = top.def_submodule("stages", "Every stage of trace on its own, over columnar tables.");

  py::list catalog;
  for (const StageInfo &s : stage_catalog()) {
    py::list inputs, options;
    for (std::string_view i : s.inputs) inputs.append(py::str(i.data(), i.size()));
    for (std::string_view o : s.options) options.append(py::str(o.data(), o.size()));
    catalog.append(py::make_tuple(py::str(s.name.data(), s.name.size()), py::tuple(inputs), py::tuple(options)));
  }
  m.attr("STAGES") = py::tuple(catalog);

  py::class_<TraceInput>(m, "StageCorpus",
                         "A corpus as the stages read it: the texts in place, times, outlets and credit aliases.")
      .def(py::init([](const py::list &texts, const Array64 &published, const Array32 &outlet,
                       const std::vector<std::string> &outlet_names,
                       const std::vector<std::pair<std::string, std::string>> &aliases,
                       const std::optional<Array8> &day_only, const std::optional<ArrayU64> &global_ids) {
             auto in = std::make_unique<TraceInput>();
             fill_input(*in, texts, published, outlet, outlet_names, aliases, day_only, global_ids);
             return in;
           }),
           py::arg("texts"), py::arg("published"), py::arg("outlet"), py::arg("outlet_names"), py::arg("aliases"),
           py::arg("day_only") = py::none(), py::arg("global_ids") = py::none())
      .def("__len__", [](const TraceInput &in) { return in.buf.view.size(); })
      .def_property_readonly("agencies", [](const TraceInput &in) { return in.table.agencies(); })
      .def_property_readonly("outlet_agency", [](const TraceInput &in) { return in.buf.view.outlet_agency; });

  m.def(
      "check",
      [](const TraceInput &in, const std::string &stage, const Table &table, const std::optional<Table> &tokens,
         const TraceOptions &opts) {
        // Reads the table as the stages after it do, which checks it against the corpus (with
        // the GIL held: reading converts Python objects).
        const CorpusView &corpus = checked(in, opts);
        auto tok = [&] {
          if (!tokens) throw py::value_error("checking the " + stage + " table needs the tokenize table");
          return read_tokens(*tokens, corpus, opts);
        };
        if (stage == "tokenize")
          read_tokens(table, corpus, opts);
        else if (stage == "boilerplate")
          read_boilerplate(table, corpus, tok());
        else if (stage == "credits")
          read_credits(table, corpus, in.table.agencies().size());
        else if (stage == "postings")
          read_postings(table, corpus);
        else if (stage == "candidates")
          read_candidates(table, corpus);
        else if (stage == "align")
          read_passages_of(table, corpus, token_counts(tok()));
        else
          throw py::value_error("no table of stage '" + stage + "' to check");
      },
      py::arg("corpus"), py::arg("stage"), py::arg("table"), py::arg("tokens"), py::arg("options"));

  m.def(
      "tokenize",
      [](const TraceInput &in, const TraceOptions &opts, py::object progress) {
        const CorpusView &corpus = checked(in, opts);
        // Released for tokenizing; the progress callback re-acquires the GIL itself.
        Tokenized tok = run_released(progress, [&](const Progress *p) { return tokenize_stage(corpus, opts, p, 0); });
        return tokens_table(std::move(tok));
      },
      py::arg("corpus"), py::arg("options"), py::arg("progress") = py::none());

  m.def(
      "boilerplate",
      [](const TraceInput &in, const Table &tokens, const TraceOptions &opts, py::object progress) {
        const CorpusView &corpus = checked(in, opts);
        const Tokenized tok = read_tokens(tokens, corpus, opts);
        // Released for the boilerplate model; the progress callback re-acquires the GIL itself.
        BoilerplateTable bp =
            run_released(progress, [&](const Progress *p) { return boilerplate_stage(corpus, tok, opts, p); });
        return boilerplate_table(std::move(bp));
      },
      py::arg("corpus"), py::arg("tokens"), py::arg("options"), py::arg("progress") = py::none());

  m.def(
      "credits",
      [](const TraceInput &in, const TraceOptions &opts, py::object progress) {
        const CorpusView &corpus = checked(in, opts);
        // Released for finding credits; the progress callback re-acquires the GIL itself.
        CreditTable c =
            run_released(progress, [&](const Progress *p) { return credits_stage(corpus, in.table, opts, p); });
        return credits_table(std::move(c));
      },
      py::arg("corpus"), py::arg("options"), py::arg("progress") = py::none());

  m.def(
      "postings",
      [](const TraceInput &in, const Table &tokens, const Table &boilerplate, const TraceOptions &opts,
         py::object progress) {
        const CorpusView &corpus = checked(in, opts);
        const Tokenized tok = read_tokens(tokens, corpus, opts);
        const BoilerplateTable bp = read_boilerplate(boilerplate, corpus, tok);
        // Released for building the postings; the progress callback re-acquires the GIL itself.
        Postings p =
            run_released(progress, [&](const Progress *pr) { return postings_stage(corpus, tok, bp, opts, pr); });
        return postings_table(std::move(p));
      },
      py::arg("corpus"), py::arg("tokens"), py::arg("boilerplate"), py::arg("options"),
      py::arg("progress") = py::none());

  m.def(
      "candidates",
      [](const TraceInput &in, const Table &tokens, const Table &boilerplate, const Table &postings,
         const TraceOptions &opts, py::object progress) {
        const CorpusView &corpus = checked(in, opts);
        const Tokenized tok = read_tokens(tokens, corpus, opts);
        const BoilerplateTable bp = read_boilerplate(boilerplate, corpus, tok);
        const Postings post = read_postings(postings, corpus);
        // Released for finding the pairs; the progress callback re-acquires the GIL itself.
        const std::vector<Candidate> cs =
            run_released(progress, [&](const Progress *p) { return candidates_stage(corpus, tok, bp, post, opts, p); });
        return candidates_table(cs);
      },
      py::arg("corpus"), py::arg("tokens"), py::arg("boilerplate"), py::arg("postings"), py::arg("options"),
      py::arg("progress") = py::none());

  m.def(
      "align",
      [](const TraceInput &in, const Table &tokens, const Table &boilerplate, const Table &candidates,
         const TraceOptions &opts, py::object progress) {
        const CorpusView &corpus = checked(in, opts);
        const Tokenized tok = read_tokens(tokens, corpus, opts);
        const BoilerplateTable bp = read_boilerplate(boilerplate, corpus, tok);
        const std::vector<Candidate> cs = read_candidates(candidates, corpus);
        // Released for aligning (the rewrite scorer tokenizes documents again: the tokens table
        // keeps no token places); the progress callback re-acquires the GIL itself.
        const std::vector<Passage> ps =
            run_released(progress, [&](const Progress *p) { return align_stage(corpus, tok, bp, cs, opts, p); });
        return passages_table(ps);
      },
      py::arg("corpus"), py::arg("tokens"), py::arg("boilerplate"), py::arg("candidates"), py::arg("options"),
      py::arg("progress") = py::none());

  m.def(
      "attribute",
      [](const TraceInput &in, const Table &boilerplate, const Table &credits, const Table &passages,
         const TraceOptions &opts, py::object progress) {
        const CorpusView &corpus = checked(in, opts);
        BoilerplateTable bp = read_boilerplate_counts(boilerplate, corpus);
        const std::size_t agencies = in.table.agencies().size();
        CreditTable c = read_credits(credits, corpus, agencies);
        std::vector<Passage> ps = read_passages(part_of(passages, "passages", "passages"));
        TraceResult r;
        // Released for attribution (attribute_stage checks the passages and counts first); the
        // progress callback re-acquires the GIL itself.
        r.attribution = run_released(progress, [&](const Progress *p) {
          return attribute_stage(corpus, bp, c, std::move(ps), opts, p, agencies);
        });
        py::dict spans = passage_columns(r.attribution.passages);
        r.tokens = std::move(bp.tokens);
        r.boilerplate_tokens = std::move(bp.boilerplate_tokens);
        r.credit_begin = std::move(c.begin);
        r.credit_agency = std::move(c.agency);
        py::dict out = result_dict(r, in, /*offsets=*/false);
        out["spans"] = spans;
        return out;
      },
      py::arg("corpus"), py::arg("boilerplate"), py::arg("credits"), py::arg("passages"), py::arg("options"),
      py::arg("progress") = py::none());

  m.def(
      "offsets",
      [](const TraceInput &in, const Table &tokens, const Table &passages, const TraceOptions &opts,
         py::object progress) {
        const CorpusView &corpus = checked(in, opts);
        const Tokenized tok = read_tokens(tokens, corpus, opts);
        const std::vector<Passage> ps = read_passages_of(passages, corpus, token_counts(tok));
        // Released for one pass over each text; the progress callback re-acquires the GIL itself.
        PassageOffsets off =
            run_released(progress, [&](const Progress *p) { return offsets_stage(corpus, tok, ps, opts, p); });
        py::dict part;
        add_offsets(part, std::move(off), "a_", "b_");
        Table t;
        t["passages"] = part;
        return t;
      },
      py::arg("corpus"), py::arg("tokens"), py::arg("passages"), py::arg("options"), py::arg("progress") = py::none());
}
