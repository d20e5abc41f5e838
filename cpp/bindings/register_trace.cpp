// The in-process engine: a whole corpus traced in one call, or in two halves with the aligned
// tables between them (a checkpoint: see align_corpus).
#include "tables.hpp"

namespace py = pybind11;
using namespace storytrace;
using namespace storytrace::bindings;

void register_trace(py::module_ &m) {
  m.def(
      "trace",
      [](const py::list &texts, const Array64 &published, const Array32 &outlet,
         const std::vector<std::string> &outlet_names, const std::vector<std::pair<std::string, std::string>> &aliases,
         const TraceOptions &opts, py::object progress, const std::optional<Array8> &day_only,
         const std::optional<ArrayU64> &global_ids) {
        TraceInput in;
        fill_input(in, texts, published, outlet, outlet_names, aliases, day_only, global_ids);
        // Released for the whole pipeline; the progress callback re-acquires the GIL itself.
        TraceResult r =
            run_released(progress, [&](const Progress *p) { return trace(in.buf.view, in.table, opts, p); });
        return result_dict(r, in);
      },
      py::arg("texts"), py::arg("published"), py::arg("outlet"), py::arg("outlet_names"), py::arg("aliases"),
      py::arg("options"), py::arg("progress") = py::none(), py::arg("day_only") = py::none(),
      py::arg("global_ids") = py::none());

  m.def(
      "align_stage",
      [](const py::list &texts, const Array64 &published, const Array32 &outlet,
         const std::vector<std::string> &outlet_names, const std::vector<std::pair<std::string, std::string>> &aliases,
         const TraceOptions &opts, py::object progress, const std::optional<Array8> &day_only) {
        TraceInput in;
        fill_input(in, texts, published, outlet, outlet_names, aliases, day_only, std::nullopt);
        // Released for the stages; the progress callback re-acquires the GIL itself.
        TraceResult r =
            run_released(progress, [&](const Progress *p) { return align_corpus(in.buf.view, in.table, opts, p); });
        return aligned_dict(r);
      },
      py::arg("texts"), py::arg("published"), py::arg("outlet"), py::arg("outlet_names"), py::arg("aliases"),
      py::arg("options"), py::arg("progress") = py::none(), py::arg("day_only") = py::none());

  m.def(
      "attribute_stage",
      [](const py::list &texts, const Array64 &published, const Array32 &outlet,
         const std::vector<std::string> &outlet_names, const std::vector<std::pair<std::string, std::string>> &aliases,
         const TraceOptions &opts, const py::dict &aligned, py::object progress, const std::optional<Array8> &day_only,
         const std::optional<ArrayU64> &global_ids) {
        TraceInput in;
        fill_input(in, texts, published, outlet, outlet_names, aliases, day_only, global_ids);
        TraceResult r;
        read_aligned(r, aligned, in.buf.view.size());
        // Released for attribution and offsets; the progress callback re-acquires the GIL itself.
        run_released(progress, [&](const Progress *p) {
          attribute_corpus(in.buf.view, r, opts, p, in.table.agencies().size());
          return 0;
        });
        return result_dict(r, in);
      },
      py::arg("texts"), py::arg("published"), py::arg("outlet"), py::arg("outlet_names"), py::arg("aliases"),
      py::arg("options"), py::arg("aligned"), py::arg("progress") = py::none(), py::arg("day_only") = py::none(),
      py::arg("global_ids") = py::none());

  py::list evidence, derivation, origin_evidence;
  for (int e = 0; e <= 4; ++e) evidence.append(std::string(evidence_name(static_cast<Evidence>(e))));
  for (int d = 0; d <= 2; ++d) derivation.append(std::string(derivation_name(static_cast<Derivation>(d))));
  for (int e = 0; e <= 3; ++e)
    origin_evidence.append(std::string(origin_evidence_name(static_cast<OriginEvidence>(e))));
  m.attr("EVIDENCE") = evidence;
  m.attr("DERIVATION") = derivation;
  m.attr("ORIGIN_EVIDENCE") = origin_evidence;
  py::list passage_kind;
  for (int k = 0; k < kPassageKinds; ++k)
    passage_kind.append(std::string(passage_kind_name(static_cast<PassageKind>(k))));
  m.attr("PASSAGE_KIND") = passage_kind;
}
