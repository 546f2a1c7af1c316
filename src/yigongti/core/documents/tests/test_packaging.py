"""The templates directory must ship in the wheel: every file in it needs a package-data pattern."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import pytest

from yigongti.core.documents.pdf import TEMPLATES_DIR

PYPROJECT = Path(__file__).resolve().parents[5] / "pyproject.toml"


@pytest.mark.skipif(not PYPROJECT.is_file(), reason="不在源码目录中运行（没有 pyproject.toml）")
def test_every_template_file_is_packaged() -> None:
    patterns = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]["*"]
    unpackaged = [p.name for p in TEMPLATES_DIR.iterdir() if not any(fnmatch.fnmatch(p.name, pat) for pat in patterns)]
    assert unpackaged == []
