"""The referral as FHIR R4B: ``ServiceRequest`` is the referral, ``Task`` is the work of fulfilling it
(anchor-systems.md §8: Uzbekistan DHP e-Referral, SDOH Clinical Care TaskForReferralManagement).

Plain JSON dicts (center code never imports FHIR libraries; the tests validate every shape with
``fhir.resources.R4B``). References use the ids of the platform's FHIR facade
(``/api/v1/integration/fhir/``): ``Patient/<resident>``, ``Organization/<institution>``,
``Organization/dept-<department>``, ``Practitioner/<staff>``. No 身份证号 or phone appears here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

SYSTEM_NUMBER = "urn:yigongti:id:referral-number"
SYSTEM_STATUS = "urn:yigongti:CodeSystem:referral-status"
SYSTEM_DIRECTION = "urn:yigongti:CodeSystem:referral-direction"
SYSTEM_KIND = "urn:yigongti:CodeSystem:referral-kind"
SYSTEM_ICD10 = "http://hl7.org/fhir/sid/icd-10"  # 国家临床版 ICD-10 codes (china-standards.md §9)
EXT_SOURCE_ORG = "urn:yigongti:fhir:StructureDefinition:referral-source-organization"
SNOMED = "http://snomed.info/sct"

DIRECTION_LABELS = {"up": "上转", "down": "下转"}
KIND_LABELS = {"outpatient": "门诊转诊", "inpatient": "住院转诊", "exam": "检查转诊"}
STATUS_LABELS = {
    "draft": "草稿",
    "submitted": "已提交",
    "applicant_reviewed": "转出方已审核",
    "receiver_reviewed": "接收方已审核",
    "arranged": "已安排",
    "received": "已接诊",
    "feedback": "已反馈",
    "closed": "已完成",
    "rejected": "审核驳回",
    "refused": "接收方拒绝",
    "cancelled": "已撤销",
    "no_show": "未到诊",
}
# ServiceRequest.status (http://hl7.org/fhir/request-status)
REQUEST_STATUS = {
    "draft": "draft",
    "closed": "completed",
    "rejected": "revoked",
    "refused": "revoked",
    "cancelled": "revoked",
    "no_show": "revoked",
}
# Task.status (http://hl7.org/fhir/task-status); the exact step travels in businessStatus
TASK_STATUS = {
    "draft": "draft",
    "submitted": "requested",
    "applicant_reviewed": "requested",
    "receiver_reviewed": "received",
    "arranged": "accepted",
    "received": "in-progress",
    "feedback": "in-progress",
    "closed": "completed",
    "rejected": "rejected",
    "refused": "rejected",
    "cancelled": "cancelled",
    "no_show": "failed",
}
PRIORITY = {"normal": "routine", "urgent": "urgent", "emergency": "stat"}


def _instant(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _org(institution_id: int | None, name: str = "") -> dict[str, Any] | None:
    if institution_id is None:
        return None
    ref: dict[str, Any] = {"reference": f"Organization/{institution_id}", "type": "Organization"}
    if name:
        ref["display"] = name
    return ref


def _dept(department: Any) -> dict[str, Any] | None:
    if department is None:
        return None
    return {"reference": f"Organization/dept-{department.pk}", "type": "Organization", "display": department.name}


def _doctor(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    staff_id = getattr(user, "staff_id", None)
    if staff_id:
        return {"reference": f"Practitioner/{staff_id}", "type": "Practitioner", "display": user.name}
    return {"display": user.name}


def _patient(referral: Any) -> dict[str, Any]:
    return {"reference": f"Patient/{referral.resident_id}", "type": "Patient", "display": referral.patient_name}


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def service_request(referral: Any) -> dict[str, Any]:
    """ServiceRequest = the referral itself: who asks whom for what, why, and how urgently."""
    status = referral.status
    category = [
        {
            "coding": [{"system": SNOMED, "code": "3457005", "display": "Patient referral"}],
            "text": "双向转诊",
        },
        {
            "coding": [
                {
                    "system": SYSTEM_DIRECTION,
                    "code": referral.direction,
                    "display": DIRECTION_LABELS.get(referral.direction, ""),
                }
            ],
            "text": DIRECTION_LABELS.get(referral.direction, referral.direction),
        },
    ]
    code = {
        "coding": [{"system": SYSTEM_KIND, "code": referral.kind, "display": KIND_LABELS.get(referral.kind, "")}],
        "text": f"{DIRECTION_LABELS.get(referral.direction, '')}（{KIND_LABELS.get(referral.kind, referral.kind)}）",
    }
    reason: list[dict[str, Any]] = []
    if referral.diagnosis_code or referral.diagnosis_name:
        coding = (
            [{"system": SYSTEM_ICD10, "code": referral.diagnosis_code, "display": referral.diagnosis_name or None}]
            if referral.diagnosis_code
            else None
        )
        reason.append(_drop_empty({"coding": coding, "text": referral.diagnosis_name or referral.diagnosis_code}))
    if referral.reason:
        reason.append({"text": referral.reason})
    notes = [
        {"text": f"{label}：{value}"}
        for label, value in (("病情摘要", referral.condition_summary), ("已做治疗", referral.treatment))
        if value
    ]
    performer = [p for p in (_org(referral.to_institution_id, referral.to_institution.name), _dept(referral.to_department), _doctor(referral.to_doctor)) if p]  # fmt: skip
    requester = _doctor(referral.from_doctor) or _org(referral.from_institution_id, referral.from_institution.name)
    resource = {
        "resourceType": "ServiceRequest",
        "id": str(referral.pk),
        "meta": {"lastUpdated": _instant(getattr(referral, "updated_at", None))},
        "extension": [
            {
                "url": EXT_SOURCE_ORG,
                "valueReference": _org(referral.from_institution_id, referral.from_institution.name),
            }
        ],
        "identifier": [{"system": SYSTEM_NUMBER, "value": referral.number}] if referral.number else None,
        "basedOn": [{"reference": f"ServiceRequest/{referral.parent_id}"}] if referral.parent_id else None,
        "status": REQUEST_STATUS.get(status, "active"),
        "intent": "order",
        "category": category,
        "priority": PRIORITY.get(referral.urgency, "routine"),
        "code": code,
        "subject": _patient(referral),
        "occurrenceDateTime": _instant(referral.planned_at),
        "authoredOn": _instant(referral.submitted_at or getattr(referral, "created_at", None)),
        "requester": requester,
        "performer": performer,
        "reasonCode": reason,
        "note": notes,
    }
    return _drop_empty(resource)


def task(referral: Any) -> dict[str, Any]:
    """Task = the work of fulfilling the referral: its state, owner, arrangement and outcome."""
    status = referral.status
    owner = _dept(referral.arranged_department) or _org(referral.to_institution_id, referral.to_institution.name)
    output: list[dict[str, Any]] = []
    if referral.planned_at:
        output.append({"type": {"text": "安排就诊时间"}, "valueDateTime": _instant(referral.planned_at)})
    if referral.arranged_bed_id:
        output.append({"type": {"text": "安排床位"}, "valueString": str(referral.arranged_bed)})
    if referral.arrangement_note:
        output.append({"type": {"text": "安排说明"}, "valueString": referral.arrangement_note})
    if referral.reception_note:
        output.append({"type": {"text": "接诊记录"}, "valueString": referral.reception_note})
    reason = referral.refuse_reason if status in ("refused", "rejected", "cancelled") else ""
    resource = {
        "resourceType": "Task",
        "id": str(referral.pk),
        "meta": {"lastUpdated": _instant(getattr(referral, "updated_at", None))},
        "identifier": [{"system": SYSTEM_NUMBER, "value": referral.number}] if referral.number else None,
        "basedOn": [{"reference": f"ServiceRequest/{referral.pk}"}],
        "status": TASK_STATUS.get(status, "requested"),
        "statusReason": {"text": reason} if reason else None,
        "businessStatus": {
            "coding": [{"system": SYSTEM_STATUS, "code": status, "display": STATUS_LABELS.get(status, status)}],
            "text": STATUS_LABELS.get(status, status),
        },
        "intent": "order",
        "priority": PRIORITY.get(referral.urgency, "routine"),
        "code": {
            "coding": [{"system": "http://hl7.org/fhir/CodeSystem/task-code", "code": "fulfill"}],
            "text": "完成转诊",
        },
        "focus": {"reference": f"ServiceRequest/{referral.pk}", "type": "ServiceRequest"},
        "for": _patient(referral),
        "executionPeriod": _drop_empty(
            {"start": _instant(referral.received_at), "end": _instant(referral.closed_at or referral.cancelled_at)}
        ),
        "authoredOn": _instant(referral.submitted_at or getattr(referral, "created_at", None)),
        "lastModified": _instant(getattr(referral, "updated_at", None)),
        "requester": _org(referral.from_institution_id, referral.from_institution.name),
        "owner": owner,
        "output": output,
    }
    return _drop_empty(resource)


RESOURCES = {"ServiceRequest": service_request, "Task": task}
