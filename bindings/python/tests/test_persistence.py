"""save / load, bytes and pickle round trips, the file layout, and every bad-file error."""

from __future__ import annotations

import pickle
import struct
import zlib
from pathlib import Path

import pytest

import quiverdb

MAGIC = b"\x89QVR\r\n\x1a\n"
HEADER = struct.Struct("<8sIIQQ")  # magic, version, metric, dim, count


def assert_same(a: quiverdb.Index, b: quiverdb.Index) -> None:
    assert (a.dim, a.metric, len(a)) == (b.dim, b.metric, len(b))
    assert a.ids() == b.ids()
    for i in a:
        assert a.get(i) == b.get(i)
    query = [0.5, 1.0, -2.0][: a.dim]
    assert a.search(query, 10) == b.search(query, 10)


def test_round_trip_through_a_file(tmp_path: Path, sample: quiverdb.Index) -> None:
    path = tmp_path / "index.qvr"
    sample.save(path)
    loaded = quiverdb.Index.load(path)
    assert_same(sample, loaded)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.qvr"]  # no temp file left
    # str paths work too, and the loaded index is fully usable
    sample.save(str(path))
    again = quiverdb.Index.load(str(path))
    again.remove(7)
    again.add(8, [1.0, 1.0, 1.0])
    assert len(again) == len(sample)


def test_save_replaces_an_existing_file(tmp_path: Path, sample: quiverdb.Index) -> None:
    path = tmp_path / "index.qvr"
    sample.save(path)
    small = quiverdb.Index(2, "cosine")
    small.add(5, [1.0, 0.0])
    small.save(path)
    assert_same(small, quiverdb.Index.load(path))


def test_empty_index_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "empty.qvr"
    quiverdb.Index(5, "ip").save(path)
    loaded = quiverdb.Index.load(path)
    assert (loaded.dim, loaded.metric, len(loaded)) == (5, "ip", 0)


def test_bytes_and_pickle_round_trips(sample: quiverdb.Index) -> None:
    data = sample.to_bytes()
    assert isinstance(data, bytes)
    assert_same(sample, quiverdb.Index.from_bytes(data))
    assert_same(sample, quiverdb.Index.from_bytes(bytearray(data)))
    assert_same(sample, quiverdb.Index.from_bytes(memoryview(data)))
    assert_same(sample, pickle.loads(pickle.dumps(sample)))


def test_file_layout_is_as_documented(tmp_path: Path) -> None:
    index = quiverdb.Index(2, "cosine")
    index.add(0x0102030405060708, [1.0, -2.0])
    path = tmp_path / "one.qvr"
    index.save(path)
    data = path.read_bytes()
    assert data == index.to_bytes()
    assert len(data) == HEADER.size + (8 + 2 * 4) + 4
    assert HEADER.unpack_from(data) == (MAGIC, 1, 2, 2, 1)
    assert struct.unpack_from("<Qff", data, HEADER.size) == (0x0102030405060708, 1.0, -2.0)
    assert struct.unpack_from("<I", data, len(data) - 4)[0] == zlib.crc32(data[:-4])


def test_corrupt_file_is_a_corrupt_file_error(tmp_path: Path, sample: quiverdb.Index) -> None:
    data = bytearray(sample.to_bytes())
    data[HEADER.size + 9] ^= 0x01  # a bit of the first vector
    path = tmp_path / "corrupt.qvr"
    path.write_bytes(data)
    with pytest.raises(quiverdb.CorruptFileError, match="checksum") as info:
        quiverdb.Index.load(path)
    assert type(info.value) is quiverdb.CorruptFileError
    with pytest.raises(ValueError):
        quiverdb.Index.load(path)


def test_every_flipped_byte_is_detected(sample: quiverdb.Index) -> None:
    data = sample.to_bytes()
    for pos in range(HEADER.size, len(data)):
        bad = bytearray(data)
        bad[pos] ^= 0x10
        with pytest.raises(quiverdb.CorruptFileError):
            quiverdb.Index.from_bytes(bad)


