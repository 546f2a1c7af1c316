"""The HIS callback (RX-02): the final verdict after a pharmacist, a doctor's double signature, the
timeout auto-pass or a cancellation is published into the outbox in the same transaction as the
change, and delivered by the outbox dispatcher to the institution's configured destination
(``RxCenterConfig.webhook_destination``; receivers de-duplicate by ``Idempotency-Key``)."""

from __future__ import annotations

from typing import Any

from yigongti.centers.prescription_review.choices import DISPENSABLE, RxStatus
from yigongti.centers.prescription_review.models import Prescription, ReviewTask
from yigongti.centers.prescription_review.services_config import config_for
from yigongti.core.outbox.services import outbox_publish

EVENT = "rx.verdict"


def verdict_payload(rx: Prescription, task: ReviewTask | None = None) -> dict[str, Any]:
    status = RxStatus(rx.status)
    return {
        "event": EVENT,
        "his_id": rx.his_id,
        "version": rx.version_count,
        "status": status.value,
        "status_label": status.label,
        "dispensable": status in DISPENSABLE,
        "reason": task.reason if task is not None else rx.cancel_reason,
        "double_sign_doctor": task.double_sign_doctor if task is not None else "",
        "double_sign_reason": task.double_sign_reason if task is not None else "",
        "at": (rx.final_at or rx.updated_at).isoformat() if (rx.final_at or rx.updated_at) else None,
    }


def publish_verdict(rx: Prescription, task: ReviewTask | None = None) -> bool:
    """Publish the prescription's current verdict to its institution's HIS; False when none is configured."""
    destination = config_for(rx.institution_id).webhook_destination
    if not destination:
        return False
    outbox_publish(
        destination=destination,
        event=EVENT,
        payload=verdict_payload(rx, task),
        key=f"rx-{rx.pk}-v{rx.version_count}-{rx.status}",
    )
    return True
