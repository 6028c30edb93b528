// SPDX-License-Identifier: MIT
// quiverdb._core: nanobind binding of the quiver C++ library (libs/quiver).
//
// The public Python API is re-exported by quiverdb/__init__.py; the stub
// quiverdb/_core.pyi documents the types. Keep the three in step.

#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <nanobind/nanobind.h>
#include <nanobind/stl/filesystem.h>
#include <nanobind/stl/string.h>

#include "quiver/quiver.hpp"

namespace nb = nanobind;
using namespace nb::literals;

namespace {

// ---------------------------------------------------------------- conversions

/// RAII wrapper around a Py_buffer; valid() is false if the object does not
/// export a strided buffer (the Python error is cleared).
class Buffer {
public:
    explicit Buffer(nb::handle obj, int flags) {
        if (PyObject_GetBuffer(obj.ptr(), &view_, flags) == 0) {
            valid_ = true;
        } else {
            PyErr_Clear();
        }
    }
    ~Buffer() {
        if (valid_) PyBuffer_Release(&view_);
    }
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;

    bool valid() const noexcept { return valid_; }
    const Py_buffer& view() const noexcept { return view_; }

    /// 'f' for float32, 'd' for float64, 0 for anything else.
    char float_kind() const noexcept {
        const char* fmt = view_.format ? view_.format : "B";
        // Native ('@', '='), or explicitly little-endian on a little-endian host.
        if (*fmt == '@' || *fmt == '=' || (*fmt == '<' && PY_LITTLE_ENDIAN)) ++fmt;
        if (fmt[0] != '\0' && fmt[1] == '\0') {
            if (fmt[0] == 'f' && view_.itemsize == 4) return 'f';
            if (fmt[0] == 'd' && view_.itemsize == 8) return 'd';
        }
        return 0;
    }

private:
    Py_buffer view_{};
    bool valid_ = false;
};

/// Double to float32 without undefined behaviour: out of range becomes +-inf
/// (which quiver then rejects as non-finite).
float narrow(double d) noexcept {
    if (d > static_cast<double>(FLT_MAX)) return HUGE_VALF;
    if (d < -static_cast<double>(FLT_MAX)) return -HUGE_VALF;
    return static_cast<float>(d);
}

/// Reads element i of a 1-D (or row of a 2-D) float buffer.
float buffer_at(const char* p, char kind) noexcept {
    if (kind == 'f') {
        float f;
        std::memcpy(&f, p, sizeof f);
        return f;
    }
    double d;
    std::memcpy(&d, p, sizeof d);
    return narrow(d);
}

bool is_text_or_bytes(nb::handle obj) {
    return PyUnicode_Check(obj.ptr()) || PyBytes_Check(obj.ptr()) || PyByteArray_Check(obj.ptr());
}

/// Any vector-like Python object -> std::vector<float>: a 1-D buffer of
/// float32/float64 (array.array('f'/'d'), memoryview, numpy array, ...) is
/// read directly; anything else is iterated and each item converted with
/// float(). The length is checked by quiver itself (ValueError).
std::vector<float> to_vector(nb::handle obj, const char* what) {
    if (is_text_or_bytes(obj)) {
        throw nb::type_error((std::string(what) + " must be a sequence of numbers, not " +
                              Py_TYPE(obj.ptr())->tp_name).c_str());
    }
    if (PyObject_CheckBuffer(obj.ptr())) {
        Buffer buf(obj, PyBUF_RECORDS_RO);
        if (buf.valid() && buf.float_kind() != 0) {
            const Py_buffer& v = buf.view();
            if (v.ndim != 1) {
                throw nb::value_error((std::string(what) + " must be 1-dimensional, got " +
                                       std::to_string(v.ndim) + " dimensions").c_str());
            }
            const char kind = buf.float_kind();
            std::vector<float> out(static_cast<std::size_t>(v.shape[0]));
            const char* base = static_cast<const char*>(v.buf);
            for (std::size_t i = 0; i < out.size(); ++i) {
                out[i] = buffer_at(base + static_cast<Py_ssize_t>(i) * v.strides[0], kind);
            }
            return out;
        }
    }
    nb::object seq = nb::steal(PySequence_Fast(obj.ptr(), ""));
    if (!seq.is_valid()) {
        PyErr_Clear();
        throw nb::type_error((std::string(what) + " must be a sequence of numbers, not " +
                              Py_TYPE(obj.ptr())->tp_name).c_str());
    }
    const Py_ssize_t n = PySequence_Fast_GET_SIZE(seq.ptr());
    PyObject** items = PySequence_Fast_ITEMS(seq.ptr());
    std::vector<float> out(static_cast<std::size_t>(n));
    for (Py_ssize_t i = 0; i < n; ++i) {
        const double d = PyFloat_AsDouble(items[i]);
        if (d == -1.0 && PyErr_Occurred()) {
            PyErr_Clear();
            throw nb::type_error((std::string(what) + " item " + std::to_string(i) +
                                  " is not a real number (got " + Py_TYPE(items[i])->tp_name + ")").c_str());
        }
        out[static_cast<std::size_t>(i)] = narrow(d);
    }
    return out;
}

/// Python int (or anything with __index__) -> id. TypeError for non-integers,
/// OverflowError outside [0, 2**64).
quiver::Id to_id(nb::handle obj) {
    nb::object index = nb::steal(PyNumber_Index(obj.ptr()));
    if (!index.is_valid()) {
        PyErr_Clear();
        throw nb::type_error((std::string("ids must be integers, not ") + Py_TYPE(obj.ptr())->tp_name).c_str());
    }
    const unsigned long long value = PyLong_AsUnsignedLongLong(index.ptr());
    if (value == static_cast<unsigned long long>(-1) && PyErr_Occurred()) {
        PyErr_Clear();
        PyErr_Format(PyExc_OverflowError, "id %R is out of range: ids must be in [0, 2**64)", index.ptr());
        throw nb::python_error();
    }
    return static_cast<quiver::Id>(value);
}

/// Like to_id, but reports "not a valid id" instead of raising.
bool try_id(nb::handle obj, quiver::Id& out) {
    nb::object index = nb::steal(PyNumber_Index(obj.ptr()));
    if (!index.is_valid()) {
        PyErr_Clear();
        return false;
    }
    const unsigned long long value = PyLong_AsUnsignedLongLong(index.ptr());
    if (value == static_cast<unsigned long long>(-1) && PyErr_Occurred()) {
        PyErr_Clear();
        return false;
    }
    out = static_cast<quiver::Id>(value);
    return true;
}

nb::list to_list(const std::vector<float>& v) {
    nb::list out;
    for (const float f : v) out.append(static_cast<double>(f));
    return out;
}

// ------------------------------------------------------------ the operations

void add_many(quiver::Index& index, nb::handle ids_obj, nb::handle vectors_obj) {
    if (is_text_or_bytes(ids_obj)) throw nb::type_error("ids must be a sequence of integers");
    nb::object ids_seq = nb::steal(PySequence_Fast(ids_obj.ptr(), ""));
    if (!ids_seq.is_valid()) {
        PyErr_Clear();
        throw nb::type_error("ids must be a sequence of integers");
    }
    const auto count = static_cast<std::size_t>(PySequence_Fast_GET_SIZE(ids_seq.ptr()));
    std::vector<quiver::Id> ids(count);
    for (std::size_t i = 0; i < count; ++i) {
        ids[i] = to_id(PySequence_Fast_GET_ITEM(ids_seq.ptr(), static_cast<Py_ssize_t>(i)));
    }

    const std::size_t dim = index.dim();
    std::vector<float> values;
    bool done = false;
    if (!is_text_or_bytes(vectors_obj) && PyObject_CheckBuffer(vectors_obj.ptr())) {
        Buffer buf(vectors_obj, PyBUF_RECORDS_RO);
        if (buf.valid() && buf.float_kind() != 0) {
            const Py_buffer& v = buf.view();
            if (v.ndim != 2) {
                throw nb::value_error(("vectors must be 2-dimensional (count, dim), got " +
                                       std::to_string(v.ndim) + " dimensions").c_str());
            }
            const auto rows = static_cast<std::size_t>(v.shape[0]);
            const auto cols = static_cast<std::size_t>(v.shape[1]);
            if (rows != count) {
                throw nb::value_error(("got " + std::to_string(count) + " ids but " +
                                       std::to_string(rows) + " vectors").c_str());
            }
            if (cols != dim) {
                throw nb::value_error(("vectors have dimension " + std::to_string(cols) +
                                       ", index has dimension " + std::to_string(dim)).c_str());
            }
            const char kind = buf.float_kind();
            values.resize(rows * cols);
            const char* base = static_cast<const char*>(v.buf);
            for (std::size_t r = 0; r < rows; ++r) {
                for (std::size_t c = 0; c < cols; ++c) {
                    values[r * cols + c] = buffer_at(base + static_cast<Py_ssize_t>(r) * v.strides[0] +
                                                         static_cast<Py_ssize_t>(c) * v.strides[1],
                                                     kind);
                }
            }
            done = true;
        }
    }
    if (!done) {
        if (is_text_or_bytes(vectors_obj)) throw nb::type_error("vectors must be a sequence of vectors");
        nb::object vec_seq = nb::steal(PySequence_Fast(vectors_obj.ptr(), ""));
        if (!vec_seq.is_valid()) {
            PyErr_Clear();
            throw nb::type_error("vectors must be a sequence of vectors");
        }
        const auto rows = static_cast<std::size_t>(PySequence_Fast_GET_SIZE(vec_seq.ptr()));
        if (rows != count) {
            throw nb::value_error(("got " + std::to_string(count) + " ids but " +
                                   std::to_string(rows) + " vectors").c_str());
        }
        values.reserve(rows * dim);
        for (std::size_t r = 0; r < rows; ++r) {
            const std::vector<float> row =
                to_vector(PySequence_Fast_GET_ITEM(vec_seq.ptr(), static_cast<Py_ssize_t>(r)), "vector");
            if (row.size() != dim) {
                throw nb::value_error(("vector " + std::to_string(r) + " has dimension " +
                                       std::to_string(row.size()) + ", index has dimension " +
                                       std::to_string(dim)).c_str());
            }
            values.insert(values.end(), row.begin(), row.end());
        }
    }
    index.add_batch(ids.data(), count, values.data(), values.size());
}

nb::list search(const quiver::Index& index, nb::handle query, std::int64_t k) {
    if (k < 0) throw nb::value_error("k must be >= 0");
    const std::vector<float> q = to_vector(query, "query");
    const auto results = index.search(q, static_cast<std::size_t>(k));
    nb::list out;
    for (const auto& r : results) out.append(nb::make_tuple(r.id, r.score));
    return out;
}

quiver::Index from_bytes(nb::handle data) {
    if (PyUnicode_Check(data.ptr())) throw nb::type_error("from_bytes() needs a bytes-like object, not str");
    Buffer buf(data, PyBUF_SIMPLE);
    if (!buf.valid()) {
        throw nb::type_error((std::string("from_bytes() needs a bytes-like object, not ") +
                              Py_TYPE(data.ptr())->tp_name).c_str());
    }
    const Py_buffer& v = buf.view();
    return quiver::Index::deserialize(
        std::string_view(static_cast<const char*>(v.buf), static_cast<std::size_t>(v.len)));
}

nb::bytes to_bytes(const quiver::Index& index) {
    const std::string data = index.serialize();
    return nb::bytes(data.data(), data.size());
}

std::string repr(const quiver::Index& index) {
    return "quiverdb.Index(dim=" + std::to_string(index.dim()) + ", metric='" +
           std::string(quiver::to_string(index.metric())) + "', size=" + std::to_string(index.size()) + ")";
}

// ---------------------------------------------------------------- exceptions

PyObject* path_to_str(const std::filesystem::path& path) {
#ifdef _WIN32
    const std::wstring& s = path.native();
    return PyUnicode_FromWideChar(s.c_str(), static_cast<Py_ssize_t>(s.size()));
#else
    const std::string& s = path.native();
    return PyUnicode_DecodeFSDefaultAndSize(s.c_str(), static_cast<Py_ssize_t>(s.size()));
#endif
}

/// quiver::IoError -> OSError(errno, strerror, filename); Python picks the
/// subclass from errno (FileNotFoundError, PermissionError, IsADirectoryError...).
void translate_io_error(const std::exception_ptr& p, void*) {
    try {
        std::rethrow_exception(p);
    } catch (const quiver::IoError& e) {
        const std::error_condition cond = e.code().default_error_condition();
        const int err = cond.category() == std::generic_category() ? cond.value() : EIO;
        const std::string message = std::error_code(err, std::generic_category()).message();
        nb::object filename = e.path().empty() ? nb::none() : nb::steal(path_to_str(e.path()));
        if (!filename.is_valid()) {
            PyErr_Clear();
            filename = nb::none();
        }
        nb::object exc = nb::steal(
            PyObject_CallFunction(PyExc_OSError, "isO", err, message.c_str(), filename.ptr()));
        if (!exc.is_valid()) return;  // the call's own error is set
        PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
    }
}

/// quiver::NotFoundError -> KeyError(id), like a dict.
void translate_not_found(const std::exception_ptr& p, void*) {
    try {
        std::rethrow_exception(p);
    } catch (const quiver::NotFoundError& e) {
        nb::object key = nb::steal(PyLong_FromUnsignedLongLong(e.id()));
        PyErr_SetObject(PyExc_KeyError, key.ptr());
    }
}

}  // namespace

