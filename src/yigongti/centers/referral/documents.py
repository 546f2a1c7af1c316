"""The printed 转诊单 (双向转诊单, A4; guide §3.1.1) through ``core/documents``."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from yigongti.centers.referral.access import share_closed_until
from yigongti.centers.referral.models import Referral
from yigongti.core.audit.choices import Category
from yigongti.core.audit.services import audit_read
from yigongti.core.documents import render_pdf


def _when(value: Any) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else "—"


def slip_context(referral: Referral, *, with_package: bool) -> dict[str, Any]:
    summary = referral.package.get("record_summary", {}) if with_package else {}
    basic = referral.package.get("basic", {})
    department = referral.arranged_department or referral.to_department
    return {
        "r": {
            "number": referral.number,
            "direction": referral.get_direction_display(),
            "kind": referral.get_kind_display(),
            "urgency": referral.get_urgency_display(),
            "status": referral.get_status_display(),
            "patient_name": referral.patient_name,
            "patient_sex": referral.get_patient_sex_display(),
            "birth_date": f"{referral.patient_birth_date:%Y-%m-%d}" if referral.patient_birth_date else "—",
            "id_number": basic.get("id_number_masked") or "—",
            "from_institution": referral.from_institution.name,
            "from_department": referral.from_department.name if referral.from_department else "—",
            "from_doctor": referral.from_doctor.name,
            "to_institution": referral.to_institution.name,
            "to_department": department.name if department is not None else "—",
            "planned_at": _when(referral.planned_at),
            "diagnosis": " ".join(x for x in (referral.diagnosis_code, referral.diagnosis_name) if x) or "—",
            "reason": referral.reason or "—",
            "condition_summary": referral.condition_summary or "—",
            "treatment": referral.treatment or "—",
            "chief_complaint": summary.get("chief_complaint") or "—",
            "allergy": summary.get("allergy_history") or "—",
            "submitted_at": _when(referral.submitted_at),
            "bed": referral.arranged_bed.code if referral.arranged_bed else "—",
        }
    }


def referral_slip_pdf(*, referral: Referral, user: Any) -> bytes:
    content = render_pdf(
        "referral/referral_slip.html",
        slip_context(referral, with_package=share_closed_until(user, referral) is None),
        page_size="A4",
        title="双向转诊单",
        institution_name=referral.from_institution.name,
        qr_text=f"yigongti:referral:{referral.number}",
        qr_caption=referral.number,
    )
    audit_read(
        instance_type="referral.referral",
        ids=[referral.pk],
        category=Category.EXPORT,
        project="双向转诊",
        content=f"打印转诊单 {referral.number}（{referral.patient_name}）",
    )
    return content
