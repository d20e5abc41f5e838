// The options of trace, compare and the index, bound once from the core's table (options.hpp):
// the Python layer's Options subclasses TraceOptions, and its defaults, checks, command-line flags
// and docstrings come from OPTIONS.
#include "common.hpp"

namespace py = pybind11;
using namespace storytrace;
using namespace storytrace::bindings;

namespace {

std::string type_name(py::handle value) { return py::str(py::type::of(value).attr("__name__")); }

// A Python value as the OptionValue of its option, or a TypeError / ValueError naming the option.
OptionValue option_value(const OptionSpec &s, py::handle value) {
  const std::string name(s.name);
  PyObject *o = value.ptr();
  const bool is_bool = PyBool_Check(o) || py::isinstance(value, py::module_::import("numpy").attr("bool_"));
  switch (s.type) {
  case OptionType::Bool:
    if (is_bool) return value.cast<bool>();
    if (PyIndex_Check(o)) {
      const py::int_ i = py::reinterpret_steal<py::int_>(PyNumber_Index(o));
      if (i.equal(py::int_(0)) || i.equal(py::int_(1))) return i.equal(py::int_(1));
    }
    throw py::type_error(name + " must be True or False, not " + std::string(py::repr(value)));
  case OptionType::Int: {
    if (is_bool || !PyIndex_Check(o)) throw py::type_error(name + " must be an int, not " + type_name(value));
    const py::int_ i = py::reinterpret_steal<py::int_>(PyNumber_Index(o));
    int overflow = 0;
    const long long v = PyLong_AsLongLongAndOverflow(i.ptr(), &overflow);
    if (overflow != 0) throw py::value_error(range_message(s, std::string(py::str(i)), overflow > 0));
    return static_cast<std::int64_t>(v);
  }
  case OptionType::Real:
    if (is_bool || PyUnicode_Check(o) || !(PyFloat_Check(o) || PyIndex_Check(o) || PyNumber_Check(o)))
      throw py::type_error(name + " must be a number, not " + type_name(value));
    return py::cast<double>(py::reinterpret_steal<py::object>(PyNumber_Float(o)));
  }
  throw py::type_error(name + ": unknown option type");
}

py::object option_attr(const TraceOptions &o, const OptionSpec &s) {
  switch (s.type) {
  case OptionType::Int: return py::int_(o.*std::get<std::size_t TraceOptions::*>(s.field));
  case OptionType::Real: return py::float_(o.*std::get<double TraceOptions::*>(s.field));
  case OptionType::Bool: return py::bool_(o.*std::get<bool TraceOptions::*>(s.field));
  }
  return py::none();
}

py::object number_or_none(const OptionSpec &s, double x) {
  if (s.type == OptionType::Bool) return py::none();
  if (s.type == OptionType::Int)
    return x >= 9.2e18 ? py::object(py::none()) : py::object(py::int_(static_cast<long long>(x)));
  return py::float_(x);
}

} // namespace

void register_options(py::module_ &m) {
  py::class_<TraceOptions> cls(m, "TraceOptions",
                               "The options of trace, compare and Index, checked by the core (see OPTIONS).");
  cls.def(py::init([](const py::kwargs &kwargs) {
       std::vector<std::pair<std::string, OptionValue>> given;
       for (auto [key, value] : kwargs) {
         const std::string name = py::str(key);
         const OptionSpec *s = find_option(name);
         if (s == nullptr) throw py::value_error("unknown option " + name);
         given.emplace_back(name, option_value(*s, value));
       }
       return make_options(given);
     }))
      .def("as_dict", [](const TraceOptions &o) {
        py::dict d;
        for (const OptionSpec &s : option_specs()) d[py::str(std::string(s.name))] = option_attr(o, s);
        return d;
      });
  for (const OptionSpec &s : option_specs())
    cls.def_property_readonly(std::string(s.name).c_str(), [&s](const TraceOptions &o) { return option_attr(o, s); });

  const TraceOptions defaults;
  py::list specs;
  for (const OptionSpec &s : option_specs()) {
    py::dict d;
    d["name"] = std::string(s.name);
    d["type"] = s.type == OptionType::Int ? "int" : s.type == OptionType::Real ? "float" : "bool";
    d["default"] = option_attr(defaults, s);
    d["minimum"] = number_or_none(s, s.minimum);
    d["maximum"] = number_or_none(s, s.maximum);
    d["above_minimum"] = s.above_minimum;
    py::list used;
    if (s.used_by & kForTrace) used.append("trace");
    if (s.used_by & kForCompare) used.append("compare");
    if (s.used_by & kForIndex) used.append("index");
    d["used_by"] = used;
    d["aligns"] = s.aligns;
    d["tunes"] = s.tunes;
    d["help"] = std::string(s.help);
    d["doc"] = std::string(s.doc);
    specs.append(d);
  }
  m.attr("OPTIONS") = specs;
}
