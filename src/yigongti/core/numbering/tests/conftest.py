"""``@pytest.mark.postgres`` tests run only on PostgreSQL (concurrency needs real row locks)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _postgres_only(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("需要 PostgreSQL（设置 DATABASE_URL=postgres://…）")
