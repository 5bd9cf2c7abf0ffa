"""The type stubs describe the installed module exactly: mypy's stubtest
compares every class, method, property and signature in `__init__.pyi` with
the extension (when mypy is installed; scripts/python-vodozemac installs it).
"""

import subprocess
import sys

import pytest

pytest.importorskip("mypy.stubtest")


def test_stubs_match_the_module(tmp_path):
    # PEP 800's @disjoint_base needs typing_extensions at runtime; the stubs
    # mark the classes @final instead, which says more.
    result = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "vodozemac", "--ignore-disjoint-bases"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
