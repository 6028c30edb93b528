"""The installed distribution: version, typing files, stub in step with the module."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
from importlib.resources import files
from pathlib import Path

from packaging.version import Version  # pytest depends on packaging

import quiverdb
from quiverdb import _core

# The test suite lives in bindings/python/tests; the pyproject.toml it belongs to is one level up
# (also in cibuildwheel's container, where {project} is a copy of the workspace).
PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def _pyproject_version() -> str:
    """[project].version of the pyproject.toml next to this suite (tomllib on 3.11+)."""
    text = PYPROJECT.read_text(encoding="utf-8")
    if sys.version_info >= (3, 11):
        import tomllib

        return str(tomllib.loads(text)["project"]["version"])
    # Python 3.10 has no tomllib: read the static `version = "..."` line of the [project] table.
    table = re.search(r"^\[project\][ \t]*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    assert table, f"{PYPROJECT} has no [project] table"
    match = re.search(r"""^version[ \t]*=[ \t]*["']([^"']+)["']""", table.group(1), re.M)
    assert match, f"{PYPROJECT} [project] has no static version"
    return match.group(1)


def test_imported_from_the_installed_wheel_not_the_source_tree() -> None:
    source_tree = (Path(__file__).resolve().parents[1] / "src").resolve()
    installed = Path(quiverdb.__file__).resolve()
    assert source_tree not in installed.parents
    assert Path(_core.__file__).resolve().parent == installed.parent


def test_version_comes_from_the_distribution_metadata() -> None:
    # The wheel under test was built from this pyproject.toml: the installed distribution carries
    # its [project].version (PEP 440 normalized), whatever nx release last wrote there.
    assert importlib.metadata.version("quiverdb") == str(Version(_pyproject_version()))
    assert quiverdb.__version__ == importlib.metadata.version("quiverdb")


def test_distribution_metadata() -> None:
    meta = importlib.metadata.metadata("quiverdb")
    assert meta["Name"] == "quiverdb"
    assert meta["License-Expression"] == "MIT"
    assert meta["Requires-Python"] == ">=3.10"


def test_typing_files_are_installed() -> None:
    package = files("quiverdb")
    assert package.joinpath("py.typed").is_file()
    assert package.joinpath("_core.pyi").is_file()


def _stub_names() -> tuple[set[str], set[str]]:
    tree = ast.parse(files("quiverdb").joinpath("_core.pyi").read_text(encoding="utf-8"))
    classes = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    index = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Index")
    methods = {n.name for n in index.body if isinstance(n, ast.FunctionDef)}
    return classes, methods


def test_stub_matches_the_extension_module() -> None:
    classes, methods = _stub_names()
    runtime_classes = {n for n in dir(_core) if not n.startswith("_") and isinstance(getattr(_core, n), type)}
    assert classes == runtime_classes
    runtime_methods = {n for n in vars(quiverdb.Index) if not n.startswith("_")}
    assert {m for m in methods if not m.startswith("_")} == runtime_methods
    for dunder in ("__init__", "__len__", "__contains__", "__iter__", "__getstate__", "__setstate__"):
        assert dunder in methods
        assert hasattr(quiverdb.Index, dunder)


def test_public_names() -> None:
    for name in quiverdb.__all__:
        assert hasattr(quiverdb, name), name
    assert quiverdb.Index.__module__ == "quiverdb"
    assert quiverdb.CorruptFileError.__module__ == "quiverdb"


def test_exception_hierarchy() -> None:
    assert issubclass(quiverdb.FileFormatError, ValueError)
    assert issubclass(quiverdb.CorruptFileError, quiverdb.FileFormatError)
    assert issubclass(quiverdb.TruncatedFileError, quiverdb.CorruptFileError)
    assert issubclass(quiverdb.BadMagicError, quiverdb.FileFormatError)
    assert not issubclass(quiverdb.BadMagicError, quiverdb.CorruptFileError)
    assert issubclass(quiverdb.UnsupportedVersionError, quiverdb.FileFormatError)
    assert issubclass(quiverdb.DuplicateIdError, ValueError)


def test_docstrings() -> None:
    assert quiverdb.__doc__
    assert "squared Euclidean" in (quiverdb.Index.__doc__ or "")
    for name in ("add", "add_many", "upsert", "search", "remove", "get", "save", "load", "to_bytes", "from_bytes"):
        assert getattr(quiverdb.Index, name).__doc__, name
