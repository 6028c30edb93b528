// SPDX-License-Identifier: MIT
#include "quiver/version.hpp"

#ifndef QUIVER_VERSION_STRING
#error "QUIVER_VERSION_STRING must be defined by the build (CMake project VERSION)"
#endif

namespace quiver {

const char* version() noexcept { return QUIVER_VERSION_STRING; }

}  // namespace quiver
