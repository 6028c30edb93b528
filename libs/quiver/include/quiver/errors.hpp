// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

namespace quiver {

/// Vector ids are unsigned 64-bit integers.
using Id = std::uint64_t;

/// Thrown when an id that is not in the index is looked up or removed.
/// Derives from std::out_of_range.
class NotFoundError : public std::out_of_range {
public:
    explicit NotFoundError(Id id);
    Id id() const noexcept { return id_; }

private:
    Id id_;
};

/// Thrown by Index::add / Index::add_batch when the id is already present
/// (use Index::upsert to replace). Derives from std::invalid_argument.
class DuplicateIdError : public std::invalid_argument {
public:
    explicit DuplicateIdError(Id id);
    Id id() const noexcept { return id_; }

private:
    Id id_;
};

/// Base class of every error about the *content* of an index file.
class FileFormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The data does not start with the quiver magic bytes: not an index file.
class BadMagicError : public FileFormatError {
public:
    BadMagicError();
};

/// The file is a quiver index, but of a format version this build cannot read.
class UnsupportedVersionError : public FileFormatError {
public:
    explicit UnsupportedVersionError(std::uint32_t version);
    std::uint32_t version() const noexcept { return version_; }

private:
    std::uint32_t version_;
};

/// The file is a quiver index of a supported version, but its content is
/// damaged: checksum mismatch, impossible header values, duplicate ids,
/// non-finite values, trailing bytes, ...
class CorruptFileError : public FileFormatError {
public:
    using FileFormatError::FileFormatError;
};

/// The file ends before the end of the data its header announces.
class TruncatedFileError : public CorruptFileError {
public:
    using CorruptFileError::CorruptFileError;
};

/// An operating-system level failure to open, read, write or rename a file.
/// code() carries the error (std::errc::no_such_file_or_directory for a
/// missing file); path() is the file concerned.
class IoError : public std::system_error {
public:
    IoError(std::error_code code, const std::string& what, std::filesystem::path path);
    const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace quiver
