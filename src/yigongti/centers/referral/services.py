"""Writes of 双向转诊 outside the state machine: create (draft), edit the draft, 转回 (REF-10),
and finding or registering the patient through the master patient index.

State changes never happen here: they are ``core.workflow.services.workflow_transition`` calls
(one endpoint per action). Every write is atomic with its audit row and timeline row.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from yigongti.centers.referral import error_codes as E
from yigongti.centers.referral.choices import Direction, Kind
from yigongti.centers.referral.models import Referral
from yigongti.core.audit.choices import Category
from yigongti.core.audit.services import audit_model_change, snapshot
from yigongti.core.errors import BusinessError, ConflictError
from yigongti.core.masking import mask_id_number
from yigongti.core.numbering.services import next_number
from yigongti.core.scope import apply_scope
from yigongti.core.workflow.services import workflow_start
from yigongti.platform.registry.models import Resident
from yigongti.platform.registry.selectors import filter_by_id_number, resident_queryset

NUMBER_RULE = "referral.number"
EDITABLE_FIELDS = (
    "direction", "kind", "urgency", "to_institution", "to_department", "to_doctor", "reason",
    "condition_summary", "diagnosis_code", "diagnosis_name", "treatment", "package",
)  # fmt: skip


# -- patient (MPI) -----------------------------------------------------------------------------
def patient_resolve(*, institution: Any, data: Mapping[str, Any], actor: Any) -> Resident:
    """The resident for an ID number + name: the file with that ID number when one exists (the
    name must agree), otherwise a registration through the master patient index (which links,
    queues for review, or creates the file). Runs in its own transaction, so a registration
    waiting for review stays queued even though the referral is refused."""
    from yigongti.platform.registry.mpi.services import registration_submit

    name = str(data.get("name") or "").strip()
    id_number = str(data.get("id_number") or "").strip().upper()
    existing = filter_by_id_number(resident_queryset(), id_number).first() if id_number else None
    if existing is not None:
        if existing.name != name:
            raise BusinessError(
                E.PATIENT_REQUIRED,
                "姓名与该身份证号码对应的居民档案不一致，请核对。",
                fields={"patient": {"name": [f"档案姓名为“{existing.name[0]}*”开头的姓名，请核对。"]}},
            )
        return existing
    payload = {
        "name": name,
        "id_number": id_number,
        "sex": data.get("sex") or "",
        "birth_date": data.get("birth_date") or None,
        "phone": data.get("phone") or "",
        "local_id": str(data.get("local_id") or "").strip() or f"ZZ{uuid.uuid4().hex[:16].upper()}",
        "division_code": data.get("division_code") or "",
    }
    with transaction.atomic():
        registration = registration_submit(institution=institution, data=payload, actor=actor, source="api")
    if registration.resident_id is None:
        raise ConflictError(
            E.PATIENT_PENDING_REVIEW,
            "该患者与已有居民档案疑似匹配，已提交主索引人工审核；审核完成后再发起转诊。",
        )
    resident = registration.resident
    assert resident is not None
    return resident


def package_basic(resident: Resident) -> dict[str, Any]:
    """REF-19 基本信息, taken from the resident file; the ID number only masked, never in clear."""
    return {
        "name": resident.name,
        "sex": resident.sex,
        "sex_display": resident.get_sex_display(),
        "birth_date": resident.birth_date.isoformat() if resident.birth_date else None,
        "age": resident.age,
        "id_number_masked": mask_id_number(resident.id_number or ""),
        "ethnicity": resident.ethnicity,
        "home_institution": resident.home_institution.name,
        "chronic_diseases": sorted(resident.chronic_diseases.values_list("name", flat=True)),
    }


# -- applicant ---------------------------------------------------------------------------------
def applicant_of(actor: Any) -> tuple[int, int | None]:
    """转出机构/科室 from the user's staff record (else the account's own institution)."""
    staff = getattr(actor, "staff", None)
    institution_id = (staff.institution_id if staff is not None else None) or getattr(actor, "institution_id", None)
    if not institution_id:
        raise BusinessError(E.NO_STAFF, "当前账号未关联机构人员信息，不能发起转诊。", status_code=403)
    department_id = (staff.department_id if staff is not None else None) or getattr(actor, "department_id", None)
    return int(institution_id), department_id


def _check_target(values: Mapping[str, Any], from_institution_id: int) -> None:
    to = values.get("to_institution")
    if to is not None and to.pk == from_institution_id:
        raise BusinessError(
            E.SAME_INSTITUTION, "转入机构不能与转出机构相同。", fields={"to_institution": ["请选择其他机构。"]}
        )
    for field, label in (("to_department", "转入科室"), ("to_doctor", "接诊医生")):
        value = values.get(field)
        if value is not None and to is not None and value.institution_id != to.pk:
            raise BusinessError(
                "VALIDATION_ERROR", f"{label}必须属于转入机构。", fields={field: [f"{label}必须属于转入机构。"]}
            )


# -- create / update ---------------------------------------------------------------------------
@transaction.atomic
def referral_create(
    *, resident: Resident, data: Mapping[str, Any], actor: Any, source_client: Any = None, external_key: str = ""
) -> tuple[Referral, bool]:
    """A new draft (草稿) of ``actor``'s institution. With ``source_client`` + ``external_key`` the
    call is idempotent: the same key answers the referral it created before (``created`` False)."""
    if source_client is not None and external_key:
        found = Referral.objects.filter(source_client=source_client, external_key=external_key).first()
        if found is not None:
            return found, False
    from_id, department_id = applicant_of(actor)
    _check_target(data, from_id)
    package = dict(data.get("package") or {})
    package["basic"] = package_basic(resident)
    referral = Referral(
        number=next_number(NUMBER_RULE, institution=from_id),
        direction=data.get("direction", Direction.UP),
        kind=data.get("kind", Kind.OUTPATIENT),
        urgency=data.get("urgency", "normal"),
        resident=resident,
        patient_name=resident.name,
        patient_sex=resident.sex,
        patient_birth_date=resident.birth_date,
        from_institution_id=from_id,
        from_department_id=department_id,
        from_doctor=actor,
        to_institution=data.get("to_institution"),
        to_department=data.get("to_department"),
        to_doctor=data.get("to_doctor"),
        reason=data.get("reason", ""),
        condition_summary=data.get("condition_summary", ""),
        diagnosis_code=data.get("diagnosis_code", ""),
        diagnosis_name=data.get("diagnosis_name", ""),
        treatment=data.get("treatment", ""),
        package=package,
        parent=data.get("parent"),
        source_client=source_client,
        external_key=external_key,
        created_by=actor,
        updated_by=actor,
    )
    referral.full_clean()
    try:
        with transaction.atomic():
            referral.save(force_insert=True)
    except IntegrityError:
        if source_client is not None and external_key:
            found = Referral.objects.filter(source_client=source_client, external_key=external_key).first()
            if found is not None:
                return found, False
        raise
    audit_model_change(
        category=Category.CREATE,
        instance=referral,
        before=None,
        after=snapshot(referral),
        project="双向转诊",
        content=f"新建转诊单：{referral.number}（{referral.patient_name}）",
    )
    workflow_start(referral, actor=actor)
    return referral, True


def _lock_draft(referral: Referral, actor: Any) -> Referral:
    qs = Referral.objects.select_for_update().filter(pk=referral.pk)
    ctx = actor.scope_context()
    from yigongti.core.scope import ScopeSpec

    locked = apply_scope(qs, ScopeSpec(institution="from_institution_id"), ctx, for_write=True).first()
    if locked is None:
        raise BusinessError(E.NOT_EDITABLE, "只有转出机构可以修改转诊单。", status_code=403)
    if locked.status != "draft":
        raise ConflictError(E.NOT_EDITABLE, "转诊单已提交，不能再修改；如需更改请撤销后重新发起。")
    return locked


@transaction.atomic
def referral_update(*, referral: Referral, data: Mapping[str, Any], actor: Any) -> Referral:
    locked = _lock_draft(referral, actor)
    before = snapshot(locked)
    merged = {f: data[f] if f in data else getattr(locked, f) for f in EDITABLE_FIELDS}
    _check_target(merged, locked.from_institution_id)
    for field in EDITABLE_FIELDS:
        if field in data:
            value = data[field]
            if field == "package":
                value = {**dict(value or {}), "basic": locked.package.get("basic") or package_basic(locked.resident)}
            setattr(locked, field, value)
    locked.updated_by = actor
    locked.full_clean()
    locked.save()
    audit_model_change(
        category=Category.UPDATE, instance=locked, before=before, after=snapshot(locked), project="双向转诊"
    )
    return locked


# -- 转回 (REF-10) -----------------------------------------------------------------------------
RETURNABLE_STATES = ("received", "feedback")


@transaction.atomic
def referral_return(*, referral: Referral, data: Mapping[str, Any], actor: Any) -> Referral:
    """The hospital sends an up-referred patient back down: a new down-referral draft (linked by
    ``parent``) from the receiving institution to the original institution or the patient's own
    primary institution, carrying the patient, package and the hospital's diagnosis."""
    original = Referral.objects.select_for_update().select_related("resident").get(pk=referral.pk)
    if original.direction != Direction.UP or original.status not in RETURNABLE_STATES:
        raise ConflictError(E.RETURN_NOT_ALLOWED, "只有已接诊或已反馈的上转单可以转回。")
    ctx = actor.scope_context()
    if not (ctx.all or original.to_institution_id in ctx.institution_ids):
        raise BusinessError("WORKFLOW_NOT_ACTOR", "只有接诊机构可以办理转回。", status_code=403)
    if original.returns.exclude(status__in=("rejected", "refused", "cancelled", "no_show")).exists():
        raise ConflictError(E.RETURN_NOT_ALLOWED, "该转诊单已办理转回，不能重复转回。")
    target = data.get("target", "origin")
    to_institution = original.from_institution if target == "origin" else original.resident.home_institution
    if to_institution.pk == original.to_institution_id:
        raise BusinessError(E.SAME_INSTITUTION, "患者签约的基层机构即本机构，请选择原转出机构。")
    entries = (original.feedback or {}).get("entries") or [{}]
    last = entries[-1]
    summary = dict(original.package)
    summary.pop("basic", None)
    summary["referral_summary"] = {
        "parent_number": original.number,
        "hospital_diagnosis": last.get("diagnosis_name") or original.diagnosis_name,
        "hospital_advice": last.get("advice", ""),
    }
    values = {
        "direction": Direction.DOWN,
        "kind": data.get("kind", Kind.OUTPATIENT),
        "urgency": data.get("urgency", "normal"),
        "to_institution": to_institution,
        "reason": data.get("reason") or "病情稳定，转回基层继续治疗与康复",
        "condition_summary": data.get("condition_summary", ""),
        "diagnosis_code": last.get("diagnosis_code") or original.diagnosis_code,
        "diagnosis_name": last.get("diagnosis_name") or original.diagnosis_name,
        "treatment": last.get("result") or last.get("discharge_summary") or "",
        "package": summary,
        "parent": original,
    }
    child, _ = referral_create(resident=original.resident, data=values, actor=actor)
    if child.from_institution_id != original.to_institution_id:
        raise BusinessError("WORKFLOW_NOT_ACTOR", "只有接诊机构的人员可以办理转回。", status_code=403)
    original.updated_by = actor
    original.updated_at = timezone.now()
    original.save(update_fields=["updated_by", "updated_at"])
    return child
