"""Builders for the comment-center tests: visit payloads, uploaded visits, started tasks."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from yigongti.centers.prescription_review.comment.models import CommentProject, CommentTask, PharmacistGroup
from yigongti.centers.prescription_review.comment.services.upload import validate_visit_payload, visit_upload

_seq = itertools.count(1)
TZ = dt.timezone(dt.timedelta(hours=8))


def at(day: str, hour: int = 9) -> str:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=TZ).isoformat()


def item(code: str, name: str, **kw: Any) -> dict[str, Any]:
    return {"drug_code": code, "drug_name": name, "dose": "1", "dose_unit": "片", "frequency": "tid", "route": "po",
            "days": 3, "quantity": "9", "amount": "10.00"} | kw  # fmt: skip


def visit_payload(
    visit_id: str | None = None,
    *,
    day: str = "2026-03-10",
    prescriptions: list[dict[str, Any]] | None = None,
    patient_id: str | None = None,
    doctor_code: str = "",
    department_code: str = "",
    **kw: Any,
) -> dict[str, Any]:
    n = next(_seq)
    visit_id = visit_id or f"MZ{n:06d}"
    return {
        "visit_id": visit_id,
        "visit_type": "outpatient",
        "visit_time": at(day),
        "department_code": department_code,
        "department_name": "全科",
        "doctor_code": doctor_code,
        "doctor_name": "李医生",
        "patient": {
            "patient_id": patient_id or f"P{n:06d}",
            "name": "王小明",
            "id_number": "320923195803120032",
            "phone": "13800000001",
            "sex": "1",
            "age_days": 365 * 40,
            "allergies": [{"code": "penicillins", "name": "青霉素类"}],
        },
        "record": {"chief_complaint": "咳嗽3天", "present_illness": "发热", "past_history": "高血压"},
        "diagnoses": [{"code": "J06.900", "name": "急性上呼吸道感染"}],
        "prescriptions": prescriptions
        if prescriptions is not None
        else [{"prescription_id": f"{visit_id}-1", "prescribed_at": at(day), "items": [item("D001", "阿莫西林胶囊")]}],
        "labs": [{"name": "血常规", "results": [{"code": "WBC", "name": "白细胞", "value": "11.2", "unit": "10^9/L"}]}],
        "exams": [{"name": "胸部X线", "conclusion": "未见异常"}],
    } | kw


def upload(institution: Any, payload: dict[str, Any], actor: Any = None) -> Any:
    visit, _ = visit_upload(institution=institution, data=validate_visit_payload(payload), actor=actor)
    return visit


def make_task(
    institution: Any,
    members: list[Any],
    *,
    start: str = "2026-03-01",
    end: str = "2026-03-31",
    conditions: dict[str, Any] | None = None,
    **kw: Any,
) -> CommentTask:
    n = next(_seq)
    project = CommentProject.objects.create(
        institution=institution, name=f"项目{n}", period_start=dt.date.fromisoformat(start),
        period_end=dt.date.fromisoformat(end),
    )  # fmt: skip
    group = PharmacistGroup.objects.create(institution=institution, name=f"药师组{n}")
    group.members.set(members)
    return CommentTask.objects.create(
        project=project, institution=institution, name=f"任务{n}", period_start=project.period_start,
        period_end=project.period_end, group=group, conditions=conditions or {"institutions": [institution.pk]}, **kw,
    )  # fmt: skip


def now() -> dt.datetime:
    return timezone.now()
