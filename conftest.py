"""Fixtures shared by every test in the project."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def api_world(db: Any) -> Any:
    from yigongti.platform.testing import build_world

    return build_world()
