// SPDX-License-Identifier: MIT
//
// The on-disk format of a quiver index (format version 1). All integers are
// little-endian; floats are IEEE-754 binary32, little-endian.
//
//   offset  size  field
//   0       8     magic: 89 51 56 52 0D 0A 1A 0A  ("\x89QVR\r\n\x1a\n")
//   8       4     u32 format version (currently 1)
//   12      4     u32 metric (0 = l2, 1 = ip, 2 = cosine)
//   16      8     u64 dim (> 0)
//   24      8     u64 count
//   32      ...   count records, each: u64 id, then dim x f32
//   end-4   4     u32 CRC-32 (IEEE 802.3 / zlib polynomial) of every preceding byte
//
// Like PNG's, the magic has a high-bit byte and CR LF / ^Z / LF, so a file
// mangled by a text-mode transfer is detected as corrupt.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace quiver::format {

inline constexpr std::array<unsigned char, 8> kMagic = {0x89, 'Q', 'V', 'R', '\r', '\n', 0x1A, '\n'};
inline constexpr std::uint32_t kVersion = 1;
inline constexpr std::size_t kHeaderSize = 32;
inline constexpr std::size_t kChecksumSize = 4;

/// CRC-32 (same as zlib's crc32()), continuing from `crc` (0 to start).
std::uint32_t crc32(const void* data, std::size_t size, std::uint32_t crc = 0) noexcept;

}  // namespace quiver::format
