// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string_view>

namespace quiver {

/// Similarity measure used by an Index. The numeric values are part of the
/// on-disk format and must never change.
///
/// | metric       | score returned by search          | best first |
/// |--------------|-----------------------------------|------------|
/// | L2           | squared Euclidean distance        | ascending  |
/// | InnerProduct | dot product                       | descending |
/// | Cosine       | cosine similarity, in [-1, 1]     | descending |
///
/// L2 scores are *squared* distances (no square root is taken); take the
/// square root yourself if you need the Euclidean distance. Ranking is the same.
enum class Metric : std::uint32_t {
    L2 = 0,
    InnerProduct = 1,
    Cosine = 2,
};

/// "l2", "ip" or "cosine".
std::string_view to_string(Metric metric) noexcept;

/// Parses "l2", "ip" or "cosine" (exact, lower case).
/// Throws std::invalid_argument for anything else.
Metric metric_from_string(std::string_view name);

/// True if `value` is the numeric value of a known Metric.
bool is_valid_metric(std::uint32_t value) noexcept;

/// True if a larger score is better for this metric (InnerProduct, Cosine).
constexpr bool higher_is_better(Metric metric) noexcept {
    return metric != Metric::L2;
}

}  // namespace quiver
