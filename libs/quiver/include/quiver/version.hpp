// SPDX-License-Identifier: MIT
#pragma once

namespace quiver {

/// Version of the C++ library, e.g. "0.1.0" (the VERSION of the CMake project).
const char* version() noexcept;

}  // namespace quiver
