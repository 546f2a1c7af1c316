"""PostgreSQL: concurrent publishers get gapless sequences; competing dispatchers keep the order."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, transaction

from yigongti.core.outbox.dispatcher import outbox_backlog, outbox_dispatch
from yigongti.core.outbox.models import OutboxDestination, OutboxMessage
from yigongti.core.outbox.services import outbox_publish
from yigongti.core.outbox.testing import FakeReceiver

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_dispatch_on_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows commit here, and the test settings run Huey tasks immediately: without this every
    publish would be delivered by its own on-commit dispatch before the test's dispatchers run."""
    monkeypatch.setattr("yigongti.core.outbox.tasks.dispatch_for_a_while", lambda: 0)


def in_threads(n: int, work: Callable[[int], None], limit: int = 20) -> list[BaseException]:
    errors: list[BaseException] = []
    gate, barrier = threading.BoundedSemaphore(limit), threading.Barrier(n)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            with gate:
                try:
                    work(i)
                finally:
                    connection.close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


def test_concurrent_publishers_get_gapless_sequences() -> None:
    OutboxDestination.objects.create(code="region", name="区域平台", url="http://127.0.0.1:9/x")

    def publish(i: int) -> None:
        with transaction.atomic():
            outbox_publish(destination="region", event="e", payload={"i": i}, key=f"k{i}")
            outbox_publish(destination="region", event="e", payload={"i": i}, key=f"k{i}")  # idempotent repeat

    assert in_threads(60, publish) == []
    assert sorted(OutboxMessage.objects.values_list("sequence", flat=True)) == list(range(1, 61))


def test_competing_dispatchers_deliver_each_message_once_in_order() -> None:
    with FakeReceiver(delay=0.01) as receiver:
        OutboxDestination.objects.create(code="region", name="区域平台", url=receiver.url)
        for i in range(40):
            outbox_publish(destination="region", event="e", payload={"i": i}, key=f"k{i:02d}")

        def dispatch(i: int) -> None:
            for _ in range(200):
                outbox_dispatch(batch=3)
                if not outbox_backlog()["pending"]:
                    return

        assert in_threads(4, dispatch, limit=4) == []
    assert [r.sequence for r in receiver.requests] == list(range(1, 41))  # no duplicates, no reordering
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"delivered"}
