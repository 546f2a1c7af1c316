"""outbox_publish: per-destination sequence, idempotency, the caller's transaction, one kick."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from yigongti.core.errors import BusinessError, ConflictError
from yigongti.core.outbox.models import OutboxDestination, OutboxMessage, OutboxSequence
from yigongti.core.outbox.services import outbox_publish

pytestmark = pytest.mark.django_db


def test_sequences_count_per_destination(destination: OutboxDestination) -> None:
    OutboxDestination.objects.create(code="sms", name="短信", url="http://127.0.0.1:9/sms")
    a = [
        outbox_publish(destination="region", event="referral.created", payload={"n": i}, key=f"r{i}") for i in range(3)
    ]
    b = outbox_publish(destination="sms", event="sms.send", payload={"to": "13800000000"}, key="s1")
    assert [m.sequence for m in a] == [1, 2, 3]
    assert b.sequence == 1
    assert {m.status for m in a} == {"pending"}
    assert OutboxSequence.objects.get(destination=destination).last_sequence == 3


def test_same_key_is_idempotent(destination: OutboxDestination) -> None:
    first = outbox_publish(destination="region", event="e", payload={"a": 1, "when": "2026-11-25"}, key="k")
    again = outbox_publish(destination="region", event="e", payload={"when": "2026-11-25", "a": 1}, key="k")
    assert again.pk == first.pk
    assert OutboxMessage.objects.count() == 1
    assert OutboxSequence.objects.get().last_sequence == 1  # no sequence consumed by the repeat


def test_same_key_with_other_content_is_a_conflict(destination: OutboxDestination) -> None:
    outbox_publish(destination="region", event="e", payload={"a": 1}, key="k")
    with pytest.raises(ConflictError) as info:
        outbox_publish(destination="region", event="e", payload={"a": 2}, key="k")
    assert info.value.error_code == "OUTBOX_KEY_REUSED"
    assert OutboxMessage.objects.count() == 1


def test_rollback_of_the_caller_publishes_nothing(destination: OutboxDestination) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_publish(destination="region", event="e", payload={}, key="lost")
        raise RuntimeError("业务保存失败")
    assert not OutboxMessage.objects.exists()
    assert outbox_publish(destination="region", event="e", payload={}, key="next").sequence == 1


def test_bad_input(destination: OutboxDestination) -> None:
    with pytest.raises(BusinessError) as info:
        outbox_publish(destination="nowhere", event="e", payload={}, key="k")
    assert info.value.error_code == "OUTBOX_UNKNOWN_DESTINATION"
    for event, key in [("e", ""), ("e", "中文键"), ("e", "x" * 201), ("事件", "k"), ("", "k")]:
        with pytest.raises(BusinessError):
            outbox_publish(destination="region", event=event, payload={}, key=key)
    with pytest.raises(BusinessError) as info:
        outbox_publish(destination="region", event="e", payload={"x": object()}, key="k")
    assert info.value.error_code == "OUTBOX_PAYLOAD_INVALID"
    assert not OutboxMessage.objects.exists()


def test_one_dispatch_is_enqueued_per_transaction(
    destination: OutboxDestination, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[int] = []
    monkeypatch.setattr("yigongti.core.outbox.tasks.dispatch_for_a_while", lambda: runs.append(1) or 0)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for i in range(5):
            outbox_publish(destination="region", event="e", payload={}, key=f"k{i}")
    assert len(callbacks) == 1
    assert runs == [1]  # Huey runs tasks immediately in the test settings


def test_publishing_inside_the_callers_transaction_without_commit_sends_nothing(
    destination: OutboxDestination, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outbox_publish(destination="region", event="e", payload={}, key="k")
    assert len(callbacks) == 1  # registered for after commit, not run
    assert OutboxMessage.objects.get().status == "pending"
