"""The installed distribution: version, typing files, stub in step with the module."""

from __future__ import annotations

import ast
import importlib.metadata
from importlib.resources import files
from pathlib import Path

import quiverdb
from quiverdb import _core


def test_imported_from_the_installed_wheel_not_the_source_tree() -> None:
    source_tree = (Path(__file__).resolve().parents[1] / "src").resolve()
    installed = Path(quiverdb.__file__).resolve()
    assert source_tree not in installed.parents
    assert Path(_core.__file__).resolve().parent == installed.parent


def test_version_comes_from_the_distribution_metadata() -> None:
    assert importlib.metadata.version("quiverdb") == "0.1.0"
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
