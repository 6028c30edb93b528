// SPDX-License-Identifier: MIT
#include "quiver/errors.hpp"

#include <string>
#include <utility>

namespace quiver {

NotFoundError::NotFoundError(Id id)
    : std::out_of_range("quiver: no vector with id " + std::to_string(id)), id_(id) {}

DuplicateIdError::DuplicateIdError(Id id)
    : std::invalid_argument("quiver: a vector with id " + std::to_string(id) +
                            " is already in the index"),
      id_(id) {}

BadMagicError::BadMagicError()
    : FileFormatError("quiver: not a quiver index file (bad magic bytes)") {}

UnsupportedVersionError::UnsupportedVersionError(std::uint32_t version)
    : FileFormatError("quiver: unsupported index file format version " + std::to_string(version) +
                      " (this build reads version 1)"),
      version_(version) {}

IoError::IoError(std::error_code code, const std::string& what, std::filesystem::path path)
    : std::system_error(code, what), path_(std::move(path)) {}

}  // namespace quiver
