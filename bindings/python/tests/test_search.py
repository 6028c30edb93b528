"""Search results for every metric, against hand-computed values."""

from __future__ import annotations

import math

import pytest

import quiverdb


def test_l2_is_the_squared_distance_smallest_first() -> None:
    index = quiverdb.Index(2, metric="l2")
    index.add(1, [0.0, 0.0])
    index.add(2, [3.0, 4.0])
    index.add(3, [1.0, 1.0])
    index.add(4, [-2.0, 0.0])
    # query (1, 0): id1 -> 1, id2 -> 4 + 16 = 20, id3 -> 0 + 1 = 1, id4 -> 9
    assert index.search([1.0, 0.0], 4) == [(1, 1.0), (3, 1.0), (4, 9.0), (2, 20.0)]


def test_l2_with_fractions() -> None:
    index = quiverdb.Index(3)  # l2 is the default
    assert index.metric == "l2"
    index.add(7, (0.5, -1.5, 2.0))
    index.add(8, (0.0, 0.0, 0.0))
    # query (1, 1, 1): id7 -> 0.25 + 6.25 + 1 = 7.5, id8 -> 3
    (id_a, score_a), (id_b, score_b) = index.search((1, 1, 1), 2)
    assert (id_a, id_b) == (8, 7)
    assert score_a == pytest.approx(3.0)
    assert score_b == pytest.approx(7.5)


def test_inner_product_largest_first() -> None:
    index = quiverdb.Index(2, metric="ip")
    index.add(10, [1.0, 0.0])
    index.add(20, [0.0, 1.0])
    index.add(30, [2.0, 2.0])
    index.add(40, [-1.0, -1.0])
    # query (1, 2): id10 -> 1, id20 -> 2, id30 -> 6, id40 -> -3
    assert index.search([1.0, 2.0], 10) == [(30, 6.0), (20, 2.0), (10, 1.0), (40, -3.0)]


def test_inner_product_is_not_normalised() -> None:
    index = quiverdb.Index(2, metric="ip")
    index.add(1, [1.0, 0.0])
    index.add(2, [10.0, 10.0])
    assert index.search([1.0, 0.0], 1) == [(2, 10.0)]


def test_cosine_largest_first_and_scale_invariant() -> None:
    index = quiverdb.Index(2, metric="cosine")
    index.add(1, [1.0, 0.0])
    index.add(2, [0.0, 2.0])
    index.add(3, [3.0, 3.0])
    index.add(4, [-1.0, 0.0])
    index.add(5, [5.0, 0.0])
    # query (2, 0): id1 -> 1, id2 -> 0, id3 -> 1/sqrt(2), id4 -> -1, id5 -> 1 (tie with id1)
    results = index.search([2.0, 0.0], 5)
    assert [i for i, _ in results] == [1, 5, 3, 2, 4]
    expected = [1.0, 1.0, 1 / math.sqrt(2), 0.0, -1.0]
    assert [s for _, s in results] == pytest.approx(expected, abs=1e-7)


def test_cosine_three_dimensions() -> None:
    index = quiverdb.Index(3, metric="cosine")
    index.add(1, [1.0, 2.0, 2.0])  # norm 3
    index.add(2, [0.0, 3.0, 4.0])  # norm 5
    # query (2, 1, 2), norm 3: id1 -> 8/9, id2 -> (3 + 8)/15 = 11/15
    results = index.search([2.0, 1.0, 2.0], 2)
    assert [i for i, _ in results] == [1, 2]
    assert [s for _, s in results] == pytest.approx([8 / 9, 11 / 15])


def test_ties_are_broken_by_ascending_id(metric: str) -> None:
    index = quiverdb.Index(2, metric=metric)
    for i in (9, 3, 7, 1):
        index.add(i, [1.0, 1.0])
    index.add(5, [-4.0, 3.0])
    assert [i for i, _ in index.search([1.0, 1.0], 5)] == [1, 3, 7, 9, 5]


def test_k_larger_than_the_index_returns_everything(metric: str) -> None:
    index = quiverdb.Index(1, metric=metric)
    index.add(1, [1.0])
    index.add(2, [5.0])
    assert len(index.search([4.0], 100)) == 2


def test_k_zero_and_empty_index(metric: str) -> None:
    index = quiverdb.Index(2, metric=metric)
    assert index.search([1.0, 1.0], 3) == []
    index.add(1, [1.0, 1.0])
    assert index.search([1.0, 1.0], 0) == []


def test_k_selects_the_best() -> None:
    index = quiverdb.Index(1)
    index.add_many(list(range(100)), [[float(i)] for i in range(100)])
    assert [i for i, _ in index.search([42.2], k=3)] == [42, 43, 41]


def test_results_are_int_float_pairs() -> None:
    index = quiverdb.Index(1, "ip")
    index.add(2**64 - 1, [2.0])
    ((i, s),) = index.search([1.5], 1)
    assert (type(i), type(s)) == (int, float)
    assert (i, s) == (2**64 - 1, 3.0)


def test_negative_k_is_a_value_error() -> None:
    index = quiverdb.Index(1)
    with pytest.raises(ValueError):
        index.search([1.0], -1)


def test_query_of_wrong_dimension_is_a_value_error(metric: str) -> None:
    index = quiverdb.Index(3, metric=metric)
    index.add(1, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="dimension"):
        index.search([1.0, 2.0], 1)
    with pytest.raises(ValueError, match="dimension"):
        index.search([1.0, 2.0, 3.0, 4.0], 1)


def test_non_finite_query_is_a_value_error() -> None:
    index = quiverdb.Index(2)
    with pytest.raises(ValueError):
        index.search([math.nan, 0.0], 1)
    with pytest.raises(ValueError):
        index.search([0.0, math.inf], 1)


def test_cosine_rejects_zero_vectors() -> None:
    index = quiverdb.Index(2, metric="cosine")
    with pytest.raises(ValueError, match="zero"):
        index.add(1, [0.0, 0.0])
    index.add(1, [1.0, 0.0])
    with pytest.raises(ValueError, match="zero"):
        index.search([0.0, 0.0], 1)
