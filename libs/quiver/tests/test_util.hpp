// SPDX-License-Identifier: MIT
// Helpers shared by the quiver test executables.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "harness.hpp"
#include "quiver/quiver.hpp"

namespace qvtest {

inline std::vector<quiver::Id> ids_of(const std::vector<quiver::SearchResult>& results) {
    std::vector<quiver::Id> ids;
    for (const auto& r : results) ids.push_back(r.id);
    return ids;
}

template <>
inline std::string show(const std::vector<quiver::Id>& value) {
    std::ostringstream os;
    os << '[';
    for (std::size_t i = 0; i < value.size(); ++i) os << (i ? ", " : "") << value[i];
    os << ']';
    return os.str();
}

template <>
inline std::string show(const std::vector<float>& value) {
    std::ostringstream os;
    os << '[';
    for (std::size_t i = 0; i < value.size(); ++i) os << (i ? ", " : "") << value[i];
    os << ']';
    return os.str();
}

}  // namespace qvtest
