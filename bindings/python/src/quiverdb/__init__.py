"""quiverdb: an in-memory float32 vector index with exact k-nearest-neighbour search.

>>> import quiverdb
>>> index = quiverdb.Index(2, metric="l2")
>>> index.add(1, [0.0, 0.0])
>>> index.add(2, [3.0, 4.0])
>>> index.search([0.0, 1.0], k=1)
[(1, 1.0)]

Metrics (the ``score`` in each ``(id, score)`` search result):

* ``"l2"``: squared Euclidean distance, smallest first;
* ``"ip"``: inner product, largest first;
* ``"cosine"``: cosine similarity in [-1, 1], largest first.

Ties are broken by ascending id. See :class:`Index` for the full API.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version as _dist_version
from typing import TYPE_CHECKING, SupportsFloat, Union

from ._core import (
    BadMagicError,
    CorruptFileError,
    DuplicateIdError,
    FileFormatError,
    Index,
    TruncatedFileError,
    UnsupportedVersionError,
)

if sys.version_info >= (3, 12):
    from collections.abc import Buffer
elif TYPE_CHECKING:
    from typing_extensions import Buffer
else:
    Buffer = memoryview  # stand-in at run time: annotations only

#: Anything :meth:`Index.add` accepts as a vector: a sequence of numbers, or an
#: object exporting a 1-D float32/float64 buffer (array.array, memoryview, numpy).
VectorLike = Union[Sequence[SupportsFloat], Buffer]

try:
    # The single source of truth is [project].version in pyproject.toml.
    __version__: str = _dist_version("quiverdb")
except PackageNotFoundError:  # pragma: no cover - only when not installed
    __version__ = "0+unknown"

# Present the public classes as quiverdb.X rather than quiverdb._core.X.
for _cls in (
    Index,
    FileFormatError,
    CorruptFileError,
    TruncatedFileError,
    BadMagicError,
    UnsupportedVersionError,
    DuplicateIdError,
):
    _cls.__module__ = __name__
del _cls

__all__ = [
    "BadMagicError",
    "Buffer",
    "CorruptFileError",
    "DuplicateIdError",
    "FileFormatError",
    "Index",
    "TruncatedFileError",
    "UnsupportedVersionError",
    "VectorLike",
    "__version__",
]
