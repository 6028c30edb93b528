"""Index bookkeeping, accepted input types and every argument error."""

from __future__ import annotations

import array
import math

import pytest

import quiverdb


def test_new_index() -> None:
    index = quiverdb.Index(4, metric="ip")
    assert index.dim == 4
    assert index.metric == "ip"
    assert len(index) == 0
    assert list(index) == []
    assert 0 not in index
    assert repr(index) == "quiverdb.Index(dim=4, metric='ip', size=0)"


def test_keyword_arguments() -> None:
    index = quiverdb.Index(dim=2, metric="cosine")
    index.add(id=1, vector=[1.0, 0.0])
    assert index.search(vector=[1.0, 0.0], k=1) == [(1, 1.0)]


@pytest.mark.parametrize("metric", ["L2", "euclidean", "", "cos"])
def test_unknown_metric_is_a_value_error(metric: str) -> None:
    with pytest.raises(ValueError, match="metric"):
        quiverdb.Index(2, metric=metric)


@pytest.mark.parametrize("dim", [0, -1])
def test_dimension_must_be_positive(dim: int) -> None:
    with pytest.raises(ValueError):
        quiverdb.Index(dim)


def test_add_len_contains_get_iter() -> None:
    index = quiverdb.Index(2)
    index.add(5, [1.5, -2.0])
    index.add(2**64 - 1, [0.0, 0.0])
    assert len(index) == 2
    assert 5 in index and 2**64 - 1 in index
    assert 6 not in index
    assert "5" not in index and -1 not in index and 2**64 not in index and None not in index
    assert index.get(5) == [1.5, -2.0]
    assert sorted(index) == [5, 2**64 - 1]
    assert sorted(index.ids()) == [5, 2**64 - 1]


def test_values_are_stored_as_float32() -> None:
    index = quiverdb.Index(1)
    index.add(1, [0.1])
    assert index.get(1) == [array.array("f", [0.1])[0]]
    assert index.get(1) != [0.1]


def test_wrong_dimension_is_a_value_error_and_changes_nothing() -> None:
    index = quiverdb.Index(3)
    index.add(1, [1.0, 2.0, 3.0])
    for bad in ([1.0, 2.0], [1.0, 2.0, 3.0, 4.0], []):
        with pytest.raises(ValueError, match="dimension"):
            index.add(2, bad)
    with pytest.raises(ValueError, match="dimension"):
        index.upsert(1, [1.0])
    assert len(index) == 1 and 2 not in index
    assert index.get(1) == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 1e300])
def test_non_finite_values_are_a_value_error(value: float) -> None:
    index = quiverdb.Index(2)
    with pytest.raises(ValueError, match="finite"):
        index.add(1, [value, 0.0])
    assert len(index) == 0


def test_duplicate_id_is_an_error_and_keeps_the_original() -> None:
    index = quiverdb.Index(2)
    index.add(5, [1.0, 1.0])
    with pytest.raises(quiverdb.DuplicateIdError):
        index.add(5, [2.0, 2.0])
    with pytest.raises(ValueError):
        index.add(5, [2.0, 2.0])
    assert index.get(5) == [1.0, 1.0]


def test_upsert_adds_or_replaces() -> None:
    index = quiverdb.Index(2)
    assert index.upsert(5, [1.0, 1.0]) is False
    assert index.upsert(5, [3.0, 4.0]) is True
    assert len(index) == 1
    assert index.search([0.0, 0.0], 1) == [(5, 25.0)]


def test_remove() -> None:
    index = quiverdb.Index(2)
    for i in range(1, 5):
        index.add(i, [float(i), 0.0])
    index.remove(2)
    assert len(index) == 3 and 2 not in index
    assert [index.get(i) for i in (1, 3, 4)] == [[1.0, 0.0], [3.0, 0.0], [4.0, 0.0]]
    assert [i for i, _ in index.search([2.0, 0.0], 10)] == [1, 3, 4]
    index.remove(4)
    index.remove(1)
    index.remove(3)
    assert len(index) == 0 and index.search([0.0, 0.0], 10) == []
    index.add(3, [9.0, 9.0])  # a removed id can come back
    assert index.get(3) == [9.0, 9.0]


def test_unknown_id_is_a_key_error() -> None:
    index = quiverdb.Index(1)
    index.add(1, [1.0])
    with pytest.raises(KeyError) as info:
        index.remove(2)
    assert info.value.args == (2,)
    with pytest.raises(KeyError):
        index.get(2)
    index.remove(1)
    with pytest.raises(KeyError):
        index.remove(1)


@pytest.mark.parametrize("bad_id", [-1, 2**64])
def test_id_out_of_range_is_an_overflow_error(bad_id: int) -> None:
    index = quiverdb.Index(1)
    with pytest.raises(OverflowError):
        index.add(bad_id, [1.0])
    with pytest.raises(OverflowError):
        index.remove(bad_id)


