// SPDX-License-Identifier: MIT
// Save / load: round trips, exact byte layout and every kind of bad file.
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "test_util.hpp"

namespace fs = std::filesystem;
using quiver::BadMagicError;
using quiver::CorruptFileError;
using quiver::FileFormatError;
using quiver::Id;
using quiver::Index;
using quiver::IoError;
using quiver::Metric;
using quiver::TruncatedFileError;
using quiver::UnsupportedVersionError;
using qvtest::ids_of;

namespace {

Index sample(Metric metric) {
    Index index(3, metric);
    index.add(1, {1.0f, 2.0f, 3.0f});
    index.add(42, {-0.5f, 0.25f, 8.0f});
    index.add(7, {0.1f, 0.2f, 0.3f});
    index.add(UINT64_C(0xFFFFFFFFFFFFFFFF), {3.0f, -2.0f, 1.0f});
    index.remove(42);
    index.add(43, {1e-30f, 3.4e38f, -1.0f});
    return index;
}

// A scratch file in the test's working directory, removed on destruction.
struct ScratchFile {
    fs::path path;
    explicit ScratchFile(const std::string& name) : path(fs::current_path() / ("quiver_test_" + name)) {
        std::error_code ec;
        fs::remove(path, ec);
    }
    ~ScratchFile() {
        std::error_code ec;
        fs::remove(path, ec);
    }
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;
};

void write_bytes(const fs::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

void put_u32(std::string& bytes, std::size_t offset, std::uint32_t v) {
    for (std::size_t i = 0; i < 4; ++i) bytes[offset + i] = static_cast<char>((v >> (8 * i)) & 0xFFu);
}

void put_u64(std::string& bytes, std::size_t offset, std::uint64_t v) {
    for (std::size_t i = 0; i < 8; ++i) bytes[offset + i] = static_cast<char>((v >> (8 * i)) & 0xFFu);
}

std::uint32_t get_u32(const std::string& bytes, std::size_t offset) {
    std::uint32_t v = 0;
    for (std::size_t i = 4; i-- > 0;) v = (v << 8) | static_cast<unsigned char>(bytes[offset + i]);
    return v;
}

// Recomputes the trailing CRC so that a deliberate edit is not caught by it.
void fix_checksum(std::string& bytes) {
    const std::size_t body = bytes.size() - quiver::format::kChecksumSize;
    put_u32(bytes, body, quiver::format::crc32(bytes.data(), body));
}

void check_same(const Index& a, const Index& b) {
    QV_CHECK_EQ(a.dim(), b.dim());
    QV_CHECK(a.metric() == b.metric());
    QV_CHECK_EQ(a.size(), b.size());
    QV_CHECK_EQ(a.ids(), b.ids());
    for (const Id id : a.ids()) {
        QV_REQUIRE(b.contains(id));
        const auto va = a.get(id);
        const auto vb = b.get(id);
        QV_CHECK(va.size() == vb.size() && std::memcmp(va.data(), vb.data(), va.size() * sizeof(float)) == 0);
    }
    const std::vector<float> q = {0.5f, 1.0f, -2.0f};
    if (a.dim() == 3 && !a.empty()) {
        QV_CHECK(a.search(q, 10) == b.search(q, 10));
    }
}

}  // namespace

QV_TEST(crc32_matches_the_standard_check_value) {
    const char* text = "123456789";
    QV_CHECK_EQ(quiver::format::crc32(text, 9), UINT32_C(0xCBF43926));
    // incremental == one shot
    QV_CHECK_EQ(quiver::format::crc32(text + 4, 5, quiver::format::crc32(text, 4)), UINT32_C(0xCBF43926));
}

QV_TEST(round_trip_through_a_file_for_every_metric) {
    for (const Metric metric : {Metric::L2, Metric::InnerProduct, Metric::Cosine}) {
        ScratchFile file("roundtrip.qvr");
        const Index original = sample(metric);
        original.save(file.path);
        QV_CHECK(!fs::exists(fs::path(file.path.string() + ".quiver-tmp")));
        const Index loaded = Index::load(file.path);
        check_same(original, loaded);
        // the loaded index is fully functional
        Index copy = Index::load(file.path);
        copy.remove(7);
        QV_CHECK_THROWS(copy.add(1, {1.0f, 1.0f, 1.0f}), quiver::DuplicateIdError);
        copy.add(8, {1.0f, 1.0f, 1.0f});
        QV_CHECK_EQ(copy.size(), original.size());
    }
}

QV_TEST(save_overwrites_an_existing_file) {
    ScratchFile file("overwrite.qvr");
    sample(Metric::L2).save(file.path);
    Index small(2, Metric::Cosine);
    small.add(5, {1.0f, 0.0f});
    small.save(file.path);
    check_same(small, Index::load(file.path));
}

QV_TEST(round_trip_through_streams_and_bytes) {
    const Index original = sample(Metric::Cosine);
    std::stringstream stream(std::ios::in | std::ios::out | std::ios::binary);
    original.save(stream);
    check_same(original, Index::load(stream));
    check_same(original, Index::deserialize(original.serialize()));
    const Index empty(5, Metric::InnerProduct);
    check_same(empty, Index::deserialize(empty.serialize()));
}

QV_TEST(stream_load_reads_exactly_one_index) {
    const Index a = sample(Metric::L2);
    Index b(1);
    b.add(9, {9.0f});
    std::stringstream stream(std::ios::in | std::ios::out | std::ios::binary);
    a.save(stream);
    b.save(stream);
    check_same(a, Index::load(stream));
    check_same(b, Index::load(stream));
}

QV_TEST(byte_layout_is_little_endian_as_documented) {
    Index index(2, Metric::Cosine);
    index.add(UINT64_C(0x0102030405060708), {1.0f, -2.0f});
    const std::string bytes = index.serialize();
    QV_REQUIRE(bytes.size() == 32 + (8 + 2 * 4) + 4);
    const unsigned char expected_header[32] = {
        0x89, 'Q', 'V', 'R', '\r', '\n', 0x1A, '\n',  // magic
        1, 0, 0, 0,                                   // version 1
        2, 0, 0, 0,                                   // metric: cosine
        2, 0, 0, 0, 0, 0, 0, 0,                       // dim 2
        1, 0, 0, 0, 0, 0, 0, 0,                       // count 1
    };
    QV_CHECK(std::memcmp(bytes.data(), expected_header, sizeof expected_header) == 0);
    const unsigned char expected_record[16] = {
        8, 7, 6, 5, 4, 3, 2, 1,  // id
        0x00, 0x00, 0x80, 0x3F,  // 1.0f
        0x00, 0x00, 0x00, 0xC0,  // -2.0f
    };
    QV_CHECK(std::memcmp(bytes.data() + 32, expected_record, sizeof expected_record) == 0);
    QV_CHECK_EQ(get_u32(bytes, 48), quiver::format::crc32(bytes.data(), 48));
}

QV_TEST(every_truncation_is_detected) {
    const std::string bytes = sample(Metric::InnerProduct).serialize();
    for (std::size_t len = 0; len < bytes.size(); ++len) {
        const std::string cut = bytes.substr(0, len);
        QV_CHECK_THROWS_EXACTLY(Index::deserialize(cut), TruncatedFileError);
        std::istringstream stream(cut, std::ios::in | std::ios::binary);
        QV_CHECK_THROWS_EXACTLY(Index::load(stream), TruncatedFileError);
    }
}

QV_TEST(truncated_file_on_disk) {
    ScratchFile file("truncated.qvr");
    const std::string bytes = sample(Metric::L2).serialize();
    write_bytes(file.path, bytes.substr(0, bytes.size() - 10));
    QV_CHECK_THROWS_EXACTLY(Index::load(file.path), TruncatedFileError);
    // TruncatedFileError is a CorruptFileError is a FileFormatError
    QV_CHECK_THROWS(Index::load(file.path), CorruptFileError);
    QV_CHECK_THROWS(Index::load(file.path), FileFormatError);
    write_bytes(file.path, "");
    QV_CHECK_THROWS_EXACTLY(Index::load(file.path), TruncatedFileError);
}

QV_TEST(flipped_bits_are_detected_by_the_checksum) {
    const std::string bytes = sample(Metric::L2).serialize();
    // Every byte after the header: records (ids and floats) and the checksum.
    for (std::size_t pos = 32; pos < bytes.size(); ++pos) {
        std::string bad = bytes;
        bad[pos] = static_cast<char>(bad[pos] ^ 0x10);
        QV_CHECK_THROWS_EXACTLY(Index::deserialize(bad), CorruptFileError);
    }
}

QV_TEST(corrupt_file_on_disk) {
    ScratchFile file("corrupt.qvr");
    std::string bytes = sample(Metric::Cosine).serialize();
    bytes[40] = static_cast<char>(bytes[40] ^ 0x01);
    write_bytes(file.path, bytes);
    QV_CHECK_THROWS_EXACTLY(Index::load(file.path), CorruptFileError);
}

QV_TEST(impossible_header_values_are_corrupt) {
    const std::string good = sample(Metric::L2).serialize();
    {
        std::string bad = good;
        put_u32(bad, 12, 7);  // metric
        fix_checksum(bad);
        QV_CHECK_THROWS_EXACTLY(Index::deserialize(bad), CorruptFileError);
    }
    {
        std::string bad = good;
        put_u64(bad, 16, 0);  // dim
        fix_checksum(bad);
        QV_CHECK_THROWS_EXACTLY(Index::deserialize(bad), CorruptFileError);
    }
    {
        std::string bad = good;
        put_u64(bad, 24, UINT64_C(0xFFFFFFFFFFFFFFFF));  // count
        QV_CHECK_THROWS(Index::deserialize(bad), CorruptFileError);
        std::istringstream stream(bad, std::ios::in | std::ios::binary);
        QV_CHECK_THROWS(Index::load(stream), CorruptFileError);
    }
    {
        std::string bad = good;
        put_u64(bad, 24, 1000);  // count larger than the data: not trusted for allocation
        std::istringstream stream(bad, std::ios::in | std::ios::binary);
        QV_CHECK_THROWS_EXACTLY(Index::load(stream), TruncatedFileError);
    }
}

QV_TEST(invalid_content_with_a_valid_checksum_is_corrupt) {
    Index index(1, Metric::Cosine);
    index.add(1, {1.0f});
    index.add(2, {2.0f});
    const std::string good = index.serialize();
    {
        std::string bad = good;
        put_u64(bad, 32 + 12, 1);  // second record's id := 1 (duplicate)
        fix_checksum(bad);
        QV_CHECK_THROWS_EXACTLY(Index::deserialize(bad), CorruptFileError);
    }
    {
        std::string bad = good;
        put_u32(bad, 32 + 8, 0x7FC00000u);  // NaN
        fix_checksum(bad);
        QV_CHECK_THROWS_EXACTLY(Index::deserialize(bad), CorruptFileError);
    }
    {
        std::string bad = good;
        put_u32(bad, 32 + 8, 0);  // zero vector in a cosine index
        fix_checksum(bad);
        QV_CHECK_THROWS_EXACTLY(Index::deserialize(bad), CorruptFileError);
    }
}

QV_TEST(trailing_bytes_are_corrupt) {
    ScratchFile file("trailing.qvr");
    const std::string bytes = sample(Metric::L2).serialize() + "x";
    QV_CHECK_THROWS_EXACTLY(Index::deserialize(bytes), CorruptFileError);
    write_bytes(file.path, bytes);
    QV_CHECK_THROWS_EXACTLY(Index::load(file.path), CorruptFileError);
}

QV_TEST(wrong_magic_is_not_an_index) {
    ScratchFile file("magic.qvr");
    write_bytes(file.path, "this is a text file, not a quiver index\n");
    QV_CHECK_THROWS_EXACTLY(Index::load(file.path), BadMagicError);
    QV_CHECK_THROWS(Index::load(file.path), FileFormatError);
    std::string bytes = sample(Metric::L2).serialize();
    bytes[1] = 'q';
    QV_CHECK_THROWS_EXACTLY(Index::deserialize(bytes), BadMagicError);
    QV_CHECK_THROWS_EXACTLY(Index::deserialize("PK"), BadMagicError);  // short and wrong
    // A text-mode transfer that turned CR LF into LF breaks the magic.
    bytes = sample(Metric::L2).serialize();
    bytes.erase(4, 1);
    QV_CHECK_THROWS_EXACTLY(Index::deserialize(bytes), BadMagicError);
}

QV_TEST(unsupported_version_is_reported_with_the_version) {
    for (const std::uint32_t version : {0u, 2u, 0xFFFFFFFFu}) {
        std::string bytes = sample(Metric::L2).serialize();
        put_u32(bytes, 8, version);
        QV_CHECK_THROWS_EXACTLY(Index::deserialize(bytes), UnsupportedVersionError);
        try {
            Index::deserialize(bytes);
        } catch (const UnsupportedVersionError& e) {
            QV_CHECK_EQ(e.version(), version);
        }
    }
    // Version is checked before anything that a future format may change.
    std::string future(12, '\0');
    std::memcpy(&future[0], quiver::format::kMagic.data(), 8);
    put_u32(future, 8, 2);
    QV_CHECK_THROWS_EXACTLY(Index::deserialize(future), UnsupportedVersionError);
    ScratchFile file("version.qvr");
    write_bytes(file.path, future + "whatever the future holds");
    QV_CHECK_THROWS_EXACTLY(Index::load(file.path), UnsupportedVersionError);
}

QV_TEST(missing_file_is_an_io_error_with_enoent) {
    const fs::path missing = fs::current_path() / "quiver_test_does_not_exist.qvr";
    QV_CHECK_THROWS_EXACTLY(Index::load(missing), IoError);
    try {
        Index::load(missing);
    } catch (const IoError& e) {
        QV_CHECK(e.code() == std::errc::no_such_file_or_directory);
        QV_CHECK(e.path() == missing);
    }
    const fs::path in_missing_dir = fs::current_path() / "quiver_no_such_dir" / "x.qvr";
    try {
        sample(Metric::L2).save(in_missing_dir);
        QV_CHECK(false);
    } catch (const IoError& e) {
        QV_CHECK(e.code() == std::errc::no_such_file_or_directory);
    }
    QV_CHECK_THROWS(Index::load(fs::current_path()), IoError);  // a directory
}

QV_TEST(saved_file_matches_serialize) {
    ScratchFile file("bytes.qvr");
    const Index index = sample(Metric::InnerProduct);
    index.save(file.path);
    QV_CHECK(read_bytes(file.path) == index.serialize());
}
