"""Demo county data of the comment center: ~300 finished outpatient visits of last month in the lead
hospital and the township centres, and one finished comment project (sampled, pre-reviewed by the
engine, judged with the 规范 reasons). Bulk inserts; called by ``demo.contributions``."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from yigongti.centers.prescription_review.comment import standards
from yigongti.centers.prescription_review.comment.choices import (
    JudgmentResult,
    ReasonCategory,
    SampleStatus,
    TaskStatus,
    UploadSource,
)
from yigongti.centers.prescription_review.comment.models import (
    CommentProject,
    CommentSample,
    CommentTask,
    PrescriptionItem,
    ReasonTemplate,
    SampleReason,
    Visit,
    VisitDiagnosis,
    VisitPrescription,
)
from yigongti.centers.prescription_review.comment.precheck import PRECHECK_FIELDS, precheck_samples

# (code, name, generic, unit, dose, route, price, antibiotic, essential, injection, ppi) — fictional HIS codes
DRUGS = (
    ("YP0001", "阿莫西林胶囊", "阿莫西林", "g", "0.5", "po", "8.50", True, True, False, False),
    ("YP0002", "头孢呋辛酯片", "头孢呋辛酯", "g", "0.25", "po", "22.00", True, True, False, False),
    ("YP0003", "左氧氟沙星片", "左氧氟沙星", "g", "0.5", "po", "18.00", True, True, False, False),
    ("YP0004", "奥美拉唑肠溶胶囊", "奥美拉唑", "mg", "20", "po", "12.00", False, True, False, True),
    ("YP0005", "硝苯地平控释片", "硝苯地平", "mg", "30", "po", "35.00", False, True, False, False),
    ("YP0006", "二甲双胍片", "二甲双胍", "g", "0.5", "po", "6.00", False, True, False, False),
    ("YP0007", "氨溴索口服溶液", "氨溴索", "mg", "30", "po", "15.00", False, False, False, False),
    ("YP0008", "0.9%氯化钠注射液", "氯化钠", "ml", "250", "ivgtt", "4.50", False, True, True, False),
    ("YP0009", "头孢曲松钠注射剂", "头孢曲松", "g", "1", "ivgtt", "28.00", True, True, True, False),
    ("YP0010", "布洛芬缓释胶囊", "布洛芬", "g", "0.3", "po", "9.00", False, True, False, False),
)
DIAGNOSES = (("J06.900", "急性上呼吸道感染"), ("I10.x00", "高血压"), ("E11.900", "2型糖尿病"), ("K29.700", "胃炎"),
             ("J20.900", "急性支气管炎"))  # fmt: skip
VISITS = 300


def build(org: Any, rng: random.Random, today: dt.date) -> dict[str, int]:
    institutions = [n.institution for n in org.nodes.values() if n.tier in ("county", "township")]
    doctors: dict[int, list[Any]] = {}
    for row in org.staff:
        if row.kind == "d":
            doctors.setdefault(row.staff.institution_id, []).append(row.staff)
    first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    tz = timezone.get_current_timezone()
    visits, prescriptions, items, diagnoses = [], [], [], []
    for n in range(VISITS):
        institution = institutions[n % len(institutions)]
        staff = rng.choice(doctors.get(institution.pk) or [None])
        when = dt.datetime.combine(first + dt.timedelta(days=rng.randrange(28)), dt.time(8 + rng.randrange(9), rng.randrange(60)), tzinfo=tz)  # fmt: skip
        visit = Visit(
            institution=institution, visit_no=f"DEMO-MZ{n + 1:05d}", visit_type="outpatient", visit_time=when,
            department=staff.department if staff else None, department_name=staff.department.name if staff and staff.department else "",
            doctor_code=staff.code if staff else "", doctor_name=staff.name if staff else "", patient_no=f"DEMO-P{rng.randrange(1, 220):05d}",
            patient_name="演示患者", sex=rng.choice("12"), age_days=rng.randrange(18, 85) * 365, source=UploadSource.DEMO,
            chief_complaint="复诊取药", allergies=[{"code": "penicillins", "name": "青霉素类"}] if rng.random() < 0.08 else [],
        )  # fmt: skip
        visits.append(visit)
    Visit.objects.bulk_create(visits)
    for visit in visits:
        code, name = rng.choice(DIAGNOSES)
        diagnoses.append(VisitDiagnosis(visit=visit, seq=1, code=code, name=name))
        chosen = rng.sample(DRUGS, rng.choice((1, 2, 2, 3, 3, 4, 6)))
        rows = []
        for seq, d in enumerate(chosen, start=1):
            days = rng.choice((3, 5, 7, 7, 10))
            rows.append(PrescriptionItem(
                seq=seq, drug_code=d[0], drug_name=d[1], generic_name=d[2], dose=Decimal(d[4]), dose_unit=d[3],
                frequency=rng.choice(("qd", "bid", "tid")), route=d[5], days=days, quantity=Decimal(days),
                amount=Decimal(d[6]) * (1 + days // 7), is_antibiotic=d[7], is_essential=d[8], is_injection=d[9], is_ppi=d[10],
            ))  # fmt: skip
        rx = VisitPrescription(
            visit=visit, institution=visit.institution, rx_no=f"{visit.visit_no}-1", kind="outpatient",
            prescribed_at=visit.visit_time, department=visit.department, department_name=visit.department_name,
            doctor_id=next((s.pk for s in doctors.get(visit.institution_id, []) if s.code == visit.doctor_code), None),
            doctor_code=visit.doctor_code, doctor_name=visit.doctor_name, amount=sum((r.amount for r in rows), Decimal(0)),
            drug_count=len(rows), generic_count=len(rows), antibiotic_count=sum(r.is_antibiotic for r in rows),
            essential_count=sum(r.is_essential for r in rows), injection_count=sum(r.is_injection for r in rows),
            ppi_count=sum(r.is_ppi for r in rows),
        )  # fmt: skip
        prescriptions.append((rx, rows))
    VisitDiagnosis.objects.bulk_create(diagnoses)
    VisitPrescription.objects.bulk_create([rx for rx, _ in prescriptions])
    for rx, rows in prescriptions:
        for row in rows:
            row.prescription = rx
            items.append(row)
    PrescriptionItem.objects.bulk_create(items)
    samples = _finished_project(org, rng, first, [rx for rx, _ in prescriptions])
    return {
        "rx_comment_visits": len(visits),
        "rx_comment_prescriptions": len(prescriptions),
        "rx_comment_samples": samples,
    }


def _finished_project(org: Any, rng: random.Random, first: dt.date, prescriptions: list[VisitPrescription]) -> int:
    lead = org.nodes["lead"].institution
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    project = CommentProject.objects.create(
        institution=lead, name=f"{first:%Y年%m月}门诊处方点评", period_start=first, period_end=last,
        description=f"抽样依据：{standards.SAMPLING_SOURCE}。演示数据量小，抽取 120 张。",
    )  # fmt: skip
    seed = rng.randrange(1, 2**31)
    now = timezone.now()
    task = CommentTask.objects.create(
        project=project, institution=lead, name="门诊处方专项点评", period_start=first, period_end=last,
        conditions={"institutions": sorted({rx.institution_id for rx in prescriptions})}, seed=seed,
        status=TaskStatus.FINISHED, population_count=len(prescriptions), started_at=now, finished_at=now,
    )  # fmt: skip
    picked = rng.sample(prescriptions, min(120, len(prescriptions)))
    samples = CommentSample.objects.bulk_create(
        CommentSample(task=task, prescription=rx, seq=n) for n, rx in enumerate(picked, start=1)
    )
    stored = list(
        CommentSample.objects.filter(task=task).select_related("prescription__visit")
        .prefetch_related("prescription__items", "prescription__visit__diagnoses", "prescription__visit__labs__results",
                          "prescription__visit__exams")
    )  # fmt: skip
    precheck_samples(stored)
    reasons = {t.code: t for t in ReasonTemplate.objects.filter(is_builtin=True)}
    reason_rows = []
    for sample in stored:
        rx = sample.prescription
        chosen = []
        if rx.drug_count > 5:
            chosen.append("1-11")
        if rx.antibiotic_count >= 2:
            chosen.append("2-6")
        if sample.has_interaction:
            chosen.append("2-8")
        sample.status = SampleStatus.JUDGED
        sample.result = JudgmentResult.UNREASONABLE if chosen else JudgmentResult.REASONABLE
        sample.judged_at = now
        for code in chosen:
            t = reasons[code]
            reason_rows.append(SampleReason(sample=sample, template=t, category=t.category, code=t.code, text=t.text))
        sample.irregular_count = sum(1 for c in chosen if reasons[c].category == ReasonCategory.IRREGULAR)
        sample.inappropriate_count = sum(1 for c in chosen if reasons[c].category == ReasonCategory.INAPPROPRIATE)
    CommentSample.objects.bulk_update(
        stored, [*PRECHECK_FIELDS, "status", "result", "judged_at", "irregular_count", "inappropriate_count"]
    )
    SampleReason.objects.bulk_create(reason_rows)
    task.sample_count = len(samples)
    task.save(update_fields=["sample_count"])
    return len(samples)
