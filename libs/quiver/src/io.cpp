// SPDX-License-Identifier: MIT
// Reading and writing the format described in quiver/format.hpp.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <istream>
#include <limits>
#include <optional>
#include <ostream>
#include <sstream>
#include <streambuf>
#include <string>

#include "quiver/format.hpp"
#include "quiver/index.hpp"

namespace quiver {

static_assert(std::numeric_limits<float>::is_iec559 && sizeof(float) == 4,
              "quiver's file format needs IEEE-754 binary32 floats");

struct Index::LoadLimits {
    bool exact_end = false;                   // data must end right after the checksum
    std::optional<std::uint64_t> total_size;  // size of the data, if known up front
};

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kChunkBytes = std::size_t{1} << 20;

void put_u32(unsigned char* p, std::uint32_t v) noexcept {
    for (int i = 0; i < 4; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}
void put_u64(unsigned char* p, std::uint64_t v) noexcept {
    for (int i = 0; i < 8; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}
std::uint32_t get_u32(const unsigned char* p) noexcept {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}
std::uint64_t get_u64(const unsigned char* p) noexcept {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}
void put_f32(unsigned char* p, float f) noexcept {
    std::uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    put_u32(p, bits);
}
float get_f32(const unsigned char* p) noexcept {
    const std::uint32_t bits = get_u32(p);
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

// The error of the last failed open, as precisely as the platform tells.
std::error_code last_open_error(const fs::path& path, int saved_errno) {
    if (saved_errno != 0) {
        return {saved_errno, std::generic_category()};
    }
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (!fs::exists(st)) {
        return std::make_error_code(std::errc::no_such_file_or_directory);
    }
    if (fs::is_directory(st)) {
        return std::make_error_code(std::errc::is_a_directory);
    }
    return std::make_error_code(std::errc::io_error);
}

// UTF-8 text of a path; u8string() is std::string in C++17, std::u8string in C++20.
std::string utf8(const fs::path& path) {
    const auto s = path.u8string();
    return std::string(s.begin(), s.end());
}

std::string describe(const char* action, const fs::path& path) {
    return std::string("quiver: cannot ") + action + " '" + utf8(path) + "'";
}

class Writer {
public:
    explicit Writer(std::ostream& out) : out_(out) {}
    void write(const unsigned char* p, std::size_t n) {
        out_.write(reinterpret_cast<const char*>(p), static_cast<std::streamsize>(n));
        crc_ = format::crc32(p, n, crc_);
    }
    void finish() {
        unsigned char tail[format::kChecksumSize];
        put_u32(tail, crc_);
        out_.write(reinterpret_cast<const char*>(tail), sizeof tail);
        out_.flush();
        if (!out_) {
            throw IoError(std::make_error_code(std::errc::io_error),
                          "quiver: failed to write index data", {});
        }
    }

private:
    std::ostream& out_;
    std::uint32_t crc_ = 0;
};

class Reader {
public:
    explicit Reader(std::istream& in) : in_(in) {}

    // Reads up to n bytes; returns how many were read (fewer only at end of data).
    std::size_t read_some(unsigned char* p, std::size_t n) {
        in_.read(reinterpret_cast<char*>(p), static_cast<std::streamsize>(n));
        if (in_.bad()) {
            throw IoError(std::make_error_code(std::errc::io_error),
                          "quiver: failed to read index data", {});
        }
        const auto got = static_cast<std::size_t>(in_.gcount());
        crc_ = format::crc32(p, got, crc_);
        return got;
    }
    void read_exact(unsigned char* p, std::size_t n, const char* what) {
        if (read_some(p, n) != n) {
            throw TruncatedFileError(std::string("quiver: index data is truncated (ends inside the ") +
                                     what + ")");
        }
    }
    std::uint32_t crc() const noexcept { return crc_; }

private:
    std::istream& in_;
    std::uint32_t crc_ = 0;
};

// Read-only streambuf over memory, so deserialize() needs no copy.
class MemoryBuf : public std::streambuf {
public:
    MemoryBuf(const char* data, std::size_t size) {
        char* p = const_cast<char*>(data);  // never written through: no put area
        setg(p, p, p + size);
    }
};

}  // namespace

void Index::save(std::ostream& out) const {
    Writer w(out);
    unsigned char header[format::kHeaderSize];
    std::memcpy(header, format::kMagic.data(), format::kMagic.size());
    put_u32(header + 8, format::kVersion);
    put_u32(header + 12, static_cast<std::uint32_t>(metric_));
    put_u64(header + 16, static_cast<std::uint64_t>(dim_));
    put_u64(header + 24, static_cast<std::uint64_t>(ids_.size()));
    w.write(header, sizeof header);

    const std::size_t record = 8 + 4 * dim_;
    const std::size_t per_chunk = std::max<std::size_t>(1, kChunkBytes / record);
    std::vector<unsigned char> buf(std::min(per_chunk, std::max<std::size_t>(1, ids_.size())) * record);
    for (std::size_t start = 0; start < ids_.size(); start += per_chunk) {
        const std::size_t end = std::min(ids_.size(), start + per_chunk);
        unsigned char* p = buf.data();
        for (std::size_t row = start; row < end; ++row) {
            put_u64(p, ids_[row]);
            p += 8;
            const float* v = data_.data() + row * dim_;
            for (std::size_t j = 0; j < dim_; ++j, p += 4) put_f32(p, v[j]);
        }
        w.write(buf.data(), static_cast<std::size_t>(p - buf.data()));
    }
    w.finish();
}

std::string Index::serialize() const {
    std::ostringstream out(std::ios::out | std::ios::binary);
    save(out);
    return std::move(out).str();
}

void Index::save(const fs::path& path) const {
    fs::path tmp = path;
    tmp += ".quiver-tmp";
    {
        errno = 0;
        std::ofstream out(tmp, std::ios::out | std::ios::binary | std::ios::trunc);
        if (!out) {
            const int saved = errno;
            throw IoError(last_open_error(tmp, saved), describe("open for writing", path), path);
        }
        const auto discard_tmp = [&out, &tmp] {
            out.close();
            std::error_code ignored;
            fs::remove(tmp, ignored);
        };
        try {
            save(out);
            out.close();
            if (!out) {
                throw IoError(std::make_error_code(std::errc::io_error), describe("write", path), path);
            }
        } catch (const IoError& e) {
            discard_tmp();
            if (e.path().empty()) {
                throw IoError(e.code(), describe("write", path), path);
            }
            throw;
        } catch (...) {
            discard_tmp();
            throw;
        }
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        throw IoError(ec, describe("replace", path), path);
    }
}

Index Index::load(std::istream& in) { return load_impl(in, LoadLimits{}); }

Index Index::deserialize(std::string_view bytes) {
    MemoryBuf buf(bytes.data(), bytes.size());
    std::istream in(&buf);
    LoadLimits limits;
    limits.exact_end = true;
    limits.total_size = bytes.size();
    return load_impl(in, limits);
}

Index Index::load(const fs::path& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        throw IoError(std::make_error_code(std::errc::is_a_directory), describe("read", path), path);
    }
    errno = 0;
    std::ifstream in(path, std::ios::in | std::ios::binary);
    if (!in) {
        const int saved = errno;
        throw IoError(last_open_error(path, saved), describe("open", path), path);
    }
    LoadLimits limits;
    limits.exact_end = true;
    const std::uintmax_t size = fs::file_size(path, ec);
    if (!ec) {
        limits.total_size = static_cast<std::uint64_t>(size);
    }
    try {
        return load_impl(in, limits);
    } catch (const IoError& e) {
        throw IoError(e.code(), describe("read", path), path);
    }
}

Index Index::load_impl(std::istream& in, const LoadLimits& limits) {
    Reader r(in);

    unsigned char header[format::kHeaderSize];
    const std::size_t got = r.read_some(header, format::kMagic.size());
    if (std::memcmp(header, format::kMagic.data(), got) != 0) {
        throw BadMagicError();
    }
    if (got < format::kMagic.size()) {
        throw TruncatedFileError(got == 0 ? "quiver: index data is empty"
                                          : "quiver: index data is truncated (ends inside the magic bytes)");
    }
    r.read_exact(header + 8, 4, "header");
    const std::uint32_t version = get_u32(header + 8);
    if (version != format::kVersion) {
        throw UnsupportedVersionError(version);
    }
    r.read_exact(header + 12, format::kHeaderSize - 12, "header");
    const std::uint32_t metric = get_u32(header + 12);
    const std::uint64_t dim64 = get_u64(header + 16);
    const std::uint64_t count64 = get_u64(header + 24);
    if (!is_valid_metric(metric)) {
        throw CorruptFileError("quiver: corrupt index: unknown metric value " + std::to_string(metric));
    }
    constexpr std::uint64_t u64max = std::numeric_limits<std::uint64_t>::max();
    if (dim64 == 0 || dim64 > (u64max - 8) / 4 ||
        dim64 > std::numeric_limits<std::size_t>::max() / 4) {
        throw CorruptFileError("quiver: corrupt index: invalid dimension " + std::to_string(dim64));
    }
    const std::uint64_t record64 = 8 + 4 * dim64;
    const std::uint64_t overhead = format::kHeaderSize + format::kChecksumSize;
    if (count64 > (u64max - overhead) / record64) {
        throw CorruptFileError("quiver: corrupt index: impossible vector count " + std::to_string(count64));
    }
    const std::uint64_t expected = overhead + count64 * record64;
    if (limits.total_size) {
        if (*limits.total_size < expected) {
            throw TruncatedFileError("quiver: index data is truncated: " + std::to_string(*limits.total_size) +
                                     " bytes, header announces " + std::to_string(expected));
        }
        if (limits.exact_end && *limits.total_size > expected) {
            throw CorruptFileError("quiver: corrupt index: " +
                                   std::to_string(*limits.total_size - expected) +
                                   " unexpected bytes after the end of the index");
        }
    }

    const auto dim = static_cast<std::size_t>(dim64);
    const auto record = static_cast<std::size_t>(record64);
    Index index(dim, static_cast<Metric>(metric));
    // Don't trust `count` for allocation unless the data size confirmed it.
    const std::uint64_t reserve_cap = limits.total_size ? count64 : std::max<std::uint64_t>(1, (64u << 20) / record64);
    index.reserve(static_cast<std::size_t>(std::min(count64, reserve_cap)));

    const std::uint64_t per_chunk = std::max<std::uint64_t>(1, kChunkBytes / record64);
    std::vector<unsigned char> buf(static_cast<std::size_t>(std::min(per_chunk, std::max<std::uint64_t>(1, count64))) * record);
    for (std::uint64_t start = 0; start < count64; start += per_chunk) {
        const auto n = static_cast<std::size_t>(std::min(per_chunk, count64 - start));
        r.read_exact(buf.data(), n * record, "vector records");
        const unsigned char* p = buf.data();
        for (std::size_t i = 0; i < n; ++i) {
            index.ids_.push_back(get_u64(p));
            p += 8;
            for (std::size_t j = 0; j < dim; ++j, p += 4) index.data_.push_back(get_f32(p));
        }
    }

    const std::uint32_t computed = r.crc();
    unsigned char tail[format::kChecksumSize];
    r.read_exact(tail, sizeof tail, "checksum");
    const std::uint32_t stored = get_u32(tail);
    if (stored != computed) {
        throw CorruptFileError("quiver: corrupt index: checksum mismatch");
    }
    if (limits.exact_end && in.peek() != std::char_traits<char>::eof()) {
        throw CorruptFileError("quiver: corrupt index: unexpected bytes after the end of the index");
    }

    // The checksum matched; now the content must satisfy the Index invariants.
    const std::size_t count = index.ids_.size();
    index.norms_.reserve(count);
    index.rows_.reserve(count);
    for (std::size_t row = 0; row < count; ++row) {
        const Id id = index.ids_[row];
        const float* v = index.data_.data() + row * dim;
        for (std::size_t j = 0; j < dim; ++j) {
            if (!std::isfinite(v[j])) {
                throw CorruptFileError("quiver: corrupt index: vector " + std::to_string(id) +
                                       " has a non-finite component");
            }
        }
        const double norm = index.norm_of(v);
        if (index.metric_ == Metric::Cosine && norm == 0.0) {
            throw CorruptFileError("quiver: corrupt index: vector " + std::to_string(id) +
                                   " is the zero vector in a cosine index");
        }
        if (!index.rows_.emplace(id, row).second) {
            throw CorruptFileError("quiver: corrupt index: duplicate id " + std::to_string(id));
        }
        index.norms_.push_back(norm);
    }
    return index;
}

}  // namespace quiver
