// What the trace and stage bindings share: the corpus read in place, and the tables they hand
// back and take, as NumPy columns.
#pragma once

#include <optional>

#include "common.hpp"
#include "storytrace/stages.hpp"

namespace storytrace::bindings {

// The corpus read in place: a reference to each str's own characters (a copy of the corpus in
// UTF-8 would be as large as the corpus). `held` keeps the strs alive while the GIL is released,
// whatever happens to the caller's list.
struct CorpusBuffer {
  py::tuple held;
  CorpusView view;
};

inline void fill_corpus(CorpusBuffer &buf, const py::list &texts) {
  buf.held = py::reinterpret_steal<py::tuple>(PyList_AsTuple(texts.ptr())); // the list's items, not its __iter__
  if (!buf.held) throw py::error_already_set();
  const std::size_t n = buf.held.size();
  buf.view.refs.reserve(n);
  for (std::size_t d = 0; d < n; ++d) buf.view.refs.push_back(text_ref(buf.held[d], d));
}

template <class T>
std::vector<T> vector_of(const py::array_t<T, py::array::c_style | py::array::forcecast> &a, std::size_t n,
                         const char *what) {
  if (static_cast<std::size_t>(a.size()) != n)
    throw py::value_error(std::string(what) + " must have one entry per document");
  return std::vector<T>(a.data(), a.data() + n);
}

template <class T, class F> std::vector<T> column(std::size_t n, F &&f) {
  std::vector<T> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = f(i);
  return v;
}

using Array64 = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;
using Array32 = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>;
using Array8 = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>;
using ArrayU64 = py::array_t<std::uint64_t, py::array::c_style | py::array::forcecast>;

// The corpus as trace's entry points take it: texts in place, times, outlets and their agencies.
struct TraceInput {
  AliasTable table;
  CorpusBuffer buf;
};

inline void fill_input(TraceInput &in, const py::list &texts, const Array64 &published, const Array32 &outlet,
                       const std::vector<std::string> &outlet_names,
                       const std::vector<std::pair<std::string, std::string>> &aliases,
                       const std::optional<Array8> &day_only, const std::optional<ArrayU64> &global_ids) {
  in.table = aliases_from(aliases);
  fill_corpus(in.buf, texts);
  const std::size_t n = texts.size();
  CorpusView &view = in.buf.view;
  view.published = vector_of<std::int64_t>(published, n, "published");
  if (day_only) view.day_only = vector_of<std::uint8_t>(*day_only, n, "day_only");
  if (global_ids) view.global_id = vector_of<std::uint64_t>(*global_ids, n, "global_ids");
  view.outlet = vector_of<std::int32_t>(outlet, n, "outlet");
  for (std::int32_t o : view.outlet)
    if (o < -1 || o >= static_cast<std::int32_t>(outlet_names.size()))
      throw py::value_error("outlet codes must index outlet_names");
  for (const std::string &name : outlet_names) view.outlet_agency.push_back(in.table.find_outlet(name));
}

// trace's result as NumPy columns, each handed over without a copy.
// Offsets as columns <a>start, <a>end, <b>start, <b>end, <a>byte_start ... (a and b the prefixes
// of the two sides: source_/target_ in trace's passages, a_/b_ in the offsets stage's table).
inline void add_offsets(py::dict &part, PassageOffsets &&off, const std::string &a, const std::string &b) {
  part[py::str(a + "start")] = to_numpy(std::move(off.a_start));
  part[py::str(a + "end")] = to_numpy(std::move(off.a_end));
  part[py::str(b + "start")] = to_numpy(std::move(off.b_start));
  part[py::str(b + "end")] = to_numpy(std::move(off.b_end));
  part[py::str(a + "byte_start")] = to_numpy(std::move(off.a_byte_start));
  part[py::str(a + "byte_end")] = to_numpy(std::move(off.a_byte_end));
  part[py::str(b + "byte_start")] = to_numpy(std::move(off.b_byte_start));
  part[py::str(b + "byte_end")] = to_numpy(std::move(off.b_byte_end));
}

// Without `offsets` (attribution alone: the offsets stage gives them), the passages lack their
// code-point and byte offsets.
inline py::dict result_dict(TraceResult &r, const TraceInput &in, bool offsets = true) {
  const std::size_t n = in.buf.view.size();
  Attribution &at = r.attribution;
  py::dict docs;
  docs["tokens"] = to_numpy(std::move(r.tokens));
  docs["boilerplate_tokens"] = to_numpy(std::move(r.boilerplate_tokens));
  docs["reused_tokens"] = to_numpy(std::move(at.reused_tokens));
  docs["shared_tokens"] = to_numpy(std::move(at.shared_tokens));
  docs["reuse_share"] = to_numpy(std::move(at.reuse_share));
  docs["vocabulary_share"] = to_numpy(std::move(at.vocabulary_share));
  docs["derivation"] =
      to_numpy(column<std::uint8_t>(n, [&](std::size_t i) { return static_cast<std::uint8_t>(at.derivation[i]); }));
  docs["origin_doc"] = to_numpy(std::move(at.origin_doc));
  docs["origin_agency"] = to_numpy(std::move(at.origin_agency));
  docs["origin_evidence"] = to_numpy(
      column<std::uint8_t>(n, [&](std::size_t i) { return static_cast<std::uint8_t>(at.origin_evidence[i]); }));
  docs["story"] = to_numpy(std::move(at.story));
  docs["credit_begin"] = to_numpy(std::move(r.credit_begin));
  docs["credit_agency"] = to_numpy(std::move(r.credit_agency));

  const std::size_t np = at.passages.size();
  py::dict passages;
  passages["source"] = to_numpy(column<std::uint32_t>(np, [&](std::size_t i) { return at.passages[i].a; }));
  passages["target"] = to_numpy(column<std::uint32_t>(np, [&](std::size_t i) { return at.passages[i].b; }));
  if (offsets) {
    add_offsets(passages, std::move(static_cast<PassageOffsets &>(r)), "source_", "target_");
  }
  passages["tokens"] = to_numpy(column<std::uint32_t>(
      np, [&](std::size_t i) { return at.passages[i].span.b_end - at.passages[i].span.b_begin; }));
  passages["source_tokens"] = to_numpy(column<std::uint32_t>(
      np, [&](std::size_t i) { return at.passages[i].span.a_end - at.passages[i].span.a_begin; }));
  passages["matched_tokens"] =
      to_numpy(column<std::uint32_t>(np, [&](std::size_t i) { return at.passages[i].span.matched; }));
  passages["similarity"] = to_numpy(column<float>(np, [&](std::size_t i) { return at.passages[i].span.similarity; }));
  passages["kind"] = to_numpy(
      column<std::uint8_t>(np, [&](std::size_t i) { return static_cast<std::uint8_t>(at.passages[i].span.kind); }));
  passages["origin_doc"] = to_numpy(std::move(at.passage_origin_doc));
  passages["origin_agency"] = to_numpy(std::move(at.passage_origin_agency));
  passages["direct"] =
      to_numpy(column<std::uint8_t>(np, [&](std::size_t i) { return std::uint8_t{at.passage_direct[i]}; }));
  passages["evidence"] = to_numpy(
      column<std::uint8_t>(np, [&](std::size_t i) { return static_cast<std::uint8_t>(at.passage_evidence[i]); }));

  const std::size_t nl = at.links.size();
  const auto &L = at.links;
  py::dict links;
  links["target"] = to_numpy(column<std::uint32_t>(nl, [&](std::size_t i) { return L[i].target; }));
  links["source"] = to_numpy(column<std::uint32_t>(nl, [&](std::size_t i) { return L[i].source; }));
  links["shared_tokens"] = to_numpy(column<std::uint32_t>(nl, [&](std::size_t i) { return L[i].shared_tokens; }));
  links["source_shared_tokens"] =
      to_numpy(column<std::uint32_t>(nl, [&](std::size_t i) { return L[i].source_shared_tokens; }));
  links["containment"] = to_numpy(column<double>(nl, [&](std::size_t i) { return L[i].containment; }));
  links["source_containment"] = to_numpy(column<double>(nl, [&](std::size_t i) { return L[i].source_containment; }));
  links["evidence"] =
      to_numpy(column<std::uint8_t>(nl, [&](std::size_t i) { return static_cast<std::uint8_t>(L[i].evidence); }));
  links["agency"] = to_numpy(column<std::int32_t>(nl, [&](std::size_t i) { return L[i].agency; }));
  links["direct"] =
      to_numpy(column<std::uint8_t>(nl, [&](std::size_t i) { return static_cast<std::uint8_t>(L[i].direct); }));
  links["is_origin"] =
      to_numpy(column<std::uint8_t>(nl, [&](std::size_t i) { return static_cast<std::uint8_t>(L[i].is_origin); }));
  links["vocabulary"] =
      to_numpy(column<std::uint8_t>(nl, [&](std::size_t i) { return static_cast<std::uint8_t>(L[i].vocabulary); }));

  py::dict stories;
  stories["id"] = to_numpy(std::move(at.story_id));
  stories["begin"] = to_numpy(std::move(at.story_begin));
  stories["docs"] = to_numpy(std::move(at.story_docs));
  stories["origin_doc"] = to_numpy(std::move(at.story_origin_doc));
  stories["origin_agency"] = to_numpy(std::move(at.story_origin_agency));

  py::dict out;
  out["documents"] = docs;
  out["passages"] = passages;
  out["links"] = links;
  out["stories"] = stories;
  out["agencies"] = in.table.agencies();
  out["outlet_agency"] = in.buf.view.outlet_agency;
  out["candidates"] = r.candidates.size();
  return out;
}

// Passages as the aligned tables hold them: a, b (document numbers), the token spans, matched
// tokens, each side's boilerplate tokens, similarity and kind.
inline py::dict passage_columns(const std::vector<Passage> &ps) {
  const std::size_t np = ps.size();
  py::dict passages;
  auto u32 = [&](auto field) {
    return to_numpy(column<std::uint32_t>(np, [&](std::size_t i) { return field(ps[i]); }));
  };
  passages["a"] = u32([](const Passage &p) { return p.a; });
  passages["b"] = u32([](const Passage &p) { return p.b; });
  passages["a_begin"] = u32([](const Passage &p) { return p.span.a_begin; });
  passages["a_end"] = u32([](const Passage &p) { return p.span.a_end; });
  passages["b_begin"] = u32([](const Passage &p) { return p.span.b_begin; });
  passages["b_end"] = u32([](const Passage &p) { return p.span.b_end; });
  passages["matched"] = u32([](const Passage &p) { return p.span.matched; });
  passages["a_boilerplate"] = u32([](const Passage &p) { return p.a_boilerplate; });
  passages["b_boilerplate"] = u32([](const Passage &p) { return p.b_boilerplate; });
  passages["similarity"] = to_numpy(column<float>(np, [&](std::size_t i) { return ps[i].span.similarity; }));
  passages["kind"] =
      to_numpy(column<std::uint8_t>(np, [&](std::size_t i) { return static_cast<std::uint8_t>(ps[i].span.kind); }));
  return passages;
}

// The aligned tables (align_corpus) as NumPy columns: per document, and per passage (a the
// earlier document of its pair, token spans).
inline py::dict aligned_dict(TraceResult &r) {
  py::dict docs;
  docs["tokens"] = to_numpy(std::move(r.tokens));
  docs["boilerplate_tokens"] = to_numpy(std::move(r.boilerplate_tokens));
  docs["credit_begin"] = to_numpy(std::move(r.credit_begin));
  docs["credit_agency"] = to_numpy(std::move(r.credit_agency));
  py::dict out;
  out["documents"] = docs;
  out["passages"] = passage_columns(r.attribution.passages);
  out["candidates"] = r.candidates.size();
  return out;
}

template <class T> std::vector<T> column_of(const py::dict &table, const char *name, std::size_t n, const char *what) {
  if (!table.contains(name)) throw py::value_error(std::string(what) + " has no column " + name);
  const auto a = table[name].cast<py::array_t<T, py::array::c_style | py::array::forcecast>>();
  if (n != SIZE_MAX && static_cast<std::size_t>(a.size()) != n)
    throw py::value_error(std::string(what) + "'s column " + name + " has " + std::to_string(a.size()) +
                          " entries, not " + std::to_string(n));
  return std::vector<T>(a.data(), a.data() + a.size());
}

// Passages read from columns as passage_columns writes them (ValueError for a missing column,
// a length that differs or an unknown kind; the stages check the spans against the corpus).
inline std::vector<Passage> read_passages(const py::dict &ps) {
  const auto a = column_of<std::uint32_t>(ps, "a", SIZE_MAX, "the passages table");
  const std::size_t m = a.size();
  const auto b = column_of<std::uint32_t>(ps, "b", m, "the passages table");
  const auto a_begin = column_of<std::uint32_t>(ps, "a_begin", m, "the passages table");
  const auto a_end = column_of<std::uint32_t>(ps, "a_end", m, "the passages table");
  const auto b_begin = column_of<std::uint32_t>(ps, "b_begin", m, "the passages table");
  const auto b_end = column_of<std::uint32_t>(ps, "b_end", m, "the passages table");
  const auto matched = column_of<std::uint32_t>(ps, "matched", m, "the passages table");
  const auto a_bp = column_of<std::uint32_t>(ps, "a_boilerplate", m, "the passages table");
  const auto b_bp = column_of<std::uint32_t>(ps, "b_boilerplate", m, "the passages table");
  const auto similarity = column_of<float>(ps, "similarity", m, "the passages table");
  const auto kind = column_of<std::uint8_t>(ps, "kind", m, "the passages table");
  std::vector<Passage> out(m);
  for (std::size_t k = 0; k < m; ++k) {
    if (kind[k] >= kPassageKinds) throw py::value_error("the passages table has an unknown kind");
    out[k] = Passage{
        a[k], b[k],
        Span{a_begin[k], a_end[k], b_begin[k], b_end[k], matched[k], similarity[k], static_cast<PassageKind>(kind[k])},
        a_bp[k], b_bp[k]};
  }
  return out;
}

// The aligned tables read back into a TraceResult (checked by attribute_corpus).
inline void read_aligned(TraceResult &r, const py::dict &aligned, std::size_t n) {
  const py::dict docs = aligned["documents"].cast<py::dict>(), ps = aligned["passages"].cast<py::dict>();
  r.tokens = column_of<std::uint32_t>(docs, "tokens", n, "the documents table");
  r.boilerplate_tokens = column_of<std::uint32_t>(docs, "boilerplate_tokens", n, "the documents table");
  r.credit_begin = column_of<std::uint64_t>(docs, "credit_begin", n + 1, "the documents table");
  r.credit_agency = column_of<std::int32_t>(docs, "credit_agency", SIZE_MAX, "the documents table");
  // Offsets tokenize the documents again: the tokens' places are not kept.
  r.tok.tok_begin.assign(n + 1, 0);
  for (std::size_t d = 0; d < n; ++d) r.tok.tok_begin[d + 1] = r.tok.tok_begin[d] + r.tokens[d];
  r.attribution.passages = read_passages(ps);
}

} // namespace storytrace::bindings
