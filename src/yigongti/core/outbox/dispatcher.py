"""Delivering outbox messages: per destination, strictly in sequence order, at least once.

For each enabled destination with open messages the dispatcher takes a lease (one dispatcher per
destination at a time, across processes and machines), then repeatedly takes the oldest open
message of the destination:

* ``dead`` → the destination is blocked until an administrator re-sends or discards it;
* ``failed`` and not yet due → the destination waits (exponential backoff);
* otherwise it marks the message ``delivering`` (one attempt used, committed), POSTs it with the
  ``Idempotency-Key`` header and marks it ``delivered`` only after a 2xx answer. Any other answer
  or a transport error makes it ``failed`` with the next attempt scheduled, or ``dead`` once the
  destination's ``max_attempts`` are used; later messages of the destination wait behind it.

A crash between the POST and the mark leaves the message ``delivering`` under an expiring lease;
the next dispatcher sends it again, so receivers must de-duplicate by ``Idempotency-Key``.
No database transaction is held open while a request is in flight.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils import timezone

from yigongti.core import http
from yigongti.core.jobs import backoff_delay
from yigongti.core.outbox.choices import OPEN_STATUSES, SENDABLE_STATUSES, MessageStatus
from yigongti.core.outbox.models import OutboxDestination, OutboxLease, OutboxMessage

logger = logging.getLogger(__name__)


@dataclass
class DispatchReport:
    attempted: int = 0
    delivered: int = 0
    failed: int = 0
    dead: int = 0
    busy: list[str] = field(default_factory=list)  # leased by another dispatcher
    blocked: list[str] = field(default_factory=list)  # a dead message waits for an administrator


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def _lease_seconds(destination: OutboxDestination) -> float:
    # long enough for one request plus the bookkeeping around it; renewed before every send
    return _setting("OUTBOX_LEASE_SECONDS", 30) + destination.timeout_seconds


def new_owner() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _take_lease(destination: OutboxDestination, owner: str) -> bool:
    now = timezone.now()
    expires = now + dt.timedelta(seconds=_lease_seconds(destination))
    free = Q(expires_at__isnull=True) | Q(expires_at__lt=now) | Q(owner=owner)
    leases = OutboxLease.objects.filter(destination=destination)
    if leases.filter(free).update(owner=owner, expires_at=expires):
        return True
    if leases.exists():
        return False
    OutboxLease.objects.bulk_create([OutboxLease(destination=destination)], ignore_conflicts=True)
    return bool(leases.filter(free).update(owner=owner, expires_at=expires))


def _renew_lease(destination: OutboxDestination, owner: str) -> bool:
    expires = timezone.now() + dt.timedelta(seconds=_lease_seconds(destination))
    return bool(OutboxLease.objects.filter(destination=destination, owner=owner).update(expires_at=expires))


def _release_lease(destination: OutboxDestination, owner: str) -> None:
    OutboxLease.objects.filter(destination=destination, owner=owner).update(owner="", expires_at=None)


def _send(destination: OutboxDestination, message: OutboxMessage) -> tuple[bool, int | None, str]:
    headers = {
        **destination.header_dict(),
        "Idempotency-Key": message.key,
        "X-Outbox-Destination": destination.code,
        "X-Outbox-Event": message.event,
        "X-Outbox-Sequence": str(message.sequence),
    }
    try:
        response = http.post_json(
            destination.url, message.payload, headers=headers, timeout=destination.timeout_seconds
        )
    except http.OutboundError as exc:
        return False, None, str(exc)
    if response.ok:
        return True, response.status, ""
    snippet = response.body[:500].decode("utf-8", "replace")
    return False, response.status, f"接收方返回 HTTP {response.status}：{snippet}"


def _deliver_destination(destination: OutboxDestination, owner: str, budget: int, report: DispatchReport) -> int:
    """Send the destination's due messages in order; returns the attempts used."""
    used = 0
    open_messages = OutboxMessage.objects.filter(destination=destination, status__in=OPEN_STATUSES)
    while used < budget:
        message = open_messages.order_by("sequence").first()
        if message is None:
            break
        if message.status == MessageStatus.DEAD:
            report.blocked.append(destination.code)
            break
        now = timezone.now()
        if message.status == MessageStatus.FAILED and message.next_attempt_at and message.next_attempt_at > now:
            break  # backing off; later messages wait behind it
        if not _renew_lease(destination, owner):
            report.busy.append(destination.code)
            break
        claimed = OutboxMessage.objects.filter(pk=message.pk, status=message.status, attempts=message.attempts).update(
            status=MessageStatus.DELIVERING, attempts=F("attempts") + 1, last_attempt_at=now
        )
        if not claimed:
            break
        used += 1
        report.attempted += 1
        attempts = message.attempts + 1
        ok, status_code, error = _send(destination, message)
        done = timezone.now()
        current = OutboxMessage.objects.filter(pk=message.pk, status=MessageStatus.DELIVERING)
        if ok:
            current.update(
                status=MessageStatus.DELIVERED, delivered_at=done, last_error="", response_status=status_code,
                next_attempt_at=None,
            )  # fmt: skip
            report.delivered += 1
            continue
        if attempts >= destination.max_attempts:
            current.update(
                status=MessageStatus.DEAD, last_error=error, response_status=status_code, next_attempt_at=None
            )
            report.dead += 1
            logger.error("outbox %s#%s dead after %s attempts: %s", destination.code, message.sequence, attempts, error)
        else:
            delay = backoff_delay(
                attempts,
                base=_setting("OUTBOX_RETRY_BASE_SECONDS", 30),
                max_delay=_setting("OUTBOX_RETRY_MAX_SECONDS", 3600),
            )
            current.update(
                status=MessageStatus.FAILED, last_error=error, response_status=status_code,
                next_attempt_at=done + dt.timedelta(seconds=delay),
            )  # fmt: skip
            report.failed += 1
            logger.warning("outbox %s#%s failed (attempt %s): %s", destination.code, message.sequence, attempts, error)
        break
    return used


def outbox_dispatch(*, batch: int = 100, owner: str | None = None) -> DispatchReport:
    """One pass over the destinations with open messages, sending at most ``batch`` messages."""
    report = DispatchReport()
    owner = owner or new_owner()
    destination_ids = (
        OutboxMessage.objects.filter(status__in=SENDABLE_STATUSES, destination__enabled=True)
        .order_by()
        .values_list("destination_id", flat=True)
        .distinct()
    )
    for destination in OutboxDestination.objects.filter(pk__in=list(destination_ids)).order_by("pk"):
        budget = batch - report.attempted
        if budget <= 0:
            break
        if not _take_lease(destination, owner):
            report.busy.append(destination.code)
            continue
        try:
            _deliver_destination(destination, owner, budget, report)
        finally:
            _release_lease(destination, owner)
    return report


def outbox_backlog() -> dict[str, int]:
    """Open messages of enabled destinations by status (``pending``, ``delivering``, ``failed``, ``dead``)."""
    counts = {s.value: 0 for s in OPEN_STATUSES}
    rows = (
        OutboxMessage.objects.filter(status__in=OPEN_STATUSES, destination__enabled=True)
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts
