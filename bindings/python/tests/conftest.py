"""Shared fixtures. The suite tests the *installed* quiverdb wheel: it never
puts ../src on sys.path (run it with --import-mode=importlib)."""

from __future__ import annotations

import pytest

import quiverdb


@pytest.fixture(params=["l2", "ip", "cosine"])
def metric(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def sample(metric: str) -> quiverdb.Index:
    """A small index with a removal in its history (so rows were moved)."""
    index = quiverdb.Index(3, metric=metric)
    index.add(1, [1.0, 2.0, 3.0])
    index.add(42, [-0.5, 0.25, 8.0])
    index.add(7, [0.1, 0.2, 0.3])
    index.add(2**64 - 1, [3.0, -2.0, 1.0])
    index.remove(42)
    index.add(43, [1e-30, 3.0e38, -1.0])
    return index
