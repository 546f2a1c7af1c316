"""Automatic pre-review (自动点评, guide §3.6.4.3 (13)) of sampled prescriptions with the real-time
engine: the stored visit becomes the engine's ``PrescriptionInput`` and every finding is kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from yigongti.centers.prescription_review.comment import standards
from yigongti.centers.prescription_review.comment.choices import PrecheckStatus
from yigongti.centers.prescription_review.comment.models import CommentSample, VisitPrescription

SEX = {"1": "M", "2": "F"}


def _num(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return None


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def engine_payload(rx: VisitPrescription) -> dict[str, Any]:
    """The HIS JSON of the real-time interface for one stored prescription with its visit's patient,
    record, diagnoses, labs and exams (prefetch ``visit__diagnoses``, ``visit__labs__results``,
    ``visit__exams``, ``items``), read back by ``engine.api.input_from_payload``."""
    visit = rx.visit
    age_days = visit.age_days
    if age_days is None and visit.birth_date is not None:
        age_days = (rx.prescribed_at.date() - visit.birth_date).days
    return {
        "prescription_id": rx.rx_no,
        "patient": {
            "age_days": age_days,
            "sex": SEX.get(visit.sex, "U"),
            "height_cm": _num(visit.height_cm),
            "weight_kg": _num(visit.weight_kg),
            "pregnant": visit.pregnant,
            "lactating": visit.lactating,
            "allergies": [{"code": a.get("code", ""), "text": a.get("name", "")} for a in visit.allergies or []],
            "history": [visit.past_history] if visit.past_history else [],
        },
        "record": {
            "chief_complaint": visit.chief_complaint,
            "present_illness": visit.present_illness,
            "past_history": visit.past_history,
        },
        "diagnoses": [{"code": d.code, "name": d.name} for d in visit.diagnoses.all()],
        "prescription": {
            "kind": rx.kind,
            "prescribed_at": _iso(rx.prescribed_at),
            "prescriber_id": rx.doctor_code,
            "prescriber_name": rx.doctor_name,
            "department_code": visit.department_code,
            "department_name": rx.department_name,
            "long_supply_reason": rx.long_supply_reason,
        },
        "items": [
            {
                "drug_code": i.drug_code,
                "name": i.drug_name,
                "dose": _num(i.dose),
                "unit": i.dose_unit,
                "frequency": i.frequency,
                "route": i.route,
                "days": i.days,
                "quantity": _num(i.quantity),
                "quantity_unit": i.quantity_unit,
                "group": i.group_no,
                "solvent_volume_ml": _num(i.solvent_ml),
            }
            for i in rx.items.all()
        ],
        "labs": [
            {
                "code": r.code,
                "name": r.name,
                "value": _num(r.value),
                "unit": r.unit,
                "time": _iso(r.measured_at or lab.reported_at),
                "text": r.value,
            }
            for lab in visit.labs.all()
            for r in lab.results.all()
        ],
        "exams": [{"name": e.name, "result": e.conclusion or e.findings} for e in visit.exams.all()],
    }


def precheck_samples(samples: Iterable[CommentSample]) -> None:
    """Run the engine on each sample and store its findings (caller saves with ``bulk_update``)."""
    from yigongti.centers.prescription_review.engine import api as rx_engine

    for sample in samples:
        rx = sample.prescription
        try:
            result = rx_engine.check(rx_engine.input_from_payload(engine_payload(rx)), institution_id=rx.institution_id)
        except ValueError as exc:  # the engine refuses malformed input with a Chinese message
            sample.precheck_status = PrecheckStatus.FAILED
            sample.precheck_error = str(exc)[:300]
            continue
        findings = [f.as_dict() for f in result.findings]
        checks = {f["check_type"] for f in findings}
        sample.precheck_status = PrecheckStatus.DONE
        sample.precheck_error = ""
        sample.precheck_max_severity = result.max_severity or ""
        sample.precheck_risk = standards.risk_of(result.max_severity)
        sample.precheck_verdict = result.verdict
        sample.precheck_kb_version = str(result.kb_version)[:64]
        sample.precheck_findings = findings
        sample.finding_count = len(findings)
        sample.has_interaction = bool(checks & standards.INTERACTION_CHECKS)
        sample.has_duplicate = bool(checks & standards.DUPLICATE_CHECKS)


PRECHECK_FIELDS = [
    "precheck_status",
    "precheck_error",
    "precheck_max_severity",
    "precheck_risk",
    "precheck_verdict",
    "precheck_kb_version",
    "precheck_findings",
    "finding_count",
    "has_interaction",
    "has_duplicate",
]