def test_truncated_file_is_a_corrupt_file_error(tmp_path: Path, sample: quiverdb.Index) -> None:
    data = sample.to_bytes()
    path = tmp_path / "truncated.qvr"
    path.write_bytes(data[:-10])
    with pytest.raises(quiverdb.TruncatedFileError):
        quiverdb.Index.load(path)
    with pytest.raises(quiverdb.CorruptFileError):
        quiverdb.Index.load(path)
    path.write_bytes(b"")
    with pytest.raises(quiverdb.TruncatedFileError, match="empty"):
        quiverdb.Index.load(path)


def test_every_truncation_is_detected(sample: quiverdb.Index) -> None:
    data = sample.to_bytes()
    for length in range(len(data)):
        with pytest.raises(quiverdb.TruncatedFileError):
            quiverdb.Index.from_bytes(data[:length])


def test_trailing_bytes_are_corrupt(tmp_path: Path, sample: quiverdb.Index) -> None:
    path = tmp_path / "trailing.qvr"
    path.write_bytes(sample.to_bytes() + b"\0")
    with pytest.raises(quiverdb.CorruptFileError):
        quiverdb.Index.load(path)


def test_impossible_header_values_are_corrupt(sample: quiverdb.Index) -> None:
    data = sample.to_bytes()
    magic, version, metric, dim, count = HEADER.unpack_from(data)
    for header in (
        HEADER.pack(magic, version, 7, dim, count),  # unknown metric
        HEADER.pack(magic, version, metric, 0, count),  # zero dimension
        HEADER.pack(magic, version, metric, dim, 2**64 - 1),  # absurd count
    ):
        body = header + data[HEADER.size : -4]
        bad = body + struct.pack("<I", zlib.crc32(body))
        with pytest.raises(quiverdb.CorruptFileError):
            quiverdb.Index.from_bytes(bad)


def test_not_an_index_is_a_bad_magic_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("this is a text file, not a quiver index\n")
    with pytest.raises(quiverdb.BadMagicError):
        quiverdb.Index.load(path)
    with pytest.raises(quiverdb.FileFormatError):
        quiverdb.Index.load(path)
    with pytest.raises(ValueError):
        quiverdb.Index.load(path)
    assert not issubclass(quiverdb.BadMagicError, quiverdb.CorruptFileError)


def test_text_mode_mangling_breaks_the_magic(sample: quiverdb.Index) -> None:
    data = sample.to_bytes().replace(b"\r\n", b"\n", 1)
    with pytest.raises(quiverdb.BadMagicError):
        quiverdb.Index.from_bytes(data)


@pytest.mark.parametrize("version", [0, 2, 2**32 - 1])
def test_unsupported_version(tmp_path: Path, sample: quiverdb.Index, version: int) -> None:
    data = bytearray(sample.to_bytes())
    struct.pack_into("<I", data, 8, version)
    path = tmp_path / "future.qvr"
    path.write_bytes(data)
    with pytest.raises(quiverdb.UnsupportedVersionError, match=str(version)):
        quiverdb.Index.load(path)
    with pytest.raises(ValueError):
        quiverdb.Index.load(path)


def test_missing_file_is_file_not_found(tmp_path: Path) -> None:
    missing = tmp_path / "missing.qvr"
    with pytest.raises(FileNotFoundError) as info:
        quiverdb.Index.load(missing)
    assert info.value.filename == str(missing)


def test_save_into_a_missing_directory_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        quiverdb.Index(1).save(tmp_path / "no" / "such" / "dir.qvr")


def test_loading_a_directory_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        quiverdb.Index.load(tmp_path)


def test_from_bytes_needs_bytes() -> None:
    with pytest.raises(TypeError):
        quiverdb.Index.from_bytes("not bytes")  # type: ignore[arg-type]
