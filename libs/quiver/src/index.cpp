// SPDX-License-Identifier: MIT
#include "quiver/index.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <unordered_set>

namespace quiver {
namespace {

template <class T>
void ensure_capacity(std::vector<T>& v, std::size_t needed) {
    if (v.capacity() < needed) {
        v.reserve(std::max(needed, v.capacity() * 2));
    }
}

std::size_t checked_mul(std::size_t a, std::size_t b, const char* what) {
    if (a != 0 && b > std::numeric_limits<std::size_t>::max() / a) {
        throw std::length_error(std::string("quiver: ") + what + " is too large");
    }
    return a * b;
}

double dot(const float* a, const float* b, std::size_t n) noexcept {
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        sum += static_cast<double>(a[i]) * static_cast<double>(b[i]);
    }
    return sum;
}

double squared_l2(const float* a, const float* b, std::size_t n) noexcept {
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double d = static_cast<double>(a[i]) - static_cast<double>(b[i]);
        sum += d * d;
    }
    return sum;
}

}  // namespace

Index::Index(std::size_t dim, Metric metric) : dim_(dim), metric_(metric) {
    if (dim == 0) {
        throw std::invalid_argument("quiver: dimension must be at least 1");
    }
    if (!is_valid_metric(static_cast<std::uint32_t>(metric))) {
        throw std::invalid_argument("quiver: unknown metric value " +
                                    std::to_string(static_cast<std::uint32_t>(metric)));
    }
}

bool Index::contains(Id id) const noexcept { return rows_.find(id) != rows_.end(); }

double Index::norm_of(const float* vector) const noexcept {
    return std::sqrt(dot(vector, vector, dim_));
}

void Index::check_vector(const float* vector, std::size_t size, const char* what) const {
    if (size != dim_) {
        throw std::invalid_argument(std::string("quiver: ") + what + " has dimension " +
                                    std::to_string(size) + ", index has dimension " +
                                    std::to_string(dim_));
    }
    if (vector == nullptr) {
        throw std::invalid_argument(std::string("quiver: ") + what + " is null");
    }
    for (std::size_t i = 0; i < size; ++i) {
        if (!std::isfinite(vector[i])) {
            throw std::invalid_argument(std::string("quiver: ") + what + " component " +
                                        std::to_string(i) + " is not finite");
        }
    }
    if (metric_ == Metric::Cosine && norm_of(vector) == 0.0) {
        throw std::invalid_argument(std::string("quiver: ") + what +
                                    " is the zero vector, which has no cosine similarity");
    }
}

// Precondition: capacity of ids_, data_ and norms_ is sufficient and `id` is
// already in rows_ mapped to the new row, so nothing here can throw.
void Index::append_unchecked(Id id, const float* vector) {
    ids_.push_back(id);
    data_.insert(data_.end(), vector, vector + dim_);
    norms_.push_back(norm_of(vector));
}

void Index::add(Id id, const float* vector, std::size_t size) {
    if (contains(id)) {
        throw DuplicateIdError(id);
    }
    check_vector(vector, size, "vector");
    const std::size_t n = ids_.size();
    ensure_capacity(ids_, n + 1);
    ensure_capacity(data_, checked_mul(n + 1, dim_, "index"));
    ensure_capacity(norms_, n + 1);
    rows_.emplace(id, n);  // may throw; nothing else changed yet
    append_unchecked(id, vector);
}

bool Index::upsert(Id id, const float* vector, std::size_t size) {
    const auto it = rows_.find(id);
    if (it == rows_.end()) {
        add(id, vector, size);
        return false;
    }
    check_vector(vector, size, "vector");
    const std::size_t row = it->second;
    std::copy(vector, vector + dim_, data_.begin() + static_cast<std::ptrdiff_t>(row * dim_));
    norms_[row] = norm_of(vector);
    return true;
}

