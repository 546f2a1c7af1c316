"""Status webhooks to hospital systems (INT-01 row 11) through the outbox (``core/outbox``).

* Each API client registers ONE receiver URL: an ``OutboxDestination`` coded
  ``referral.client-<client id>``, so deliveries of one client are strictly ordered (hence ordered
  per referral), retried with backoff and de-duplicated by the receiver on ``Idempotency-Key``.
* Every workflow transition of a referral publishes ``referral.status_changed`` to the registered
  clients of BOTH institutions (applicant and receiver) **in the transaction of the transition**
  (``core.workflow.hooks.on_transition_in_transaction``; an after-commit receiver could lose a message
  between commit and publish). Key: ``referral-<id>-t<timeline id>``.
* The body is signed: ``signature.value`` = hex HMAC-SHA256 over the canonical JSON of the body
  without ``signature`` (keys sorted, ``separators=(",", ":")``, UTF-8, ``ensure_ascii=False``).
  The key is derived per client from the server secret (``salted_hmac``) and changes when the client's
  OAuth2 secret is rotated; it is shown to the client on registration.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from yigongti.core.audit.choices import Category
from yigongti.core.audit.services import audit_model_change, snapshot
from yigongti.core.outbox.models import OutboxDestination
from yigongti.core.outbox.services import outbox_publish
from yigongti.core.workflow.hooks import TransitionEvent, on_transition_in_transaction
from yigongti.platform.integration.models import ApiClient

EVENT = "referral.status_changed"
WORKFLOW = "referral"
SIGNATURE_ALG = "hmac-sha256"
_SALT = "yigongti.referral.webhook"


def destination_code(client_id: int) -> str:
    return f"referral.client-{client_id}"


def signing_secret(client: ApiClient) -> str:
    rotated = client.secret_rotated_at.isoformat() if client.secret_rotated_at else ""
    return salted_hmac(_SALT, f"{client.pk}:{rotated}", algorithm="sha256").hexdigest()


def canonical(body: dict[str, Any]) -> bytes:
    unsigned = {k: v for k, v in body.items() if k != "signature"}
    text = json.dumps(unsigned, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def sign(body: dict[str, Any], secret: str) -> dict[str, Any]:
    digest = hmac.new(secret.encode("utf-8"), canonical(body), hashlib.sha256).hexdigest()
    return body | {"signature": {"alg": SIGNATURE_ALG, "value": digest}}


def verify(body: dict[str, Any], secret: str) -> bool:
    """What a receiver does (documented in docs/centers/referral.md)."""
    given = str((body.get("signature") or {}).get("value", ""))
    expected = hmac.new(secret.encode("utf-8"), canonical(body), hashlib.sha256).hexdigest()
    return hmac.compare_digest(given, expected)


# -- registration -----------------------------------------------------------------------------------
def webhook_destination(client: ApiClient) -> OutboxDestination | None:
    return OutboxDestination.objects.filter(code=destination_code(client.pk)).first()


@transaction.atomic
def webhook_register(*, client: ApiClient, url: str, actor: Any) -> OutboxDestination:
    """Register (or change) the client's receiver URL; the host must be on the outbound allow-list."""
    code = destination_code(client.pk)
    destination = OutboxDestination.objects.select_for_update().filter(code=code).first()
    before = snapshot(destination) if destination is not None else None
    if destination is None:
        destination = OutboxDestination(code=code, name=f"{client.name} 转诊状态回调"[:100])
    destination.url = url
    destination.enabled = True
    destination.description = f"双向转诊状态变更推送（接口客户端 {client.code}）"
    destination.full_clean()
    destination.save()
    audit_model_change(
        category=Category.CREATE if before is None else Category.UPDATE,
        instance=destination,
        before=before,
        after=snapshot(destination),
        project="双向转诊",
        content=f"接口客户端「{client.name}」登记转诊状态回调地址",
    )
    return destination


@transaction.atomic
def webhook_unregister(*, client: ApiClient, actor: Any) -> None:
    """Stop pushing (the destination is disabled, its queued messages stay visible to administrators)."""
    destination = OutboxDestination.objects.select_for_update().filter(code=destination_code(client.pk)).first()
    if destination is None or not destination.enabled:
        return
    before = snapshot(destination)
    destination.enabled = False
    destination.save(update_fields=["enabled", "updated_at"])
    audit_model_change(
        category=Category.UPDATE,
        instance=destination,
        before=before,
        after=snapshot(destination),
        project="双向转诊",
        content=f"接口客户端「{client.name}」停用转诊状态回调",
    )


# -- payload and publishing ---------------------------------------------------------------------------
def _inst(institution: Any) -> dict[str, Any]:
    return {"id": institution.pk, "code": institution.code, "name": institution.name}


def referral_payload(referral: Any) -> dict[str, Any]:
    """What a hospital system learns on each change (no 身份证号/phone; the patient's name only)."""
    return {
        "id": referral.pk,
        "number": referral.number,
        "status": referral.status,
        "status_label": referral.get_status_display(),
        "direction": referral.direction,
        "kind": referral.kind,
        "urgency": referral.urgency,
        "patient_name": referral.patient_name,
        "from_institution": _inst(referral.from_institution),
        "to_institution": _inst(referral.to_institution),
        "planned_at": referral.planned_at,
        "arranged_department": referral.arranged_department.name if referral.arranged_department_id else "",
        "arranged_doctor": referral.arranged_doctor.name if referral.arranged_doctor_id else "",
        "arranged_bed": str(referral.arranged_bed) if referral.arranged_bed_id else "",
        "refuse_reason": referral.refuse_reason,
        "booking_ref": referral.booking_ref,
    }


def _recipients(referral: Any) -> list[tuple[ApiClient, OutboxDestination]]:
    clients = {
        c.pk: c
        for c in ApiClient.objects.filter(
            institution_id__in=[referral.from_institution_id, referral.to_institution_id], enabled=True
        )
    }
    if not clients:
        return []
    destinations = OutboxDestination.objects.filter(
        code__in=[destination_code(pk) for pk in clients], enabled=True
    ).order_by("code")
    by_code = {destination_code(pk): c for pk, c in clients.items()}
    return [(by_code[d.code], d) for d in destinations]


def publish_status(*, referral: Any, entry: TransitionEvent) -> int:
    """Publish one status change to every registered client of both institutions; returns how many."""
    recipients = _recipients(referral)
    if not recipients:
        return 0
    data = referral_payload(referral)
    for client, destination in recipients:
        body = {
            "event": EVENT,
            "id": f"referral-{referral.pk}-t{entry.timeline_id}",
            "occurred_at": timezone.localtime(entry.at).isoformat(),
            "transition": entry.transition,
            "from_status": entry.from_state,
            "to_status": entry.to_state,
            "external_key": referral.external_key if referral.source_client_id == client.pk else "",
            "referral": data,
        }
        key = f"referral-{referral.pk}-t{entry.timeline_id}"
        outbox_publish(destination=destination.code, event=EVENT, payload=sign(body, signing_secret(client)), key=key)
    return len(recipients)


@on_transition_in_transaction
def _on_referral_transition(event: TransitionEvent) -> None:
    if event.workflow != WORKFLOW or event.to_state == "draft":
        return
    from yigongti.centers.referral.models import Referral

    referral = (
        Referral.objects.select_related(
            "from_institution", "to_institution", "arranged_department", "arranged_doctor", "arranged_bed"
        )
        .filter(pk=event.object_id)
        .first()
    )
    if referral is not None:
        publish_status(referral=referral, entry=event)
