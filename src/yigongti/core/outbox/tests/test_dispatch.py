"""The dispatcher: order per destination, ack before mark, backoff, dead, leases, crash recovery."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from yigongti.core.outbox.dispatcher import outbox_backlog, outbox_dispatch
from yigongti.core.outbox.models import OutboxDestination, OutboxLease, OutboxMessage
from yigongti.core.outbox.services import outbox_message_discard, outbox_message_retry, outbox_publish
from yigongti.core.outbox.testing import FakeReceiver

pytestmark = pytest.mark.django_db


def publish(n: int, destination: str = "region", start: int = 0) -> list[OutboxMessage]:
    return [
        outbox_publish(destination=destination, event="referral.created", payload={"no": i}, key=f"{destination}-{i}")
        for i in range(start, start + n)
    ]


def statuses() -> list[str]:
    return list(OutboxMessage.objects.order_by("destination_id", "sequence").values_list("status", flat=True))


def test_delivers_in_sequence_order_with_headers_and_payload(
    destination: OutboxDestination, receiver: FakeReceiver
) -> None:
    destination.headers = '{"Authorization": "Bearer s3cret"}'
    destination.save()
    publish(5)
    report = outbox_dispatch(batch=100)
    assert (report.attempted, report.delivered, report.failed) == (5, 5, 0)
    assert [r.sequence for r in receiver.requests] == [1, 2, 3, 4, 5]
    first = receiver.requests[0]
    assert first.key == "region-0"
    assert first.json() == {"no": 0}
    assert first.headers["authorization"] == "Bearer s3cret"
    assert first.headers["x-outbox-event"] == "referral.created"
    assert first.headers["x-outbox-destination"] == "region"
    assert statuses() == ["delivered"] * 5
    row = OutboxMessage.objects.get(sequence=1)
    assert row.attempts == 1 and row.response_status == 200 and row.delivered_at is not None
    assert not OutboxLease.objects.exclude(owner="").exists()  # released


def test_batch_limits_a_run(destination: OutboxDestination, receiver: FakeReceiver) -> None:
    publish(5)
    assert outbox_dispatch(batch=2).delivered == 2
    assert statuses() == ["delivered", "delivered", "pending", "pending", "pending"]
    assert outbox_dispatch(batch=10).delivered == 3


def test_a_failing_message_blocks_the_later_ones_and_backs_off(
    destination: OutboxDestination, receiver: FakeReceiver, settings: Any
) -> None:
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    receiver.statuses = [200, 503]
    publish(4)
    before = timezone.now()
    report = outbox_dispatch(batch=100)
    assert (report.delivered, report.failed) == (1, 1)
    assert statuses() == ["delivered", "failed", "pending", "pending"]
    second = OutboxMessage.objects.get(sequence=2)
    assert second.attempts == 1 and second.response_status == 503
    assert "HTTP 503" in second.last_error
    assert second.next_attempt_at is not None
    assert dt.timedelta(seconds=53) < second.next_attempt_at - before < dt.timedelta(seconds=67)  # 60 s ± 10 %
    # not due yet: nothing is sent, the later messages keep waiting
    assert outbox_dispatch(batch=100).attempted == 0
    assert receiver.count() == 2
    # due: the second attempt fails again and waits about twice as long
    OutboxMessage.objects.filter(sequence=2).update(next_attempt_at=timezone.now())
    before = timezone.now()
    assert outbox_dispatch(batch=100).failed == 1
    second.refresh_from_db()
    assert second.attempts == 2
    assert dt.timedelta(seconds=107) < second.next_attempt_at - before < dt.timedelta(seconds=133)
    # the receiver recovers: everything goes, in order
    receiver.statuses = lambda request: 200
    OutboxMessage.objects.filter(sequence=2).update(next_attempt_at=timezone.now())
    assert outbox_dispatch(batch=100).delivered == 3
    assert [r.sequence for r in receiver.requests] == [1, 2, 2, 2, 3, 4]
    assert statuses() == ["delivered"] * 4


def test_dead_after_max_attempts_blocks_until_retried_or_discarded(
    destination: OutboxDestination, receiver: FakeReceiver
) -> None:
    receiver.statuses = [500]
    publish(3)
    for _ in range(3):  # max_attempts = 3
        OutboxMessage.objects.filter(status="failed").update(next_attempt_at=timezone.now())
        outbox_dispatch(batch=100)
    assert statuses() == ["dead", "pending", "pending"]
    report = outbox_dispatch(batch=100)
    assert report.attempted == 0 and report.blocked == ["region"]
    assert outbox_backlog() == {"pending": 2, "delivering": 0, "failed": 0, "dead": 1}
    # an administrator re-sends it: fresh attempts, and the queue moves again
    receiver.statuses = [200]
    outbox_message_retry(message=OutboxMessage.objects.get(sequence=1), actor=None)
    assert outbox_dispatch(batch=100).delivered == 3
    assert statuses() == ["delivered"] * 3


def test_discarding_a_dead_message_unblocks_the_destination(
    destination: OutboxDestination, receiver: FakeReceiver
) -> None:
    publish(2)
    OutboxMessage.objects.filter(sequence=1).update(status="dead", attempts=3)
    outbox_message_discard(message=OutboxMessage.objects.get(sequence=1), actor=None)
    assert outbox_dispatch(batch=100).delivered == 1
    assert statuses() == ["discarded", "delivered"]
    assert [r.sequence for r in receiver.requests] == [2]


def test_destinations_are_independent(destination: OutboxDestination) -> None:
    with FakeReceiver(statuses=[503]) as broken:
        OutboxDestination.objects.create(code="sms", name="短信", url=broken.url)
        publish(2, "sms")
        publish(2)
        report = outbox_dispatch(batch=100)
    assert report.delivered == 2 and report.failed == 1
    assert statuses() == ["delivered", "delivered", "failed", "pending"]


def test_disabled_destinations_wait(destination: OutboxDestination, receiver: FakeReceiver) -> None:
    publish(2)
    OutboxDestination.objects.filter(pk=destination.pk).update(enabled=False)
    assert outbox_dispatch(batch=100).attempted == 0
    assert receiver.count() == 0


def test_transport_errors_are_failures(destination: OutboxDestination) -> None:
    with FakeReceiver() as gone:
        url = gone.url
    OutboxDestination.objects.filter(pk=destination.pk).update(url=url)
    publish(1)
    assert outbox_dispatch(batch=100).failed == 1
    assert "无法连接" in OutboxMessage.objects.get().last_error


def test_a_destination_leased_by_another_dispatcher_is_left_alone(
    destination: OutboxDestination, receiver: FakeReceiver
) -> None:
    publish(2)
    OutboxLease.objects.create(
        destination=destination, owner="other:1:x", expires_at=timezone.now() + dt.timedelta(seconds=30)
    )
    report = outbox_dispatch(batch=100)
    assert report.attempted == 0 and report.busy == ["region"]
    OutboxLease.objects.filter(destination=destination).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert outbox_dispatch(batch=100).delivered == 2


def test_a_message_left_delivering_by_a_crash_is_sent_again(
    destination: OutboxDestination, receiver: FakeReceiver
) -> None:
    publish(2)
    # a dispatcher sent #1 and died before marking it: status delivering, lease expired
    OutboxMessage.objects.filter(sequence=1).update(status="delivering", attempts=1)
    OutboxLease.objects.create(
        destination=destination, owner="dead:1:x", expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert outbox_dispatch(batch=100).delivered == 2
    assert [r.sequence for r in receiver.requests] == [1, 2]
    assert OutboxMessage.objects.get(sequence=1).attempts == 2


def test_the_mark_does_not_overwrite_a_newer_state(
    destination: OutboxDestination, receiver: FakeReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the request is in flight an administrator discards the message: the late ack must
    not turn it back into delivered."""
    from yigongti.core.outbox import dispatcher

    publish(1)
    real_send = dispatcher._send

    def send_while_discarded(dest: Any, message: Any) -> Any:
        result = real_send(dest, message)
        OutboxMessage.objects.filter(pk=message.pk).update(status="discarded")
        return result

    monkeypatch.setattr(dispatcher, "_send", send_while_discarded)
    outbox_dispatch(batch=100)
    assert receiver.count() == 1
    assert statuses() == ["discarded"]
