"""Demo-county contribution: prescriptions checked by the real engine, some resubmitted, a few
pharmacist tasks left waiting, a review scheme with the lead hospital's pharmacists on its roster,
and institution-wide quick replies."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from yigongti.centers.prescription_review.choices import CheckSource, QuickReplyKind, TaskStatus
from yigongti.centers.prescription_review.models import (
    PharmacistDuty,
    QuickReply,
    ReviewScheme,
    ReviewSchemeItem,
    ReviewTask,
)
from yigongti.centers.prescription_review.services_submit import clear_lookup_cache, prescription_submit
from yigongti.centers.prescription_review.services_tasks import task_timeout_sweep

PENDING_LEFT = 8
QUICK_REPLIES = (
    "诊断与用药不符，请补充适应症诊断或修改用药。",
    "单次剂量超过说明书推荐最大剂量，请核实剂量。",
    "存在严重药物相互作用，建议更换其中一种药品。",
    "患者有相关药物过敏史，请更换药品。",
    "给药途径不适宜，请按说明书修改。",
    "门诊处方超过 7 日用量且未注明理由，请修改或注明理由。",
)
DIAGNOSES = (
    ("I10.x00", "原发性高血压"), ("E11.900", "2型糖尿病"), ("J06.900", "急性上呼吸道感染"),
    ("K29.700", "慢性胃炎"), ("J18.900", "肺炎"), ("M54.500", "腰痛"), ("I25.100", "冠状动脉粥样硬化性心脏病"),
)  # fmt: skip
LABS = (("K", "血钾", 4.2, "mmol/L"), ("CR", "血肌酐", 88.0, "umol/L"), ("ALT", "谷丙转氨酶", 25.0, "U/L"))


def _payload(rng: random.Random, n: int, drugs: list[Any], dept: Any, doctor: Any, today: dt.date) -> dict[str, Any]:
    chosen = rng.sample(drugs, k=min(len(drugs), rng.randint(1, 4)))
    return {
        "his_id": f"DEMO{today:%Y%m%d}{n:05d}",
        "patient": {
            "age_days": rng.randint(18, 88) * 365,
            "sex": rng.choice(["M", "F"]),
            "weight_kg": rng.randint(45, 85),
            "allergies": [{"text": "青霉素"}] if rng.random() < 0.1 else [],
        },
        "record": {"chief_complaint": "复诊取药"},
        "diagnoses": [{"code": c, "name": name} for c, name in rng.sample(DIAGNOSES, k=rng.randint(1, 3))],
        "prescription": {
            "kind": "outpatient",
            "prescriber_id": doctor.code if doctor else "",
            "prescriber_name": doctor.name if doctor else "",
            "department_code": dept.code if dept else "",
            "department_name": dept.name if dept else "",
            "antibiotic_level": 1,
        },
        "items": [
            {
                "drug_code": d.code,
                "name": d.name,
                "dose": 1,
                "unit": "片",
                "frequency": "qd",
                "route": "po",
                "days": rng.choice([3, 5, 7]),
                "quantity": 7,
            }
            for d in chosen
        ],
        "labs": [{"code": c, "name": name, "value": v, "unit": u} for c, name, v, u in LABS],
    }


def seed_prescriptions(org: Any, rng: random.Random, today: dt.date) -> dict[str, int]:
    from yigongti.centers.prescription_review.engine import api as rx_engine

    clear_lookup_cache()
    drugs = sorted(rx_engine.current_knowledge().drugs.values(), key=lambda d: d.code)
    nodes = sorted(org.nodes.values(), key=lambda n: n.key)
    lead = next((n for n in nodes if n.tier == "county"), nodes[0])
    towns = [n for n in nodes if n.tier == "township"][:6] or [lead]
    counts = {"rx_prescriptions": 0, "rx_pending_tasks": 0, "rx_quick_replies": 0, "rx_duties": 0}
    scheme = ReviewScheme.objects.create(
        institution=lead.institution, name="全医共体门急诊审方", start_time=dt.time(0, 0), end_time=dt.time(23, 59)
    )
    ReviewSchemeItem.objects.bulk_create(
        [ReviewSchemeItem(scheme=scheme, served_institution=n.institution) for n in [lead, *towns]]
    )
    pharmacists = [row.staff for row in org.staff if row.kind == "p" and row.inst_key == lead.key][:4]
    users = [getattr(s, "user", None) for s in pharmacists]
    duties = [
        PharmacistDuty(pharmacist=u, institution=lead.institution, scheme=scheme, on_duty=False)
        for u in users
        if u is not None
    ]
    PharmacistDuty.objects.bulk_create(duties)
    counts["rx_duties"] = len(duties)
    QuickReply.objects.bulk_create(
        [QuickReply(institution=lead.institution, kind=QuickReplyKind.REJECT, text=t, sort_order=(i + 1) * 10)
         for i, t in enumerate(QUICK_REPLIES)]
    )  # fmt: skip
    counts["rx_quick_replies"] = len(QUICK_REPLIES)
    if not drugs:
        return counts
    doctors = {n.key: [r.staff for r in org.staff if r.inst_key == n.key and r.kind in ("d", "fd")] for n in towns}
    number = 0
    for node in towns:
        depts = list(node.departments.values()) or [None]
        for _ in range(40):
            number += 1
            doctor = rng.choice(doctors[node.key]) if doctors[node.key] else None
            payload = _payload(rng, number, drugs, rng.choice(depts), doctor, today)
            result = prescription_submit(
                institution_id=node.institution.pk, payload=payload, actor=None, source=CheckSource.DEMO
            )
            counts["rx_prescriptions"] += 1
            if result.task is not None and rng.random() < 0.3:  # the doctor modified it: a second version
                payload["items"] = payload["items"][:1]
                prescription_submit(
                    institution_id=node.institution.pk, payload=payload, actor=None, source=CheckSource.DEMO
                )
    # The older tasks were not handled in time: the circuit breaker passed them (as in real life
    # overnight); the newest few stay in the queue for the pharmacist workstation.
    waiting = ReviewTask.objects.filter(status=TaskStatus.PENDING).count()
    if waiting > PENDING_LEFT:
        counts["rx_auto_passed"] = task_timeout_sweep(
            now=timezone.now() + dt.timedelta(days=1), limit=waiting - PENDING_LEFT
        )
    counts["rx_pending_tasks"] = ReviewTask.objects.filter(status=TaskStatus.PENDING).count()
    return counts
