"""数据上报 (guide §3.6.4.1): finished visits upserted by (institution, 就诊ID)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from yigongti.centers.prescription_review.comment import error_codes, standards
from yigongti.centers.prescription_review.comment.choices import UploadSource
from yigongti.centers.prescription_review.comment.models import (
    CommentSample,
    ExamReport,
    LabReport,
    LabResult,
    PrescriptionItem,
    Visit,
    VisitDiagnosis,
    VisitPrescription,
)
from yigongti.centers.prescription_review.comment.payload import VisitIn
from yigongti.core.audit.choices import Category
from yigongti.core.audit.services import audit_model_change
from yigongti.core.errors import BusinessError, ConflictError
from yigongti.platform.org.models import Department, Institution, Staff

PROJECT = "处方点评"


def validate_visit_payload(data: Any) -> dict[str, Any]:
    """The validated payload, or ``BusinessError`` 400 with the field errors (nothing written)."""
    serializer = VisitIn(data=data)
    if not serializer.is_valid():
        raise BusinessError(error_codes.VISIT_INVALID, "就诊数据格式有误，未保存。", fields=serializer.errors)
    return dict(serializer.validated_data)


def _drug_facts() -> dict[str, Any]:
    """Drug attributes from the knowledge base (基本药物, 抗菌药物, 注射剂, PPI) by drug code."""
    from yigongti.centers.prescription_review.engine import api as rx_engine

    return dict(rx_engine.current_knowledge().drugs)


@transaction.atomic
def visit_upload(
    *, institution: Institution, data: dict[str, Any], actor: Any, source: str = UploadSource.API
) -> tuple[Visit, bool]:
    """Insert or update the visit ``data["visit_id"]`` of ``institution`` with everything it holds.

    Children (diagnoses, labs, exams, prescription items) are replaced; prescriptions are matched by
    处方ID so that a sampled prescription keeps its comment; a sampled prescription missing from the
    new upload is refused (409) rather than deleted.
    """
    visit_fields = _visit_fields(institution, data)
    visit = Visit.objects.select_for_update().filter(institution=institution, visit_no=data["visit_id"]).first()
    created = visit is None
    if visit is None:
        try:
            with transaction.atomic():
                visit = Visit.objects.create(
                    institution=institution, visit_no=data["visit_id"], source=source, uploaded_by=actor, **visit_fields
                )
        except IntegrityError:  # a concurrent upload of the same visit won: update it instead
            visit = Visit.objects.select_for_update().get(institution=institution, visit_no=data["visit_id"])
            created = False
    if not created:
        for key, value in visit_fields.items():
            setattr(visit, key, value)
        visit.source = source
        visit.upload_count += 1
        visit.save()
        visit.diagnoses.all().delete()
        LabResult.objects.filter(report__visit=visit).delete()
        visit.labs.all().delete()
        visit.exams.all().delete()
    VisitDiagnosis.objects.bulk_create(
        VisitDiagnosis(visit=visit, seq=i, code=d["code"], name=d["name"], kind=d["kind"])
        for i, d in enumerate(data["diagnoses"], start=1)
    )
    _save_prescriptions(visit, data)
    _save_labs(visit, data["labs"])
    ExamReport.objects.bulk_create(
        ExamReport(
            visit=visit,
            exam_no=e["exam_id"],
            name=e["name"],
            exam_time=e["exam_time"],
            findings=e["findings"],
            conclusion=e["conclusion"],
        )
        for e in data["exams"]
    )
    audit_model_change(
        category=Category.CREATE if created else Category.UPDATE,
        instance=visit,
        before=None,
        after={"visit_no": visit.visit_no, "prescriptions": len(data["prescriptions"]), "source": source},
        project=PROJECT,
        content=f"{'上报' if created else '更新'}就诊记录 {visit.visit_no}（{len(data['prescriptions'])} 张处方）",
    )
    return visit, created


def _visit_fields(institution: Institution, data: dict[str, Any]) -> dict[str, Any]:
    patient, record = data["patient"], data["record"]
    department = _department(institution, data["department_code"])
    return {
        "visit_type": data["visit_type"],
        "visit_time": data["visit_time"],
        "discharge_time": data["discharge_time"],
        "department": department,
        "department_code": data["department_code"],
        "department_name": data["department_name"] or (department.name if department else ""),
        "doctor_code": data["doctor_code"],
        "doctor_name": data["doctor_name"],
        "patient_no": patient["patient_id"],
        "id_number": patient["id_number"],
        "phone": patient["phone"],
        "patient_name": patient["name"],
        "sex": patient["sex"],
        "birth_date": patient["birth_date"],
        "age_days": patient["age_days"],
        "height_cm": patient["height_cm"],
        "weight_kg": patient["weight_kg"],
        "pregnant": patient["pregnant"],
        "lactating": patient["lactating"],
        "allergies": [dict(a) for a in patient["allergies"]],
        "chief_complaint": record.get("chief_complaint", ""),
        "present_illness": record.get("present_illness", ""),
        "past_history": record.get("past_history", ""),
    }


def _department(institution: Institution, code: str) -> Department | None:
    return Department.objects.filter(institution=institution, code=code).first() if code else None


def _save_prescriptions(visit: Visit, data: dict[str, Any]) -> None:
    incoming = {p["prescription_id"]: p for p in data["prescriptions"]}
    existing = {p.rx_no: p for p in visit.prescriptions.select_for_update()}
    removed = [p for no, p in existing.items() if no not in incoming]
    sampled = set(CommentSample.objects.filter(prescription__in=removed).values_list("prescription__rx_no", flat=True))
    if sampled:
        raise ConflictError(
            error_codes.SAMPLED_RX_REMOVED,
            f"处方 {'、'.join(sorted(sampled))} 已被抽入点评任务，不能在重新上报时删除。",
            fields={"prescriptions": [f"缺少已抽样处方：{'、'.join(sorted(sampled))}"]},
        )
    VisitPrescription.objects.filter(pk__in=[p.pk for p in removed]).delete()
    PrescriptionItem.objects.filter(prescription__visit=visit).delete()
    facts = _drug_facts()
    staff = {
        s.code: s
        for s in Staff.objects.filter(
            institution=visit.institution,
            code__in={p["doctor_code"] or data["doctor_code"] for p in incoming.values()} - {""},
        )
    }
    items: list[PrescriptionItem] = []
    for rx_id, p in incoming.items():
        doctor_code = p["doctor_code"] or data["doctor_code"]
        department = _department(visit.institution, p["department_code"]) or visit.department
        rows = [_item(i, seq, facts) for seq, i in enumerate(p["items"], start=1)]
        fields: dict[str, Any] = {
            "institution": visit.institution,
            "kind": p["kind"] or data["visit_type"],
            "prescribed_at": p["prescribed_at"],
            "department": department,
            "department_name": p["department_name"] or (department.name if department else visit.department_name),
            "doctor": staff.get(doctor_code),
            "doctor_code": doctor_code,
            "doctor_name": p["doctor_name"] or data["doctor_name"],
            "long_supply_reason": p["long_supply_reason"],
            "amount": p["amount"] if p["amount"] is not None else sum((r.amount for r in rows), Decimal(0)),
            "drug_count": len({r.drug_code for r in rows}),
            "generic_count": sum(1 for r in rows if r.uses_generic_name),
            "antibiotic_count": len({r.drug_code for r in rows if r.is_antibiotic}),
            "essential_count": len({r.drug_code for r in rows if r.is_essential}),
            "injection_count": len({r.drug_code for r in rows if r.is_injection}),
            "ppi_count": len({r.drug_code for r in rows if r.is_ppi}),
        }
        rx = existing.get(rx_id)
        if rx is None:
            rx = VisitPrescription.objects.create(visit=visit, rx_no=rx_id, **fields)
        else:
            for key, value in fields.items():
                setattr(rx, key, value)
            rx.save()
        for row in rows:
            row.prescription = rx
        items.extend(rows)
    PrescriptionItem.objects.bulk_create(items)


def _item(i: dict[str, Any], seq: int, facts: dict[str, Any]) -> PrescriptionItem:
    drug = facts.get(i["drug_code"])
    route = (i["route"] or "").strip()
    return PrescriptionItem(
        seq=seq,
        order_no=i["order_id"],
        drug_code=i["drug_code"],
        drug_name=i["drug_name"],
        generic_name=i["generic_name"] or (drug.name if drug is not None else ""),
        spec=i["spec"],
        dose=i["dose"],
        dose_unit=i["dose_unit"],
        frequency=i["frequency"],
        route=route,
        days=i["days"],
        quantity=i["quantity"],
        quantity_unit=i["quantity_unit"],
        amount=i["amount"],
        group_no=i["group_no"],
        solvent_ml=i["solvent_ml"],
        # the uploader's flags, completed from the knowledge base (DrugInfo) and the route
        is_antibiotic=i["antibiotic"] or (drug is not None and drug.antibiotic_grade is not None),
        is_essential=i["essential"] or (drug is not None and drug.essential),
        is_injection=i["injection"]
        or (drug is not None and drug.is_injection)
        or route.lower() in standards.INJECTION_ROUTES,
        is_ppi=i["ppi"] or (drug is not None and drug.is_ppi),
    )


def _save_labs(visit: Visit, labs: list[dict[str, Any]]) -> None:
    reports = LabReport.objects.bulk_create(
        LabReport(
            visit=visit,
            report_no=lab["report_id"],
            name=lab["name"],
            ordered_at=lab["ordered_at"],
            reported_at=lab["reported_at"],
        )
        for lab in labs
    )
    LabResult.objects.bulk_create(
        LabResult(
            report=report,
            code=r["code"],
            name=r["name"],
            value=r["value"],
            unit=r["unit"],
            reference_range=r["reference_range"],
            measured_at=r["time"],
        )
        for report, lab in zip(reports, labs, strict=True)
        for r in lab["results"]
    )


@transaction.atomic
def visit_upload_batch(
    *, institution: Institution, payloads: list[tuple[str, Any]], actor: Any, source: str = UploadSource.BATCH
) -> dict[str, int]:
    """All-or-nothing batch (JSON lines or Excel): every payload is validated first; one bad line
    refuses the whole batch with the errors per line (label → errors)."""
    valid: list[dict[str, Any]] = []
    errors: dict[str, Any] = {}
    for label, raw in payloads:
        serializer = VisitIn(data=raw)
        if serializer.is_valid():
            valid.append(dict(serializer.validated_data))
        else:
            errors[label] = serializer.errors
    if errors:
        raise BusinessError(
            error_codes.BATCH_INVALID,
            f"共 {len(errors)} 条就诊数据有误，未导入任何数据，请修改后重新上传。",
            fields=errors,
        )
    created = updated = 0
    for data in valid:
        _, was_created = visit_upload(institution=institution, data=data, actor=actor, source=source)
        created += was_created
        updated += not was_created
    return {"created": created, "updated": updated}
