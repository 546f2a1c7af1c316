from __future__ import annotations

from typing import Any

import pytest

from yigongti.platform.integration.tests.helpers import Hospital, make_hospital


@pytest.fixture
def hospital_for(api_world: Any) -> Any:
    """``hospital_for(["hl7.adt"])``: an API client of the home institution with a real token."""

    def build(scopes: list[str], institution: Any = None, **kw: Any) -> Hospital:
        return make_hospital(institution or api_world.home, scopes, **kw)

    return build


@pytest.fixture(autouse=True)
def _postgres_only(request: pytest.FixtureRequest) -> None:
    """``@pytest.mark.postgres`` tests run only on PostgreSQL (concurrency needs real row locks)."""
    if request.node.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("需要 PostgreSQL（设置 DATABASE_URL=postgres://…）")