void Index::add_batch(const Id* ids, std::size_t count, const float* vectors,
                      std::size_t values_size) {
    if (count == 0) {
        if (values_size != 0) {
            throw std::invalid_argument("quiver: values given for an empty batch");
        }
        return;
    }
    if (ids == nullptr) {
        throw std::invalid_argument("quiver: ids is null");
    }
    if (values_size != checked_mul(count, dim_, "batch")) {
        throw std::invalid_argument("quiver: batch of " + std::to_string(count) + " vectors of dimension " +
                                    std::to_string(dim_) + " needs " + std::to_string(count * dim_) +
                                    " values, got " + std::to_string(values_size));
    }
    std::unordered_set<Id> seen;
    seen.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        if (contains(ids[i]) || !seen.insert(ids[i]).second) {
            throw DuplicateIdError(ids[i]);
        }
        check_vector(vectors + i * dim_, dim_, "vector");
    }
    const std::size_t n = ids_.size();
    ensure_capacity(ids_, n + count);
    ensure_capacity(data_, checked_mul(n + count, dim_, "index"));
    ensure_capacity(norms_, n + count);
    rows_.reserve(n + count);
    std::size_t inserted = 0;
    try {
        for (; inserted < count; ++inserted) {
            rows_.emplace(ids[inserted], n + inserted);
        }
    } catch (...) {
        for (std::size_t i = 0; i < inserted; ++i) {
            rows_.erase(ids[i]);
        }
        throw;
    }
    for (std::size_t i = 0; i < count; ++i) {
        append_unchecked(ids[i], vectors + i * dim_);
    }
}

void Index::remove(Id id) {
    const auto it = rows_.find(id);
    if (it == rows_.end()) {
        throw NotFoundError(id);
    }
    const std::size_t row = it->second;
    const std::size_t last = ids_.size() - 1;
    if (row != last) {
        // Move the last row into the hole.
        const Id moved = ids_[last];
        ids_[row] = moved;
        std::copy_n(data_.begin() + static_cast<std::ptrdiff_t>(last * dim_), dim_,
                    data_.begin() + static_cast<std::ptrdiff_t>(row * dim_));
        norms_[row] = norms_[last];
        rows_.find(moved)->second = row;
    }
    ids_.pop_back();
    data_.resize(last * dim_);
    norms_.pop_back();
    rows_.erase(it);
}

std::vector<float> Index::get(Id id) const {
    const auto it = rows_.find(id);
    if (it == rows_.end()) {
        throw NotFoundError(id);
    }
    const auto begin = data_.begin() + static_cast<std::ptrdiff_t>(it->second * dim_);
    return std::vector<float>(begin, begin + static_cast<std::ptrdiff_t>(dim_));
}

void Index::clear() noexcept {
    ids_.clear();
    data_.clear();
    norms_.clear();
    rows_.clear();
}

void Index::reserve(std::size_t count) {
    const std::size_t values = checked_mul(count, dim_, "reservation");
    ids_.reserve(count);
    data_.reserve(values);
    norms_.reserve(count);
    rows_.reserve(count);
}

std::vector<SearchResult> Index::search(const float* query, std::size_t size, std::size_t k) const {
    check_vector(query, size, "query");
    const std::size_t n = ids_.size();
    k = std::min(k, n);
    if (k == 0) {
        return {};
    }
    std::vector<SearchResult> results(n);
    const float* row = data_.data();
    switch (metric_) {
        case Metric::L2:
            for (std::size_t i = 0; i < n; ++i, row += dim_) {
                results[i] = {ids_[i], squared_l2(query, row, dim_)};
            }
            break;
        case Metric::InnerProduct:
            for (std::size_t i = 0; i < n; ++i, row += dim_) {
                results[i] = {ids_[i], dot(query, row, dim_)};
            }
            break;
        case Metric::Cosine: {
            const double qnorm = norm_of(query);
            for (std::size_t i = 0; i < n; ++i, row += dim_) {
                const double cosine = dot(query, row, dim_) / (qnorm * norms_[i]);
                results[i] = {ids_[i], std::clamp(cosine, -1.0, 1.0)};
            }
            break;
        }
    }
    // Scores are finite (finite inputs, non-zero norms), so this is a strict
    // weak ordering; ties go to the smaller id.
    const bool higher = higher_is_better(metric_);
    const auto better = [higher](const SearchResult& a, const SearchResult& b) {
        if (a.score != b.score) {
            return higher ? a.score > b.score : a.score < b.score;
        }
        return a.id < b.id;
    };
    const auto middle = results.begin() + static_cast<std::ptrdiff_t>(k);
    std::partial_sort(results.begin(), middle, results.end(), better);
    results.erase(middle, results.end());
    return results;
}

}  // namespace quiver
