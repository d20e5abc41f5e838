// The monitoring index: known texts in memory, new texts queried as they arrive.
#include "common.hpp"
#include "storytrace/monitor.hpp"

namespace py = pybind11;
using namespace storytrace;
using namespace storytrace::bindings;

void register_index(py::module_ &m) {
  py::class_<MonitorIndex>(m, "MonitorIndex")
      .def(py::init([](const TraceOptions &options) { return std::make_unique<MonitorIndex>(options); }),
           py::arg("options"))
      .def("__len__", &MonitorIndex::size)
      .def(
          "add",
          [](MonitorIndex &self, const py::list &texts,
             const py::array_t<std::int64_t, py::array::c_style | py::array::forcecast> &published,
             const py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast> &day_only,
             py::object progress) {
            if (static_cast<std::size_t>(published.size()) != texts.size() ||
                static_cast<std::size_t>(day_only.size()) != texts.size())
              throw py::value_error("published and day_only must have one entry per text");
            std::string buffer;
            CorpusView view;
            view.offsets.push_back(0);
            for (std::size_t d = 0; d < texts.size(); ++d) {
              append_text(buffer, texts[d], d);
              view.offsets.push_back(buffer.size());
            }
            view.text = buffer;
            view.published.assign(published.data(), published.data() + texts.size());
            view.day_only.assign(day_only.data(), day_only.data() + texts.size());
            view.outlet.assign(texts.size(), kNone);
            // Released while tokenizing and indexing; progress re-acquires the GIL.
            return run_released(progress, [&](const Progress *p) { return self.add(view, p); });
          },
          py::arg("texts"), py::arg("published"), py::arg("day_only"), py::arg("progress") = py::none())
      .def(
          "query",
          [](const MonitorIndex &self, py::str text, std::size_t top, std::int64_t published, bool day_only) {
            const std::string_view s = utf8_view(text, "text");
            std::vector<QueryHit> hits;
            {
              // Released: the query reads the index and the UTF-8 view only.
              py::gil_scoped_release release;
              hits = self.query(s, top, time_range(published, day_only));
            }
            py::list out;
            for (QueryHit &h : hits) {
              py::dict d;
              d["doc"] = h.doc;
              d["earlier"] = h.earlier;
              d["shared_tokens"] = h.shared_tokens;
              d["source_shared_tokens"] = h.doc_shared_tokens;
              d["containment"] = h.containment;
              d["source_containment"] = h.doc_containment;
              d["source_start"] = to_numpy(std::move(h.doc_start));
              d["source_end"] = to_numpy(std::move(h.doc_end));
              d["query_start"] = to_numpy(std::move(h.query_start));
              d["query_end"] = to_numpy(std::move(h.query_end));
              out.append(d);
            }
            return out;
          },
          py::arg("text"), py::arg("top"), py::arg("published") = kNoTime, py::arg("day_only") = false);
}
