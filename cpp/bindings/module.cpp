// storytrace._core: the compiled core. The public API is the Python package around it.
#include <pybind11/pybind11.h>

#include "storytrace/common.hpp"

namespace py = pybind11;

void register_options(py::module_ &m);
void register_text(py::module_ &m);
void register_trace(py::module_ &m);
void register_compare(py::module_ &m);
void register_index(py::module_ &m);
void register_stages(py::module_ &m);

PYBIND11_MODULE(_core, m) {
  m.doc() = "storytrace's C++ core (private: use the storytrace package)";
  m.attr("__version__") = STORYTRACE_VERSION; // pyproject.toml's, passed in by CMakeLists.txt
  m.attr("HASH_SEED") = storytrace::kHashSeed;
  m.attr("HASH_VERSION") = storytrace::kHashVersion;
  register_options(m);
  register_text(m);
  register_trace(m);
  register_compare(m);
  register_index(m);
  register_stages(m);
}
