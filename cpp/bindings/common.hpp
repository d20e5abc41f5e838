// Helpers shared by the register_*.cpp files: options, texts and NumPy arrays.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storytrace/common.hpp"
#include "storytrace/credits.hpp"
#include "storytrace/pipeline.hpp"

namespace storytrace::bindings {
namespace py = pybind11;

// A vector handed to NumPy without a copy: the array owns it through a capsule.
template <class T, class A> py::array_t<T> to_numpy(std::vector<T, A> &&v) {
  auto *owned = new std::vector<T, A>(std::move(v));
  py::capsule free_when_done(owned, [](void *p) { delete static_cast<std::vector<T, A> *>(p); });
  return py::array_t<T>({static_cast<py::ssize_t>(owned->size())}, {static_cast<py::ssize_t>(sizeof(T))}, owned->data(),
                        free_when_done);
}

[[noreturn]] inline void throw_not_unicode(const std::string &what) {
  throw py::value_error(what + " is not valid Unicode (it holds a lone surrogate); clean it, for example with "
                               "text.encode('utf-8', 'replace').decode('utf-8')");
}

inline void check_str(py::handle s, const std::string &what) {
  if (!PyUnicode_Check(s.ptr()))
    throw py::type_error(what + " must be a str, not " + std::string(py::str(py::type::of(s).attr("__name__"))));
}

// The UTF-8 bytes of a Python str, valid while the str lives. Raises ValueError for a str that
// cannot be encoded (lone surrogates), naming `what`.
inline std::string_view utf8_view(py::handle s, const std::string &what) {
  check_str(s, what);
  Py_ssize_t size = 0;
  const char *data = PyUnicode_AsUTF8AndSize(s.ptr(), &size);
  if (data == nullptr) {
    PyErr_Clear();
    throw_not_unicode(what);
  }
  return {data, static_cast<std::size_t>(size)};
}

// Document `doc`'s text as the core reads it in place (no copy): ASCII as UTF-8, else its code
// points at the str's own width. Raises for a non-str, and ValueError for a str with lone
// surrogates (not encodable as UTF-8), naming the document. The str must outlive the reference.
inline TextRef text_ref(py::handle s, std::size_t doc) {
  PyObject *o = s.ptr();
#if PY_VERSION_HEX < 0x030C0000
  if (PyUnicode_Check(o) && PyUnicode_READY(o) != 0) throw py::error_already_set();
#endif
  if (PyUnicode_Check(o) && PyUnicode_IS_ASCII(o))
    return TextRef{PyUnicode_DATA(o), static_cast<std::uint64_t>(PyUnicode_GET_LENGTH(o)), 0};
  auto what = [doc] { return "the text of document " + std::to_string(doc); };
  if (!PyUnicode_Check(o)) check_str(s, what());
  const auto n = static_cast<std::size_t>(PyUnicode_GET_LENGTH(o));
  const int kind = PyUnicode_KIND(o);
  const void *data = PyUnicode_DATA(o);
  // Any surrogate (U+D800..U+DFFF) is a lone one: a str holds pairs as one code point. One pass
  // without a branch per character, at the str's width.
  auto any_surrogate = [n](const auto *c) {
    bool any = false;
    for (std::size_t i = 0; i < n; ++i) any |= (c[i] & 0xFFFFF800u) == 0xD800u;
    return any;
  };
  if ((kind == PyUnicode_2BYTE_KIND && any_surrogate(static_cast<const std::uint16_t *>(data))) ||
      (kind == PyUnicode_4BYTE_KIND && any_surrogate(static_cast<const std::uint32_t *>(data))))
    throw_not_unicode(what());
  return TextRef{data, static_cast<std::uint64_t>(n), static_cast<std::uint32_t>(kind)};
}

// Appends the UTF-8 bytes of document `doc`'s text to `out` (errors as text_ref).
inline void append_text(std::string &out, py::handle s, std::size_t doc) { append_utf8(text_ref(s, doc), out); }

inline AliasTable aliases_from(const std::vector<std::pair<std::string, std::string>> &entries) {
  AliasTable t;
  for (const auto &[alias, canonical] : entries) t.add(alias, canonical);
  return t;
}

// Runs `work` with the GIL released and a progress callback that re-acquires it to report to
// `progress` (a Python callable or None) and to check for Ctrl-C between chunks.
template <class F> auto run_released(py::object progress, F &&work) {
  std::unique_ptr<py::error_already_set> error;
  Progress report = [&](std::string_view stage, std::size_t done, std::size_t total) -> bool {
    py::gil_scoped_acquire gil;
    try {
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      if (!progress.is_none()) progress(std::string(stage), done, total);
    } catch (py::error_already_set &e) {
      error = std::make_unique<py::error_already_set>(std::move(e));
      return false;
    }
    return true;
  };
  try {
    py::gil_scoped_release release;
    return work(&report);
  } catch (const Cancelled &) {
    if (error) throw std::move(*error);
    throw py::value_error("cancelled");
  }
}

} // namespace storytrace::bindings
