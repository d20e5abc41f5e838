// Tokens, shingles and credits of single texts.
#include "common.hpp"
#include "storytrace/shingle.hpp"
#include "storytrace/text.hpp"
#include "storytrace/types.hpp"

namespace py = pybind11;
using namespace storytrace;
using namespace storytrace::bindings;

namespace {

struct TokenizedText {
  std::vector<Token> tokens;
  std::string normalized;
  std::vector<std::uint32_t> offsets;
};

TokenizedText tokenize_released(std::string_view text, bool reference = false) {
  TokenizedText t;
  // Released: ICU word break and normalization touch no Python object.
  py::gil_scoped_release release;
  if (reference)
    tokenize_icu(text, t.tokens, &t.normalized, &t.offsets);
  else
    tokenize(text, t.tokens, &t.normalized, &t.offsets);
  return t;
}

} // namespace

void register_text(py::module_ &m) {
  m.def(
      "tokenize",
      [](py::str text, bool reference) {
        const std::string_view s = utf8_view(text, "text");
        TokenizedText t = tokenize_released(s, reference);
        std::vector<std::int64_t> offsets;
        offsets.reserve(2 * t.tokens.size());
        for (const Token &k : t.tokens) offsets.push_back(k.start), offsets.push_back(k.end);
        std::vector<std::int64_t> byte_offsets = offsets;
        bytes_to_code_points_unsorted(s, offsets);
        std::vector<std::int64_t> start(t.tokens.size()), end(t.tokens.size()), bstart(t.tokens.size()),
            bend(t.tokens.size());
        std::vector<std::uint64_t> hashes(t.tokens.size());
        py::list norm(t.tokens.size());
        for (std::size_t k = 0; k < t.tokens.size(); ++k) {
          start[k] = offsets[2 * k], end[k] = offsets[2 * k + 1];
          bstart[k] = byte_offsets[2 * k], bend[k] = byte_offsets[2 * k + 1];
          hashes[k] = t.tokens[k].hash;
          norm[k] = py::str(t.normalized.data() + t.offsets[k], t.offsets[k + 1] - t.offsets[k]);
        }
        py::dict out;
        out["start"] = to_numpy(std::move(start));
        out["end"] = to_numpy(std::move(end));
        out["byte_start"] = to_numpy(std::move(bstart));
        out["byte_end"] = to_numpy(std::move(bend));
        out["hash"] = to_numpy(std::move(hashes));
        out["norm"] = norm;
        return out;
      },
      py::arg("text"), py::arg("reference") = false,
      "The tokens of one text; reference=True runs ICU's word break over the whole text (the slow "
      "reference the fast tokenizer is tested against).");

  m.def("normalize_word", [](py::str word) { return normalize_word(utf8_view(word, "word")); });

  m.def(
      "shingle_hashes",
      [](py::str text, std::size_t ngram) {
        if (ngram < 1) throw py::value_error("ngram must be at least 1");
        const std::string_view s = utf8_view(text, "text");
        TokenizedText t = tokenize_released(s);
        std::vector<std::uint64_t> out;
        shingle(t.normalized, t.offsets, ngram, out);
        return to_numpy(std::move(out));
      },
      py::arg("text"), py::arg("ngram"));

  m.def("default_aliases", [] { return AliasTable::default_entries(); });

  m.def(
      "find_credits",
      [](py::str text, const std::vector<std::pair<std::string, std::string>> &aliases) {
        const std::string_view s = utf8_view(text, "text");
        const AliasTable table = aliases_from(aliases);
        std::vector<Credit> credits;
        {
          // Released: the scan reads only the UTF-8 copy of the text.
          py::gil_scoped_release release;
          credits = find_credits(s, table);
        }
        std::vector<std::int64_t> offsets;
        for (const Credit &c : credits) offsets.push_back(c.start), offsets.push_back(c.end);
        bytes_to_code_points_unsorted(s, offsets);
        py::list out;
        for (std::size_t k = 0; k < credits.size(); ++k)
          out.append(py::make_tuple(table.agencies()[static_cast<std::size_t>(credits[k].agency)], offsets[2 * k],
                                    offsets[2 * k + 1]));
        return out;
      },
      py::arg("text"), py::arg("aliases"));

  m.def(
      "global_ids",
      [](const py::sequence &ids) {
        // Each id is a str or an int (a bool is an int to Python, as in Corpus ids); an int is
        // hashed by its decimal digits, so that one beyond 64 bits has one too.
        const std::size_t n = py::len(ids);
        std::vector<std::uint64_t> out(n);
        for (std::size_t i = 0; i < n; ++i) {
          const py::handle id = ids[i];
          if (PyUnicode_Check(id.ptr())) {
            out[i] = global_id(IdKind::Str, utf8_view(id, "document id " + std::to_string(i)));
          } else if (PyLong_Check(id.ptr())) {
            // int(id): a bool is hashed as 0 or 1, as a dict of ids finds it.
            const auto as_int = py::reinterpret_steal<py::object>(PyNumber_Long(id.ptr()));
            if (!as_int) throw py::error_already_set();
            const std::string digits = py::str(as_int);
            out[i] = global_id(IdKind::Int, digits);
          } else {
            throw py::type_error("document id " + std::to_string(i) + " must be a str or an int, not " +
                                 std::string(py::str(py::type::of(id).attr("__name__"))));
          }
        }
        return to_numpy(std::move(out));
      },
      py::arg("ids"));

  m.def("find_invalid_utf8", [](py::bytes data) -> py::object {
    const std::string_view s = data;
    const std::size_t at = find_invalid_utf8(s);
    if (at == std::string_view::npos) return py::none();
    return py::int_(at);
  });
}
