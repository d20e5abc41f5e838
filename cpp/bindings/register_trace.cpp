// The in-process engine: a whole corpus traced in one call.
#include <optional>

#include "common.hpp"

namespace py = pybind11;
using namespace storytrace;
using namespace storytrace::bindings;

namespace {

// The corpus read in place: a reference to each str's own characters (a copy of the corpus in
// UTF-8 would be as large as the corpus). `held` keeps the strs alive while the GIL is released,
// whatever happens to the caller's list.
struct CorpusBuffer {
  py::tuple held;
  CorpusView view;
};

void fill_corpus(CorpusBuffer &buf, const py::list &texts) {
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

} // namespace

void register_trace(py::module_ &m) {
  m.def(
      "trace",
      [](const py::list &texts, const py::array_t<std::int64_t, py::array::c_style | py::array::forcecast> &published,
         const py::array_t<std::int32_t, py::array::c_style | py::array::forcecast> &outlet,
         const std::vector<std::string> &outlet_names, const std::vector<std::pair<std::string, std::string>> &aliases,
         const TraceOptions &opts, py::object progress,
         const std::optional<py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>> &day_only,
         const std::optional<py::array_t<std::uint64_t, py::array::c_style | py::array::forcecast>> &global_ids) {
        const AliasTable table = aliases_from(aliases);
        CorpusBuffer buf;
        fill_corpus(buf, texts);
        const std::size_t n = texts.size();
        buf.view.published = vector_of<std::int64_t>(published, n, "published");
        if (day_only) buf.view.day_only = vector_of<std::uint8_t>(*day_only, n, "day_only");
        if (global_ids) buf.view.global_id = vector_of<std::uint64_t>(*global_ids, n, "global_ids");
        buf.view.outlet = vector_of<std::int32_t>(outlet, n, "outlet");
        for (std::int32_t o : buf.view.outlet)
          if (o < -1 || o >= static_cast<std::int32_t>(outlet_names.size()))
            throw py::value_error("outlet codes must index outlet_names");
        for (const std::string &name : outlet_names) buf.view.outlet_agency.push_back(table.find_outlet(name));

        // Released for the whole pipeline; the progress callback re-acquires the GIL itself.
        TraceResult r = run_released(progress, [&](const Progress *p) { return trace(buf.view, table, opts, p); });

        Attribution &at = r.attribution;
        py::dict docs;
        docs["tokens"] = to_numpy(std::move(r.tokens));
        docs["boilerplate_tokens"] = to_numpy(std::move(r.boilerplate_tokens));
        docs["reused_tokens"] = to_numpy(std::move(at.reused_tokens));
        docs["shared_tokens"] = to_numpy(std::move(at.shared_tokens));
        docs["reuse_share"] = to_numpy(std::move(at.reuse_share));
        docs["derivation"] = to_numpy(
            column<std::uint8_t>(n, [&](std::size_t i) { return static_cast<std::uint8_t>(at.derivation[i]); }));
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
        passages["source_start"] = to_numpy(std::move(r.a_start));
        passages["source_end"] = to_numpy(std::move(r.a_end));
        passages["target_start"] = to_numpy(std::move(r.b_start));
        passages["target_end"] = to_numpy(std::move(r.b_end));
        passages["source_byte_start"] = to_numpy(std::move(r.a_byte_start));
        passages["source_byte_end"] = to_numpy(std::move(r.a_byte_end));
        passages["target_byte_start"] = to_numpy(std::move(r.b_byte_start));
        passages["target_byte_end"] = to_numpy(std::move(r.b_byte_end));
        passages["tokens"] = to_numpy(column<std::uint32_t>(
            np, [&](std::size_t i) { return at.passages[i].span.b_end - at.passages[i].span.b_begin; }));
        passages["source_tokens"] = to_numpy(column<std::uint32_t>(
            np, [&](std::size_t i) { return at.passages[i].span.a_end - at.passages[i].span.a_begin; }));
        passages["matched_tokens"] =
            to_numpy(column<std::uint32_t>(np, [&](std::size_t i) { return at.passages[i].span.matched; }));
        passages["similarity"] =
            to_numpy(column<float>(np, [&](std::size_t i) { return at.passages[i].span.similarity; }));
        passages["kind"] = to_numpy(column<std::uint8_t>(
            np, [&](std::size_t i) { return static_cast<std::uint8_t>(at.passages[i].span.kind); }));
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
        links["source_containment"] =
            to_numpy(column<double>(nl, [&](std::size_t i) { return L[i].source_containment; }));
        links["evidence"] =
            to_numpy(column<std::uint8_t>(nl, [&](std::size_t i) { return static_cast<std::uint8_t>(L[i].evidence); }));
        links["agency"] = to_numpy(column<std::int32_t>(nl, [&](std::size_t i) { return L[i].agency; }));
        links["direct"] =
            to_numpy(column<std::uint8_t>(nl, [&](std::size_t i) { return static_cast<std::uint8_t>(L[i].direct); }));
        links["is_origin"] = to_numpy(
            column<std::uint8_t>(nl, [&](std::size_t i) { return static_cast<std::uint8_t>(L[i].is_origin); }));

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
        out["agencies"] = table.agencies();
        out["outlet_agency"] = buf.view.outlet_agency;
        out["candidates"] = r.candidates.size();
        return out;
      },
      py::arg("texts"), py::arg("published"), py::arg("outlet"), py::arg("outlet_names"), py::arg("aliases"),
      py::arg("options"), py::arg("progress") = py::none(), py::arg("day_only") = py::none(),
      py::arg("global_ids") = py::none());

  py::list evidence, derivation, origin_evidence;
  for (int e = 0; e <= 4; ++e) evidence.append(std::string(evidence_name(static_cast<Evidence>(e))));
  for (int d = 0; d <= 2; ++d) derivation.append(std::string(derivation_name(static_cast<Derivation>(d))));
  for (int e = 0; e <= 2; ++e)
    origin_evidence.append(std::string(origin_evidence_name(static_cast<OriginEvidence>(e))));
  m.attr("EVIDENCE") = evidence;
  m.attr("DERIVATION") = derivation;
  m.attr("ORIGIN_EVIDENCE") = origin_evidence;
  py::list passage_kind;
  for (int k = 0; k < kPassageKinds; ++k)
    passage_kind.append(std::string(passage_kind_name(static_cast<PassageKind>(k))));
  m.attr("PASSAGE_KIND") = passage_kind;
}
