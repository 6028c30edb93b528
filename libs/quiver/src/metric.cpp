// SPDX-License-Identifier: MIT
#include "quiver/metric.hpp"

#include <stdexcept>
#include <string>

namespace quiver {

std::string_view to_string(Metric metric) noexcept {
    switch (metric) {
        case Metric::L2:
            return "l2";
        case Metric::InnerProduct:
            return "ip";
        case Metric::Cosine:
            return "cosine";
    }
    return "unknown";
}

Metric metric_from_string(std::string_view name) {
    if (name == "l2") return Metric::L2;
    if (name == "ip") return Metric::InnerProduct;
    if (name == "cosine") return Metric::Cosine;
    throw std::invalid_argument("quiver: unknown metric '" + std::string(name) +
                                "' (expected 'l2', 'ip' or 'cosine')");
}

bool is_valid_metric(std::uint32_t value) noexcept {
    return value <= static_cast<std::uint32_t>(Metric::Cosine);
}

}  // namespace quiver
