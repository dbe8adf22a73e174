"""gcnn's packages import a submodule only when one of its names is used (`gcnn/_lazy.py`)."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT
from gcnn._lazy import type_checking_imports

PACKAGES = sorted(p.parent.relative_to(ROOT).as_posix().replace("/", ".") for p in (ROOT / "gcnn").rglob("__init__.py"))


def fresh(code: str) -> str:
    """stdout of `code` in a fresh interpreter (imports must start from nothing)."""
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_name_imports_its_module_and_not_the_rest_of_the_package():
    out = fresh("""
        import sys
        from gcnn.nn import LiftingConv2d
        print(sorted(m for m in sys.modules if m.startswith("gcnn.nn")))
    """)
    loaded = set(eval(out))
    assert {"gcnn.nn", "gcnn.nn.lifting"} <= loaded
    assert not loaded & {"gcnn.nn.group_conv", "gcnn.nn.group_pool", "gcnn.nn.norm", "gcnn.nn.spatial_pool"}


def test_names_behave_as_eager_imports_did():
    out = fresh("""
        import pickle
        import gcnn, gcnn.nn, gcnn.graph
        from gcnn.graph import aggregate
        from gcnn.nn import *
        import gcnn.graph.aggregate as module
        print(callable(aggregate), gcnn.graph.aggregate is aggregate)  # the function, not its module
        print(gcnn.nn.lifting.__name__, gcnn.nn.LiftingConv2d.__module__)  # submodules stay reachable
        print("GroupConv2d" in dir(gcnn.nn), GroupPool.__name__)
        print(pickle.loads(pickle.dumps(gcnn.groups.CyclicGroup(4))).order)
    """)
    assert out.splitlines() == ["True True", "gcnn.nn.lifting gcnn.nn.lifting", "True GroupPool", "4"]


@pytest.mark.parametrize("package", PACKAGES)
def test_every_exported_name_resolves(package):
    module = __import__(package, fromlist=["_"])
    for name in module.__all__:
        assert getattr(module, name) is not None


def test_an_unknown_name_is_an_attribute_error():
    import gcnn.nn
    with pytest.raises(AttributeError, match="module 'gcnn.nn' has no attribute 'LiftingConv3d'"):
        gcnn.nn.LiftingConv3d  # noqa: B018


def test_the_exports_are_read_from_type_checking_imports(tmp_path):
    init = tmp_path / "__init__.py"
    init.write_text("import typing\nif typing.TYPE_CHECKING:\n    from .a import X, Y as Z\n    from pkg import sub\n")
    assert type_checking_imports(init, "pkg") == {"X": "pkg.a", "Z": "pkg.a", "sub": ""}
    init.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import os\n")
    with pytest.raises(TypeError, match=r"__init__.py:3: expected only `from … import …` under TYPE_CHECKING, got 'import os'"):
        type_checking_imports(init, "pkg")
