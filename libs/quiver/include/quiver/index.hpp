// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "quiver/errors.hpp"
#include "quiver/metric.hpp"

namespace quiver {

/// One search hit. See Metric for what `score` means.
struct SearchResult {
    Id id;
    double score;

    friend bool operator==(const SearchResult& a, const SearchResult& b) noexcept {
        return a.id == b.id && a.score == b.score;
    }
    friend bool operator!=(const SearchResult& a, const SearchResult& b) noexcept {
        return !(a == b);
    }
};

/// An in-memory index of float32 vectors of one fixed dimension, each under a
/// unique 64-bit id, with exact (brute-force) k-nearest-neighbour search.
///
/// Semantics:
///  * Vectors must have exactly dim() components, all finite; with
///    Metric::Cosine they must also be non-zero. Otherwise
///    std::invalid_argument is thrown and the index is unchanged.
///  * add() rejects an id that is already present with DuplicateIdError;
///    upsert() replaces the stored vector instead.
///  * search() returns min(k, size()) results, best first. Ties on score are
///    broken by ascending id, so results are fully deterministic.
///  * Scores are accumulated in double precision.
///  * Every mutating operation gives the strong exception guarantee.
///  * Not internally synchronised: concurrent const calls are safe, a
///    mutating call needs exclusive access.
class Index {
public:
    /// Throws std::invalid_argument if dim == 0.
    explicit Index(std::size_t dim, Metric metric = Metric::L2);

    std::size_t dim() const noexcept { return dim_; }
    Metric metric() const noexcept { return metric_; }
    std::size_t size() const noexcept { return ids_.size(); }
    bool empty() const noexcept { return ids_.empty(); }
    bool contains(Id id) const noexcept;

    /// Adds a vector. Throws DuplicateIdError if `id` is present,
    /// std::invalid_argument for a bad vector (see class comment).
    void add(Id id, const float* vector, std::size_t size);
    void add(Id id, const std::vector<float>& vector) { add(id, vector.data(), vector.size()); }

    /// Adds or replaces. Returns true if an existing vector was replaced.
    bool upsert(Id id, const float* vector, std::size_t size);
    bool upsert(Id id, const std::vector<float>& vector) { return upsert(id, vector.data(), vector.size()); }

    /// Adds `count` vectors stored row-major in `vectors` (values_size must be
    /// count * dim()). All or nothing: if any id is duplicated (within the
    /// batch or with the index) or any vector is invalid, throws and adds none.
    void add_batch(const Id* ids, std::size_t count, const float* vectors, std::size_t values_size);

    /// Removes the vector with this id; throws NotFoundError if absent.
    void remove(Id id);

    /// Copy of the stored vector; throws NotFoundError if absent.
    std::vector<float> get(Id id) const;

    /// All ids, in storage order (unspecified but deterministic).
    std::vector<Id> ids() const { return ids_; }

    void clear() noexcept;
    void reserve(std::size_t count);

    /// The min(k, size()) best matches for `query`, best first, ties by
    /// ascending id. Throws std::invalid_argument for a bad query vector.
    std::vector<SearchResult> search(const float* query, std::size_t size, std::size_t k) const;
    std::vector<SearchResult> search(const std::vector<float>& query, std::size_t k) const {
        return search(query.data(), query.size(), k);
    }

    /// Writes the index in the format of quiver/format.hpp. The path variant
    /// writes a temporary file next to `path` and renames it over `path`,
    /// so an existing file is never left half-written. Throws IoError.
    void save(const std::filesystem::path& path) const;
    void save(std::ostream& out) const;
    std::string serialize() const;

    /// Reads an index. Throws BadMagicError, UnsupportedVersionError,
    /// CorruptFileError, TruncatedFileError (a CorruptFileError), and IoError
    /// (path variant: cannot open/read). The path and bytes variants require
    /// the data to end exactly after the checksum; the stream variant reads one
    /// index and leaves the stream positioned after it.
    static Index load(const std::filesystem::path& path);
    static Index load(std::istream& in);
    static Index deserialize(std::string_view bytes);

private:
    struct LoadLimits;
    static Index load_impl(std::istream& in, const LoadLimits& limits);
    void check_vector(const float* vector, std::size_t size, const char* what) const;
    double norm_of(const float* vector) const noexcept;
    void append_unchecked(Id id, const float* vector);

    std::size_t dim_;
    Metric metric_;
    std::vector<Id> ids_;                       // row -> id
    std::vector<float> data_;                   // row-major, size() * dim_
    std::vector<double> norms_;                 // row -> L2 norm (Cosine only)
    std::unordered_map<Id, std::size_t> rows_;  // id -> row
};

}  // namespace quiver