@pytest.mark.parametrize("bad_id", ["1", 1.0, None])
def test_non_integer_id_is_a_type_error(bad_id: object) -> None:
    index = quiverdb.Index(1)
    with pytest.raises(TypeError):
        index.add(bad_id, [1.0])  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["ab", b"ab", 3.0, None, [1.0, "x"], [[1.0], [2.0]]])
def test_non_numeric_vector_is_a_type_error(bad: object) -> None:
    index = quiverdb.Index(2)
    with pytest.raises(TypeError):
        index.add(1, bad)  # type: ignore[arg-type]


def test_accepted_vector_types() -> None:
    index = quiverdb.Index(3, "ip")
    index.add(1, [1, 2, 3])  # ints
    index.add(2, (1.0, 2.0, 3.0))
    index.add(3, array.array("f", [1.0, 2.0, 3.0]))
    index.add(4, array.array("d", [1.0, 2.0, 3.0]))
    index.add(5, memoryview(array.array("d", [1.0, 2.0, 3.0])))
    index.add(6, array.array("i", [1, 2, 3]))  # non-float buffer: read as a sequence
    index.add(7, (x for x in (1.0, 2.0, 3.0)))  # any iterable
    index.add(8, memoryview(array.array("f", [1.0, 9.0, 2.0, 9.0, 3.0]))[::2])  # strided
    for i in range(1, 9):
        assert index.get(i) == [1.0, 2.0, 3.0], i
    assert index.search(array.array("f", [1.0, 0.0, 0.0]), 1) == [(1, 1.0)]


def test_multidimensional_buffer_is_not_a_vector() -> None:
    index = quiverdb.Index(2)
    grid = memoryview(array.array("f", [1.0, 2.0, 3.0, 4.0])).cast("B").cast("f", (2, 2))
    with pytest.raises(ValueError, match="1-dimensional"):
        index.add(1, grid)


def test_add_many_from_sequences() -> None:
    index = quiverdb.Index(2)
    index.add_many([10, 11, 12], [[0.0, 0.0], (1.0, 1.0), array.array("f", [2.0, 2.0])])
    assert len(index) == 3
    assert index.get(12) == [2.0, 2.0]
    index.add_many([], [])
    assert len(index) == 3


def test_add_many_from_a_2d_buffer() -> None:
    index = quiverdb.Index(3)
    flat = array.array("d", [0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    index.add_many(range(2), memoryview(flat).cast("B").cast("d", (2, 3)))
    assert index.get(0) == [0.0, 1.0, 2.0]
    assert index.get(1) == [3.0, 4.0, 5.0]
    with pytest.raises(ValueError, match="dimension"):
        quiverdb.Index(2).add_many(range(2), memoryview(flat).cast("B").cast("d", (2, 3)))
    with pytest.raises(ValueError, match="2-dimensional"):
        quiverdb.Index(3).add_many([1], memoryview(array.array("d", [1.0, 2.0, 3.0])))


def test_add_many_is_all_or_nothing() -> None:
    index = quiverdb.Index(2)
    index.add(1, [9.0, 9.0])
    with pytest.raises(quiverdb.DuplicateIdError):
        index.add_many([2, 1], [[0.0, 0.0], [1.0, 1.0]])  # 1 exists
    with pytest.raises(quiverdb.DuplicateIdError):
        index.add_many([3, 3], [[0.0, 0.0], [1.0, 1.0]])  # repeated in the batch
    with pytest.raises(ValueError, match="dimension"):
        index.add_many([3, 4], [[0.0, 0.0], [1.0]])
    with pytest.raises(ValueError, match="finite"):
        index.add_many([3, 4], [[0.0, 0.0], [math.inf, 1.0]])
    with pytest.raises(ValueError, match="ids"):
        index.add_many([3, 4, 5], [[0.0, 0.0], [1.0, 1.0]])
    with pytest.raises(OverflowError):
        index.add_many([3, -4], [[0.0, 0.0], [1.0, 1.0]])
    assert index.ids() == [1]


def test_clear() -> None:
    index = quiverdb.Index(1)
    index.add_many([1, 2], [[1.0], [2.0]])
    index.clear()
    assert len(index) == 0 and 1 not in index
    index.add(1, [1.0])
    assert len(index) == 1


def test_numpy_arrays_when_available() -> None:
    np = pytest.importorskip("numpy")
    index = quiverdb.Index(3, "ip")
    data = np.arange(12, dtype=np.float64).reshape(4, 3)
    index.add_many(np.arange(4, dtype=np.int64), data)
    index.add(10, np.array([1, 0, 0], dtype=np.float32))
    index.add(11, data[:, 0][:3])  # strided view
    assert index.get(11) == [0.0, 3.0, 6.0]
    assert index.search(np.ones(3, dtype=np.float32), 1)[0][0] == 3
