"""The real-time interface's writes (RX-01, RX-02, RX-04): submit / resubmit, cancel.

The hot path (``prescription_submit``) runs the in-process engine first, outside any transaction,
then writes in ONE short transaction: lock-or-insert the prescription row, one version, one check
record, at most one task, one audit row. Staff, department and configuration look-ups are cached
per process for a minute (they change rarely; a changed value applies within the minute).
"""

from __future__ import annotations

import functools
import json
import time
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from yigongti.centers.prescription_review import webhooks
from yigongti.centers.prescription_review.choices import (
    DISPENSABLE,
    CheckSource,
    RxStatus,
    TaskStatus,
    Verdict,
)
from yigongti.centers.prescription_review.models import (
    CheckRecord,
    Prescription,
    PrescriptionVersion,
    ReviewTask,
)
from yigongti.centers.prescription_review.services_check import EngineOutcome, run_engine
from yigongti.centers.prescription_review.services_config import config_for, requires_second_review
from yigongti.core.audit.choices import Category, LogType
from yigongti.core.audit.services import AuditEntry, audit_write
from yigongti.core.crypto import sm3_hex
from yigongti.core.errors import BusinessError, ConflictError, not_found
from yigongti.core.workflow.actors import SYSTEM
from yigongti.core.workflow.services import workflow_start, workflow_transition
from yigongti.platform.org.models import Department, Staff

PROJECT = "县域审方中心"
# Identifying patient fields never stored in the (plaintext) payload: they go SM4-encrypted into
# ``PrescriptionVersion.identity`` (architecture §4 sensitive fields).
IDENTIFYING = ("name", "id_number", "id_card", "phone", "mobile", "address", "patient_id", "his_patient_id", "mrn")
_CACHE_SECONDS = 60.0
_lookup_cache: dict[tuple[str, int, str], tuple[float, int | None]] = {}


@dataclass
class SubmitResult:
    prescription: Prescription
    version: PrescriptionVersion
    check: CheckRecord
    task: ReviewTask | None
    created: bool  # False: an identical resend answered with the stored result


def _cached_id(kind: str, institution_id: int, code: str) -> int | None:
    if not code:
        return None
    key = (kind, institution_id, code)
    hit = _lookup_cache.get(key)
    now = time.monotonic()
    if hit is not None and now - hit[0] < _CACHE_SECONDS:
        return hit[1]
    model = Staff if kind == "staff" else Department
    found = model.objects.filter(institution_id=institution_id, code=code).values_list("pk", flat=True).first()
    _lookup_cache[key] = (now, found)
    return found


def clear_lookup_cache() -> None:
    _lookup_cache.clear()


