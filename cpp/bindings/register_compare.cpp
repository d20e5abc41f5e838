// Two texts side by side.
#include "common.hpp"

namespace py = pybind11;
using namespace storytrace;
using namespace storytrace::bindings;

void register_compare(py::module_ &m) {
  m.def(
      "compare",
      [](py::str a, py::str b, const TraceOptions &opts) {
        const std::string_view sa = utf8_view(a, "text_a"), sb = utf8_view(b, "text_b");
        Comparison c;
        {
          // Released: tokenizing and aligning read only the UTF-8 views, which the str objects keep alive.
          py::gil_scoped_release release;
          c = compare(sa, sb, opts);
        }
        const std::size_t m = c.spans.size();
        std::vector<std::uint32_t> tokens(m), b_tokens(m), matched(m);
        std::vector<float> similarity(m);
        std::vector<std::uint8_t> kind(m);
        for (std::size_t k = 0; k < m; ++k) {
          tokens[k] = c.spans[k].a_end - c.spans[k].a_begin;
          b_tokens[k] = c.spans[k].b_end - c.spans[k].b_begin;
          matched[k] = c.spans[k].matched;
          similarity[k] = c.spans[k].similarity;
          kind[k] = static_cast<std::uint8_t>(c.spans[k].kind);
        }
        py::dict out;
        out["a_tokens"] = c.a_tokens;
        out["b_tokens"] = c.b_tokens;
        out["a_in_b"] = c.a_in_b;
        out["b_in_a"] = c.b_in_a;
        out["jaccard"] = c.jaccard;
        out["a_start"] = to_numpy(std::move(c.a_start));
        out["a_end"] = to_numpy(std::move(c.a_end));
        out["b_start"] = to_numpy(std::move(c.b_start));
        out["b_end"] = to_numpy(std::move(c.b_end));
        out["tokens"] = to_numpy(std::move(tokens));
        out["b_tokens_per_passage"] = to_numpy(std::move(b_tokens));
        out["matched_tokens"] = to_numpy(std::move(matched));
        out["similarity"] = to_numpy(std::move(similarity));
        out["kind"] = to_numpy(std::move(kind));
        return out;
      },
      py::arg("a"), py::arg("b"), py::arg("options"));
}