NB_MODULE(_core, m) {
    m.doc() = "Native core of quiverdb (binding of the quiver C++ library). Use the quiverdb package.";
    m.attr("__cpp_version__") = quiver::version();

    // Exceptions. nanobind tries the most recently registered translator
    // first, so base classes are registered before their subclasses.
    nb::exception<quiver::FileFormatError> file_format_error(m, "FileFormatError", PyExc_ValueError);
    file_format_error.attr("__doc__") = "The data is not a valid quiver index file (base class).";
    nb::exception<quiver::CorruptFileError> corrupt(m, "CorruptFileError", file_format_error);
    corrupt.attr("__doc__") =
        "The file is a quiver index but its content is damaged (checksum mismatch, impossible "
        "header values, trailing bytes, ...).";
    nb::exception<quiver::TruncatedFileError> truncated(m, "TruncatedFileError", corrupt);
    truncated.attr("__doc__") = "The file ends before the data its header announces.";
    nb::exception<quiver::BadMagicError> bad_magic(m, "BadMagicError", file_format_error);
    bad_magic.attr("__doc__") = "The data does not start with the quiver magic bytes: not an index file.";
    nb::exception<quiver::UnsupportedVersionError> unsupported(m, "UnsupportedVersionError", file_format_error);
    unsupported.attr("__doc__") = "The file is a quiver index of a format version this build cannot read.";
    nb::exception<quiver::DuplicateIdError> duplicate(m, "DuplicateIdError", PyExc_ValueError);
    duplicate.attr("__doc__") = "add() or add_many() was given an id that is already in the index.";
    nb::register_exception_translator(&translate_io_error);
    nb::register_exception_translator(&translate_not_found);

    nb::class_<quiver::Index> cls(m, "Index",
        "An in-memory index of float32 vectors with exact k-nearest-neighbour search.\n\n"
        "Every vector has ``dim`` components and a unique integer id in [0, 2**64).\n"
        "Vectors may be any sequence of numbers (list, tuple, ...) or an object\n"
        "exporting a 1-D float32/float64 buffer (array.array, memoryview, numpy).\n\n"
        "Metrics and the score returned by :meth:`search`:\n\n"
        "* ``'l2'``: squared Euclidean distance, smallest first;\n"
        "* ``'ip'``: inner (dot) product, largest first;\n"
        "* ``'cosine'``: cosine similarity in [-1, 1], largest first\n"
        "  (zero vectors are rejected).\n\n"
        "Ties are broken by ascending id, so results are deterministic.\n"
        "Values must be finite; scores are computed in double precision.\n"
        "The index is not synchronised: don't mutate it from one thread while\n"
        "another uses it.");

    cls.def(
           "__init__",
           [](quiver::Index* self, std::int64_t dim, const std::string& metric) {
               if (dim < 1) throw nb::value_error("dim must be a positive integer");
               new (self) quiver::Index(static_cast<std::size_t>(dim), quiver::metric_from_string(metric));
           },
           "dim"_a, "metric"_a = "l2",
           nb::sig("def __init__(self, dim: int, metric: str = 'l2') -> None"),
           "Create an empty index of ``dim``-dimensional vectors.\n\n"
           "``metric`` is ``'l2'``, ``'ip'`` or ``'cosine'``; anything else raises ValueError.")
        .def_prop_ro("dim", &quiver::Index::dim, "Number of components of every vector.")
        .def_prop_ro(
            "metric", [](const quiver::Index& i) { return std::string(quiver::to_string(i.metric())); },
            "The metric name: ``'l2'``, ``'ip'`` or ``'cosine'``.")
        .def("__len__", &quiver::Index::size, "Number of vectors in the index.")
        .def(
            "__contains__",
            [](const quiver::Index& index, nb::handle id) {
                quiver::Id value;
                return try_id(id, value) && index.contains(value);
            },
            "id"_a.none(), nb::sig("def __contains__(self, id: object) -> bool"),
            "True if a vector with this id is in the index (False for non-integers).")
        .def(
            "__iter__",
            [](const quiver::Index& index) {
                nb::list ids;
                for (const quiver::Id id : index.ids()) ids.append(id);
                return nb::iter(ids);
            },
            nb::sig("def __iter__(self) -> collections.abc.Iterator[int]"),
            "Iterate over a snapshot of the ids, in storage order.")
        .def("__repr__", &repr)
        .def(
            "add",
            [](quiver::Index& index, nb::handle id, nb::handle vector) {
                const quiver::Id key = to_id(id);
                const std::vector<float> v = to_vector(vector, "vector");
                index.add(key, v);
            },
            "id"_a.none(), "vector"_a.none(),
            nb::sig("def add(self, id: int, vector: quiverdb.VectorLike) -> None"),
            "Add ``vector`` under ``id``.\n\n"
            "Raises DuplicateIdError (a ValueError) if ``id`` is already present (see\n"
            ":meth:`upsert`), ValueError for a wrong dimension, a non-finite value or\n"
            "(cosine) the zero vector, TypeError for a non-numeric vector or id, and\n"
            "OverflowError for an id outside [0, 2**64).")
        .def(
            "upsert",
            [](quiver::Index& index, nb::handle id, nb::handle vector) {
                const quiver::Id key = to_id(id);
                const std::vector<float> v = to_vector(vector, "vector");
                return index.upsert(key, v);
            },
            "id"_a.none(), "vector"_a.none(),
            nb::sig("def upsert(self, id: int, vector: quiverdb.VectorLike) -> bool"),
            "Add ``vector`` under ``id``, replacing any existing vector.\n\n"
            "Returns True if a vector was replaced. Errors as for :meth:`add`.")
        .def("add_many", &add_many, "ids"_a.none(), "vectors"_a.none(),
             nb::sig("def add_many(self, ids: collections.abc.Sequence[int], "
                     "vectors: collections.abc.Sequence[quiverdb.VectorLike] | quiverdb.Buffer) -> None"),
             "Add several vectors at once: all or nothing.\n\n"
             "``vectors`` is a sequence of vectors, or a 2-D float32/float64 buffer of\n"
             "shape (len(ids), dim). If any id is already present or repeated\n"
             "(DuplicateIdError) or any vector is invalid (ValueError), nothing is added.")
        .def(
            "remove", [](quiver::Index& index, nb::handle id) { index.remove(to_id(id)); }, "id"_a.none(),
            nb::sig("def remove(self, id: int) -> None"),
            "Remove the vector with this id. Raises KeyError if there is none.")
        .def(
            "get", [](const quiver::Index& index, nb::handle id) { return to_list(index.get(to_id(id))); },
            "id"_a.none(), nb::sig("def get(self, id: int) -> list[float]"),
            "The stored vector (float32 values as Python floats). Raises KeyError if absent.")
        .def(
            "ids",
            [](const quiver::Index& index) {
                nb::list ids;
                for (const quiver::Id id : index.ids()) ids.append(id);
                return ids;
            },
            nb::sig("def ids(self) -> list[int]"), "All ids, in storage order.")
        .def("clear", &quiver::Index::clear, "Remove every vector.")
        .def("search", &search, "vector"_a.none(), "k"_a,
             nb::sig("def search(self, vector: quiverdb.VectorLike, k: int) -> list[tuple[int, float]]"),
             "The ``k`` nearest vectors to ``vector`` as ``(id, score)`` pairs, best first.\n\n"
             "Returns min(k, len(self)) pairs; ties are broken by ascending id. See the class\n"
             "docstring for what the score is. Raises ValueError for a wrong dimension, a\n"
             "non-finite value, (cosine) the zero vector, or a negative ``k``.")
        .def("save", nb::overload_cast<const std::filesystem::path&>(&quiver::Index::save, nb::const_),
             "path"_a, nb::sig("def save(self, path: str | os.PathLike[str]) -> None"),
             "Write the index to ``path`` (a versioned, checksummed binary file).\n\n"
             "The data goes to a temporary file next to ``path`` that then replaces\n"
             "``path``, so an existing file is never left half-written. Raises OSError\n"
             "(e.g. FileNotFoundError if the directory does not exist).")
        .def_static("load", nb::overload_cast<const std::filesystem::path&>(&quiver::Index::load),
                    "path"_a, nb::sig("def load(path: str | os.PathLike[str]) -> Index"),
                    "Read an index written by :meth:`save`.\n\n"
                    "Raises FileNotFoundError / OSError if the file cannot be read,\n"
                    "CorruptFileError (TruncatedFileError if it is cut short),\n"
                    "BadMagicError if it is not a quiver index and UnsupportedVersionError\n"
                    "for a newer format; all four are FileFormatError, a ValueError.")
        .def("to_bytes", &to_bytes, nb::sig("def to_bytes(self) -> bytes"),
             "The index in the file format of :meth:`save`, as bytes.")
        .def_static("from_bytes", &from_bytes, "data"_a.none(),
                    nb::sig("def from_bytes(data: quiverdb.Buffer) -> Index"),
                    "Rebuild an index from :meth:`to_bytes` output. Errors as for :meth:`load`.")
        .def("__getstate__", &to_bytes)
        .def(
            "__setstate__",
            [](quiver::Index& self, nb::handle state) { new (&self) quiver::Index(from_bytes(state)); },
            "state"_a.none());
}