def split_identity(payload: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(payload without identifying patient fields, those fields)."""
    patient = payload.get("patient")
    if not isinstance(patient, dict):
        return payload, {}
    identity = {k: patient[k] for k in IDENTIFYING if patient.get(k) not in (None, "")}
    if not identity:
        return payload, {}
    clean = dict(payload)
    clean["patient"] = {k: v for k, v in patient.items() if k not in IDENTIFYING}
    return clean, identity


def _his_id(payload: Any) -> str:
    if not isinstance(payload, dict):
        raise BusinessError("RX_PAYLOAD_INVALID", "请求内容应为 JSON 对象。")
    his_id = payload.get("his_id")
    if not isinstance(his_id, (str, int)) or isinstance(his_id, bool) or not str(his_id).strip():
        raise BusinessError(
            "RX_PAYLOAD_INVALID", "缺少 HIS 处方号（his_id）。", fields={"his_id": ["该字段为必填项。"]}
        )
    value = str(his_id).strip()
    if len(value) > 64:
        raise BusinessError("RX_PAYLOAD_INVALID", "HIS 处方号不能超过 64 个字符。", fields={"his_id": ["过长。"]})
    return value


def _rx_status(verdict: str) -> tuple[str, str | None]:
    """(prescription status, task status or None) for an engine verdict."""
    if verdict in (Verdict.PASS, Verdict.INFORM):
        return RxStatus.PASSED, None
    if verdict == Verdict.INTERCEPT:
        return RxStatus.INTERCEPTED, None
    if verdict == Verdict.DOUBLE_SIGN:
        return RxStatus.REJECTED_DOUBLE_SIGN, TaskStatus.REJECTED_DOUBLE_SIGN
    return RxStatus.PENDING_REVIEW, TaskStatus.PENDING


def _text(meta: dict[str, Any], key: str, limit: int) -> str:
    value = meta.get(key)
    return str(value)[:limit] if value not in (None, "") else ""


def prescription_submit(
    *, institution_id: int, payload: Any, actor: Any, source: str = CheckSource.HIS
) -> SubmitResult:
    """Check a prescription and store it as a new version of (institution, his_id).

    An identical resend of the latest version (same content digest, not cancelled) writes nothing
    and returns the stored answer, so an HIS retrying after a timeout never creates versions.
    Bad input: 400 ``RX_PAYLOAD_INVALID`` and nothing written.
    """
    his_id = _his_id(payload)
    body = {k: v for k, v in payload.items() if k != "his_id"}
    clean, identity = split_identity(body)
    digest = sm3_hex(json.dumps(clean, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8"))
    outcome = run_engine(clean, institution_id=institution_id, his_id=his_id)
    return _store(
        institution_id=institution_id, his_id=his_id, clean=clean, identity=identity, digest=digest,
        outcome=outcome, actor=actor, source=source,
    )  # fmt: skip


@transaction.atomic
def _store(
    *,
    institution_id: int,
    his_id: str,
    clean: dict[str, Any],
    identity: dict[str, Any],
    digest: str,
    outcome: EngineOutcome,
    actor: Any,
    source: str,
) -> SubmitResult:
    now = timezone.now()
    rx = Prescription.objects.select_for_update().filter(institution_id=institution_id, his_id=his_id).first()
    if rx is not None and rx.status != RxStatus.CANCELLED:
        latest = PrescriptionVersion.objects.filter(prescription=rx, number=rx.version_count).first()
        if latest is not None and latest.content_digest == digest:
            return _stored_answer(rx, latest)
    if rx is not None and rx.status == RxStatus.CANCELLED:
        raise ConflictError("RX_CANCELLED", f"处方 {his_id} 已撤销，不能再提交；请使用新的处方号。")
    status, task_status = _rx_status(outcome.verdict)
    meta: dict[str, Any] = clean["prescription"] if isinstance(clean.get("prescription"), dict) else {}
    patient: dict[str, Any] = clean["patient"] if isinstance(clean.get("patient"), dict) else {}
    created = rx is None
    if rx is None:
        rx = _insert_prescription(institution_id, his_id, meta, patient, identity, outcome, status, now)
        if rx is None:  # lost an insert race with the same his_id: the other request's row is locked now
            return _store(
                institution_id=institution_id, his_id=his_id, clean=clean, identity=identity, digest=digest,
                outcome=outcome, actor=actor, source=source,
            )  # fmt: skip
    else:
        _supersede_open(rx, actor)
        rx.version_count += 1
        rx.status = status
        rx.last_severity, rx.last_verdict, rx.last_submitted_at = outcome.max_severity, outcome.verdict, now
        rx.kind = _text(meta, "kind", 20) or rx.kind
        rx.final_at = now if status not in (RxStatus.PENDING_REVIEW, RxStatus.REJECTED_DOUBLE_SIGN) else None
        rx.save(
            update_fields=[
                "version_count", "status", "last_severity", "last_verdict", "last_submitted_at", "kind",
                "final_at", "updated_at",
            ]
        )  # fmt: skip
    version = PrescriptionVersion.objects.create(
        prescription=rx, institution_id=institution_id, number=rx.version_count, payload=clean,
        identity=json.dumps(identity, ensure_ascii=False) if identity else "", content_digest=digest,
        status=status, source=source, submitted_at=now, submitted_by_id=getattr(actor, "pk", None),
    )  # fmt: skip
    check = CheckRecord.objects.create(
        prescription=rx, version=version, institution_id=institution_id, sequence=rx.version_count,
        department_code=rx.department_code, prescriber_code=rx.prescriber_code,
        max_severity=outcome.max_severity, verdict=outcome.verdict, finding_count=len(outcome.findings),
        findings=outcome.findings, elapsed_us=outcome.elapsed_us, kb_version=outcome.kb_version, checked_at=now,
    )  # fmt: skip
    task = _open_task(rx, version, check, task_status, outcome, now) if task_status else None
    audit_write(
        AuditEntry(
            log_type=LogType.BUSINESS,
            category=Category.CREATE,
            action="prescription_review.prescription.submit",
            project=PROJECT,
            object_type="prescription_review.prescription",
            object_id=str(rx.pk),
            object_repr=str(rx),
            content=(
                f"{'提交' if created else '修改后重新提交'}处方 {his_id}（第 {version.number} 版），"
                f"审核结论：{Verdict(outcome.verdict).label}，最高风险：{outcome.max_severity}"
            ),
            after={"version": version.number, "verdict": outcome.verdict, "max_severity": outcome.max_severity},
        )
    )
    return SubmitResult(prescription=rx, version=version, check=check, task=task, created=True)


def _insert_prescription(
    institution_id: int,
    his_id: str,
    meta: dict[str, Any],
    patient: dict[str, Any],
    identity: dict[str, Any],
    outcome: EngineOutcome,
    status: str,
    now: Any,
) -> Prescription | None:
    dept_code = _text(meta, "department_code", 32)
    doctor_code = _text(meta, "prescriber_id", 32) or _text(meta, "prescriber_code", 32)
    age = patient.get("age_days")
    rx = Prescription(
        institution_id=institution_id, his_id=his_id, kind=_text(meta, "kind", 20),
        department_id=_cached_id("department", institution_id, dept_code), department_code=dept_code,
        department_name=_text(meta, "department_name", 100),
        prescriber_id=_cached_id("staff", institution_id, doctor_code), prescriber_code=doctor_code,
        prescriber_name=_text(meta, "prescriber_name", 50),
        patient_name=str(identity.get("name", ""))[:50], patient_ref=str(identity.get("patient_id", "") or ""),
        patient_sex=_text(patient, "sex", 1), patient_age_days=age if isinstance(age, int) and age >= 0 else None,
        status=status, version_count=1, first_severity=outcome.max_severity, first_verdict=outcome.verdict,
        last_severity=outcome.max_severity, last_verdict=outcome.verdict, submitted_at=now, last_submitted_at=now,
        final_at=now if status not in (RxStatus.PENDING_REVIEW, RxStatus.REJECTED_DOUBLE_SIGN) else None,
    )  # fmt: skip
    try:
        with transaction.atomic():
            rx.save(force_insert=True)
    except IntegrityError:
        return None
    return rx


def _open_task(
    rx: Prescription, version: PrescriptionVersion, check: CheckRecord, status: str, outcome: EngineOutcome, now: Any
) -> ReviewTask:
    config = config_for(rx.institution_id)
    pending = status == TaskStatus.PENDING
    task = ReviewTask(
        prescription=rx, version=version, check_record=check, institution_id=rx.institution_id,
        department_code=rx.department_code, status=status, max_severity=outcome.max_severity,
        requires_second=pending and requires_second_review(config, outcome.max_severity),
        due_at=now + config.timeout if pending and config.auto_pass_enabled else None,
        rejected_at=None if pending else now,
        reason="" if pending else "系统审核：该处方存在用药问题，医生确认后可双签放行。",
    )  # fmt: skip
    task.save(force_insert=True)
    workflow_start(task, actor=SYSTEM, comment=f"处方 {rx.his_id} 第 {version.number} 版：{check.finding_count} 个问题")
    if pending:
        from yigongti.centers.prescription_review.services_notify import announce_task

        transaction.on_commit(
            functools.partial(
                announce_task, task_id=task.pk, institution_id=rx.institution_id, department_code=rx.department_code,
                department=rx.department_name, his_id=rx.his_id, max_severity=task.max_severity,
            ),
            robust=True,
        )  # fmt: skip
    return task


def _supersede_open(rx: Prescription, actor: Any) -> None:
    """A resubmission withdraws the previous version's open task and marks that version replaced."""
    for task in ReviewTask.objects.filter(
        prescription=rx, status__in=[TaskStatus.PENDING, TaskStatus.SECOND_REVIEW, TaskStatus.REJECTED_DOUBLE_SIGN]
    ):
        workflow_transition(task, "supersede", actor=SYSTEM, comment="医生修改处方后重新提交")
    PrescriptionVersion.objects.filter(prescription=rx, number=rx.version_count).update(status=RxStatus.SUPERSEDED)


def _stored_answer(rx: Prescription, version: PrescriptionVersion) -> SubmitResult:
    check = CheckRecord.objects.filter(version=version).order_by("-sequence").first()
    assert check is not None
    task = ReviewTask.objects.filter(version=version).order_by("-id").first()
    return SubmitResult(prescription=rx, version=version, check=check, task=task, created=False)


@transaction.atomic
def prescription_cancel(*, institution_id: int, his_id: str, reason: str, actor: Any) -> Prescription:
    """HIS 撤销处方: the prescription and its latest version become 已撤销; an open task is withdrawn."""
    rx = Prescription.objects.select_for_update().filter(institution_id=institution_id, his_id=his_id).first()
    if rx is None:
        raise not_found()
    if rx.status == RxStatus.CANCELLED:
        raise ConflictError("RX_ALREADY_CANCELLED", f"处方 {his_id} 已撤销。")
    now = timezone.now()
    for task in ReviewTask.objects.filter(
        prescription=rx, status__in=[TaskStatus.PENDING, TaskStatus.SECOND_REVIEW, TaskStatus.REJECTED_DOUBLE_SIGN]
    ):
        workflow_transition(
            task, "cancel", actor=SYSTEM, comment=f"HIS 撤销处方：{reason}" if reason else "HIS 撤销处方"
        )
    before = rx.status
    rx.status, rx.cancelled_at, rx.final_at, rx.cancel_reason = RxStatus.CANCELLED, now, now, reason[:200]
    rx.save(update_fields=["status", "cancelled_at", "final_at", "cancel_reason", "updated_at"])
    PrescriptionVersion.objects.filter(prescription=rx, number=rx.version_count).update(status=RxStatus.CANCELLED)
    audit_write(
        AuditEntry(
            log_type=LogType.BUSINESS, category=Category.UPDATE, action="prescription_review.prescription.cancel",
            project=PROJECT, object_type="prescription_review.prescription", object_id=str(rx.pk),
            object_repr=str(rx), content=f"撤销处方 {his_id}" + (f"，原因：{reason}" if reason else ""),
            before={"status": before}, after={"status": rx.status},
        )
    )  # fmt: skip
    webhooks.publish_verdict(rx)
    return rx


def dispensable(status: str) -> bool:
    return status in DISPENSABLE
