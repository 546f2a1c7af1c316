"""HIS interface of 双向转诊 (issue 5 item 8, INT-01 row 11, guide §5.1 row 11).

Hospital systems call it with OAuth2 client-credentials tokens (``ClientPrincipal``: bound to one
institution, permission codes from scopes). Like every inbound endpoint of ``platform/integration``
a write is **stored raw first** (``inbound_receive``: an ``InboundMessage``, SM4-encrypted, committed
in its own transaction) and processed in a second transaction (``inbound_process``) that either
commits everything (patient through the MPI, referral, submission with its booking, audit,
timeline, webhooks) or nothing; the answer is stored on the message.

Idempotency: the key (``Idempotency-Key`` header or ``external_key``) is the message's control id.
The same key with the same body (compared after JSON canonicalisation) answers the stored response
again without processing; the same key with another body is refused (409). The referral also keeps
``(source_client, external_key)`` unique, so two racing first requests cannot create two referrals.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Q
from django.utils import timezone
from rest_framework import exceptions

from yigongti.centers.referral import services
from yigongti.centers.referral.models import Referral
from yigongti.core.errors import BusinessError, exception_handler
from yigongti.core.workflow.services import workflow_transition
from yigongti.platform.accounts.models import User
from yigongti.platform.integration.choices import Protocol
from yigongti.platform.integration.models import ApiClient, ClientPrincipal, InboundMessage
from yigongti.platform.integration.services.inbound import (
    HANDLERS,
    Outcome,
    Processed,
    Rejected,
    control_id_taken,
    inbound_process,
    inbound_receive,
    register_handler,
)
from yigongti.platform.org.models import Bed, Institution

HIS_SUBMIT = "referral.his.submit"
REFERRAL_VIEW = "referral.referral.view"
SCOPE_HIS = "referral.his"
SCOPE_READ = "referral.read"
MSG_CREATE = "referral.create"
MSG_PACKAGE = "referral.package"
MSG_SUBMIT = "referral.submit"
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,64}$")

IDEMPOTENCY_CONFLICT = "REFERRAL_IDEMPOTENCY_CONFLICT"
IDEMPOTENCY_KEY_INVALID = "REFERRAL_IDEMPOTENCY_KEY_INVALID"
CLIENT_ONLY = "REFERRAL_CLIENT_ONLY"
DOCTOR_UNKNOWN = "REFERRAL_DOCTOR_UNKNOWN"
TARGET_OUTSIDE = "REFERRAL_TARGET_OUTSIDE_COMMUNITY"

# OAuth2 scopes SCOPE_HIS / SCOPE_READ are declared in permissions.py (register_scope).


def client_of(user: Any) -> ApiClient:
    if not isinstance(user, ClientPrincipal):
        raise BusinessError(CLIENT_ONLY, "该接口仅供医院信息系统（接口客户端）调用。", status_code=403)
    return user.api_client


def idempotency_key(header: str | None, body_key: str | None) -> str:
    header, body_key = (header or "").strip(), (body_key or "").strip()
    if header and body_key and header != body_key:
        raise BusinessError(
            IDEMPOTENCY_KEY_INVALID,
            "请求头 Idempotency-Key 与 external_key 不一致。",
            fields={"external_key": ["与请求头 Idempotency-Key 不一致。"]},
        )
    key = header or body_key
    if not key:
        raise BusinessError(
            IDEMPOTENCY_KEY_INVALID,
            "请提供幂等键（请求头 Idempotency-Key 或字段 external_key）。",
            fields={"external_key": ["该项为必填项。"]},
        )
    if not KEY_PATTERN.match(key):
        raise BusinessError(
            IDEMPOTENCY_KEY_INVALID,
            "幂等键不超过 64 个字符，且只能包含可打印的 ASCII 字符。",
            fields={"external_key": ["格式不正确。"]},
        )
    return key


def canonical_body(data: Any) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sender_of(client: ApiClient) -> str:
    return f"referral-his:{client.pk}"


# -- errors inside processing become stored refusals ---------------------------------------------
def _refusal(exc: Exception) -> Rejected:
    response = exception_handler(exc, {})
    if response is None:  # not an API error: let inbound_process record it as retryable
        raise exc
    payload = response.data
    return Rejected(
        str(payload.get("code", "ERROR")),
        str(payload.get("message", "")),
        response=json.dumps(payload, ensure_ascii=False),
        status=response.status_code,
    )


# -- writes -------------------------------------------------------------------------------------------
def doctor_for(client: ApiClient, code: str) -> User:
    """The applying doctor named by the HIS (工号 in the client's institution, with an account)."""
    user = (
        User.objects.select_related("staff")
        .filter(staff__institution_id=client.institution_id, staff__code=code, is_active=True)
        .first()
    )
    if user is None:
        raise BusinessError(
            DOCTOR_UNKNOWN,
            f"本机构没有工号为 {code} 且已开通账号的医生。",
            fields={"doctor_code": ["未找到该工号的医生账号。"]},
        )
    return user


def check_target(client: ApiClient, institution: Institution) -> None:
    if institution.community_id != client.institution.community_id:
        raise BusinessError(
            TARGET_OUTSIDE,
            "转入机构不在本医共体内。",
            fields={"to_institution": ["只能转诊到本医共体内的机构。"]},
        )


@dataclass
class CreateResult:
    referral: Referral
    created: bool


def his_referral_create(*, client: ApiClient, principal: Any, data: dict[str, Any], key: str) -> CreateResult:
    """Patient through the MPI, the referral (A's ``referral_create``) and, unless ``submit`` is
    false, its submission with the optional booking — all in the caller's transaction."""
    doctor = doctor_for(client, data["doctor_code"])
    check_target(client, data["to_institution"])
    resident = services.patient_resolve(institution=client.institution, data=data["patient"], actor=principal)
    package = dict(data.get("package") or {})
    if data.get("visit"):
        package["visit"] = data["visit"]
    package = json.loads(canonical_body(package))  # dates as ISO text (JSONField)
    values = {k: data[k] for k in services.EDITABLE_FIELDS if k in data and k != "package"}
    values["package"] = package
    referral, created = services.referral_create(
        resident=resident, data=values, actor=doctor, source_client=client, external_key=key
    )
    if created and data.get("submit", True):
        booking = {"slot": data["slot"]} if data.get("slot") else {}
        workflow_transition(referral, "submit", actor=doctor, data=booking)
    return CreateResult(referral, created)


def his_package_push(*, client: ApiClient, referral: Referral, sections: dict[str, Any], actor: Any) -> Referral:
    """Merge pushed sections (patient, visit, lab, exam, medication …) into the draft's package
    through ``referral_update`` (only the applicant's draft is editable)."""
    if referral.from_institution_id != client.institution_id:
        raise BusinessError("REFERRAL_NOT_EDITABLE", "只有转出机构可以推送转诊资料。", status_code=403)
    package = {k: v for k, v in (referral.package or {}).items() if k != "basic"}
    package.update(json.loads(canonical_body(sections)))
    return services.referral_update(referral=referral, data={"package": package}, actor=actor)


# -- inbound handler (stored message → processing) ---------------------------------------------------
class ReferralJsonHandler:
    """Processes the HIS messages stored by the views (protocol ``json``, type ``referral.*``)."""

    def process(self, message: InboundMessage, actor: Any) -> Processed:
        from yigongti.centers.referral.api import his_serializers

        if control_id_taken(message):
            text = f"幂等键「{message.control_id}」已用于内容不同的请求。"
            payload = {"code": IDEMPOTENCY_CONFLICT, "message": text, "fields": {}}
            raise Rejected(IDEMPOTENCY_CONFLICT, text, response=json.dumps(payload, ensure_ascii=False), status=409)
        principal = actor
        client = client_of(principal)
        body = json.loads(message.payload)
        try:
            if message.message_type == MSG_CREATE:
                serializer = his_serializers.HisReferralCreateSerializer(data=body, context={"client": client})
                serializer.is_valid(raise_exception=True)
                result = his_referral_create(
                    client=client, principal=principal, data=serializer.validated_data, key=message.control_id
                )
                out = his_serializers.HisReferralSerializer(result.referral).data
                status = 201 if result.created else 200
            elif message.message_type == MSG_PACKAGE:
                referral = Referral.objects.filter(pk=body.get("referral")).first()
                if referral is None or referral.from_institution_id != client.institution_id:
                    raise exceptions.NotFound()
                push = his_serializers.HisPackagePushSerializer(data=body)
                push.is_valid(raise_exception=True)
                referral = his_package_push(
                    client=client, referral=referral, sections=push.validated_data["sections"], actor=principal
                )
                out = his_serializers.HisReferralSerializer(referral).data
                status = 200
            elif message.message_type == MSG_SUBMIT:
                referral = Referral.objects.select_related("from_doctor").filter(pk=body.get("referral")).first()
                if referral is None or referral.from_institution_id != client.institution_id:
                    raise exceptions.NotFound()
                submit = his_serializers.HisSubmitSerializer(data=body)
                submit.is_valid(raise_exception=True)
                slot = submit.validated_data.get("slot")
                workflow_transition(referral, "submit", actor=referral.from_doctor, data={"slot": slot} if slot else {})
                out = his_serializers.HisReferralSerializer(referral).data
                status = 200
            else:
                raise BusinessError("REFERRAL_MESSAGE_UNKNOWN", f"未知的消息类型：{message.message_type}")
        except (exceptions.APIException, DjangoValidationError) as exc:
            raise _refusal(exc) from exc
        text = json.dumps(out, cls=DjangoJSONEncoder, ensure_ascii=False)
        return Processed(response=text, result={"http_status": status, "referral": out["id"]})

    def error_response(self, message: InboundMessage, text: str) -> str:
        return json.dumps({"code": "PROCESSING_ERROR", "message": text, "fields": {}}, ensure_ascii=False)


if Protocol.JSON not in HANDLERS:
    register_handler(Protocol.JSON, ReferralJsonHandler())


def his_receive(*, principal: ClientPrincipal, message_type: str, body: Any, key: str) -> tuple[int, Any]:
    """Store the raw request (committed), process it, answer with the stored response."""
    client = principal.api_client
    message, _ = inbound_receive(
        protocol=Protocol.JSON,
        payload=canonical_body(body),
        client=client,
        institution_id=client.institution_id,
        message_type=message_type,
        control_id=key,
        sender=sender_of(client),
    )
    outcome: Outcome = inbound_process(message=message, actor=principal)
    data = json.loads(outcome.response) if outcome.response else {}
    if outcome.status == 200:
        return int((outcome.message.result or {}).get("http_status", 200)), data
    return outcome.status, data


# -- reads -------------------------------------------------------------------------------------------
def read_params(query: Any, *, required: tuple[str, ...] = ()) -> dict[str, int | None]:
    """Integer query parameters (institution, department, days); a bad value is a 400."""
    out: dict[str, int | None] = {}
    errors: dict[str, list[str]] = {}
    for name in ("institution", "department", "days"):
        raw = str(query.get(name, "") or "").strip()
        if not raw:
            if name in required:
                errors[name] = ["该项为必填项。"]
            out[name] = None
        elif raw.isdigit() and int(raw) > 0:
            out[name] = int(raw)
        else:
            errors[name] = ["请输入正整数。"]
    if errors:
        raise BusinessError("VALIDATION_ERROR", next(iter(errors.values()))[0], fields=errors)
    return out


def target_institution(client: ApiClient, institution_id: int) -> Institution:
    institution = Institution.objects.filter(
        pk=institution_id, community_id=client.institution.community_id, is_active=True
    ).first()
    if institution is None:
        raise exceptions.NotFound()
    return institution


def open_slots(
    *, principal: Any, institution: Institution, kind: str = "", department_id: int | None = None, days: int = 14
) -> list[Any]:
    """Bookable slots of ``institution`` from engineer C's selector (配额模式, pinning applied, open,
    not ended, places left) for the next ``days`` days."""
    from yigongti.centers.referral.config.selectors import SlotFilters, slots_available

    today = timezone.localdate()
    filters = SlotFilters(
        institution=institution.pk,
        department=department_id,
        kind=kind or None,
        date_to=today + dt.timedelta(days=days),
    )
    return slots_available(user=principal, filters=filters)


def bed_availability(*, institution: Institution, department_id: int | None = None) -> list[dict[str, Any]]:
    """Per department: beds in service, free, and free beds reserved for referrals (one query)."""
    qs = Bed.objects.filter(institution=institution).exclude(status__in=("disabled", "maintenance"))
    if department_id:
        qs = qs.filter(department_id=department_id)
    rows = (
        qs.values("department_id", "department__name", "department__code")
        .annotate(
            total=Count("pk"),
            free=Count("pk", filter=Q(status="free")),
            referral_reserved=Count("pk", filter=Q(referral_reserved=True, status__in=("free", "reserved"))),
        )
        .order_by("department__code")
    )
    return [
        {
            "department": r["department_id"],
            "department_name": r["department__name"],
            "total": r["total"],
            "free": r["free"],
            "referral_reserved": r["referral_reserved"],
        }
        for r in rows
    ]
