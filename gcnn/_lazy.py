"""Packages that import a submodule only when one of its names is first used (PEP 562).

A package lists its public names as ordinary imports under ``if TYPE_CHECKING:`` (what
readers, type checkers and the API docs see) and ends with ``lazy_package(__name__)``. At run
time ``from gcnn.nn import LiftingConv2d`` then imports ``gcnn/nn/lifting.py`` and what it
imports, not the rest of ``gcnn.nn``: a program, and the site's record of what a snippet
read, holds only the modules it really uses.
"""
from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
import types
from pathlib import Path


class LazyPackage(types.ModuleType):
    """A package module whose exported names are imported on first access."""

    _exports: dict[str, str]  # name -> module that defines it ("" for a subpackage of the same name)

    def __getattr__(self, name: str):
        exports = self.__dict__.get("_exports", {})
        if name not in exports:
            if not name.startswith("__") and importlib.util.find_spec(f"{self.__name__}.{name}") is not None:
                return importlib.import_module(f"{self.__name__}.{name}")  # `pkg.submodule`, as before
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        source = exports[name]
        module = importlib.import_module(source or f"{self.__name__}.{name}")
        value = getattr(module, name) if source else module
        super().__setattr__(name, value)
        return value

    def __setattr__(self, name: str, value) -> None:
        # Importing `pkg.aggregate` binds the module on `pkg`; when `pkg` exports the function
        # `aggregate` of that module under the same name, the function keeps the name.
        source = self.__dict__.get("_exports", {}).get(name)
        if isinstance(value, types.ModuleType) and source == value.__name__ and hasattr(value, name):
            value = getattr(value, name)
        super().__setattr__(name, value)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._exports))


def lazy_package(name: str) -> None:
    """Make the package `name` lazy: its names are the imports under its `if TYPE_CHECKING:`."""
    module = sys.modules[name]
    module._exports = type_checking_imports(Path(module.__file__), name)
    missing = [n for n in getattr(module, "__all__", []) if n not in module._exports and n not in vars(module)]
    if missing:
        raise ImportError(f"{module.__file__}: __all__ lists {missing}, which neither the imports under "
                          f"`if TYPE_CHECKING:` nor the module itself define")
    module.__class__ = LazyPackage


def type_checking_imports(init_file: Path, package: str) -> dict[str, str]:
    """`{name: defining module}` of the `from … import …` statements under `if TYPE_CHECKING:`;
    `from pkg import sub` (a subpackage) maps `sub` to ""."""
    exports: dict[str, str] = {}
    for node in ast.parse(init_file.read_bytes()).body:
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            for statement in node.body:
                if not isinstance(statement, ast.ImportFrom):
                    raise TypeError(f"{init_file}:{statement.lineno}: expected only `from … import …` under "
                                    f"TYPE_CHECKING, got {ast.unparse(statement)!r}")
                module = importlib.util.resolve_name("." * statement.level + (statement.module or ""), package) \
                    if statement.level else statement.module
                for alias in statement.names:
                    exports[alias.asname or alias.name] = "" if module == package else module
    return exports
