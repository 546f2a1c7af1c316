from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from yigongti.core.outbox.models import OutboxDestination
from yigongti.core.outbox.testing import FakeReceiver


@pytest.fixture(autouse=True)
def _postgres_only(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("需要 PostgreSQL（设置 DATABASE_URL=postgres://…）")


@pytest.fixture
def receiver() -> Iterator[FakeReceiver]:
    with FakeReceiver() as r:
        yield r


@pytest.fixture
def destination(db: Any, receiver: FakeReceiver) -> OutboxDestination:
    return OutboxDestination.objects.create(code="region", name="区域平台", url=receiver.url, max_attempts=3)
