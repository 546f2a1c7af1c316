"""Shared arrangement for engineer B's tests (HIS interface, webhooks, FHIR, statistics): a township
centre (home) referring to the county hospital (other) of one community, an uninvolved institution
of the same community (third) and one of another community (far), doctors with accounts, and
hospital systems with real OAuth2 tokens. Imported by the test modules; holds no tests."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from yigongti.centers.referral import integration, services, webhooks  # noqa: F401 — scopes, webhook hook (also imported by apps.ready)
from yigongti.centers.referral.models import Referral
from yigongti.core.workflow.services import workflow_transition
from yigongti.platform.accounts.models import User
from yigongti.platform.integration.tests.helpers import Hospital, make_hospital
from yigongti.platform.org.models import Department, Institution
from yigongti.platform.testing import make_institution, make_user

DOCTOR_CODES = [
    "referral.referral.view", "referral.referral.add", "referral.referral.change", "referral.referral.submit",
    "referral.referral.review", "referral.referral.arrange", "referral.referral.receive",
    "referral.referral.feedback", "referral.referral.cancel",
]  # fmt: skip
# valid 居民身份证号 (GB 11643 check digits), all born in 320923 (阜宁县)
ID_NUMBERS = ["320923195803120032", "32092319621105024X", "320923198001010011", "320923197505050020"]
_seq = itertools.count(1)


@dataclass
class RefWorld:
    home: Institution
    other: Institution
    third: Institution
    far: Institution
    home_department: Department
    other_department: Department
    doctor: User
    doctor_code: str
    receiver: User

    def hospital(self, scopes: list[str] | None = None, institution: Institution | None = None) -> Hospital:
        return make_hospital(institution or self.home, scopes or ["referral.his"], name="城关镇卫生院 HIS")


def _doctor(institution: Institution, department: Department, name: str) -> User:
    user = make_user(institution, DOCTOR_CODES, department=department, name=name)
    return user


def build_ref_world(api_world: Any) -> RefWorld:
    """Each test module wraps this in its own ``ref_world`` fixture (on top of ``api_world``)."""
    home, other = api_world.home, api_world.other
    other.type, other.name = "county_hospital", "县人民医院"
    other.save(update_fields=["type", "name"])
    third = make_institution(api_world.community, name="新沟镇卫生院")
    doctor = _doctor(home, api_world.home_department, "张医生")
    receiver = _doctor(other, api_world.other_department, "李医生")
    assert doctor.staff is not None
    return RefWorld(
        home=home,
        other=other,
        third=third,
        far=api_world.far,
        home_department=api_world.home_department,
        other_department=api_world.other_department,
        doctor=doctor,
        doctor_code=doctor.staff.code,
        receiver=receiver,
    )


def patient(n: int = 0) -> dict[str, Any]:
    return {
        "name": ["王建国", "李秀英", "赵志强", "孙桂兰"][n % 4],
        "id_number": ID_NUMBERS[n % 4],
        "local_id": f"MZ{n:05d}",
    }


def create_body(world: RefWorld, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "patient": patient(0),
        "doctor_code": world.doctor_code,
        "direction": "up",
        "kind": "outpatient",
        "urgency": "urgent",
        "to_institution": world.other.pk,
        "reason": "血压控制不佳，需上级医院调整方案",
        "condition_summary": "高血压 3 级，近一周血压 180/110 mmHg",
        "diagnosis_code": "I10.x00",
        "diagnosis_name": "原发性高血压",
        "treatment": "氨氯地平 5 mg qd",
        "visit": {"visit_no": "MZ20261125001", "visit_at": "2026-11-25T09:30:00+08:00", "chief_complaint": "头晕 3 天"},
    }
    return body | overrides


def make_referral(
    world: RefWorld,
    *,
    n: int = 0,
    direction: str = "up",
    kind: str = "outpatient",
    to: str = "submitted",
    applicant: User | None = None,
    receiver: User | None = None,
    to_institution: Institution | None = None,
) -> Referral:
    """A referral through A's services, driven along the workflow up to state ``to``."""
    applicant = applicant or world.doctor
    receiver = receiver or world.receiver
    target = to_institution or world.other
    home_inst = applicant.staff.institution if applicant.staff else world.home
    resident = services.patient_resolve(institution=home_inst, data=patient(n), actor=applicant)
    referral, _ = services.referral_create(
        resident=resident,
        data={
            "direction": direction,
            "kind": kind,
            "to_institution": target,
            "reason": "病情需要",
            "diagnosis_code": "I10.x00",
            "diagnosis_name": "原发性高血压",
        },
        actor=applicant,
    )
    steps: list[tuple[str, str, User, dict[str, Any] | None, str]] = [
        ("submitted", "submit", applicant, None, ""),
        ("applicant_reviewed", "applicant_approve", applicant, None, ""),
        ("receiver_reviewed", "receiver_approve", receiver, None, ""),
    ]
    for state, name, actor, data, comment in steps:
        workflow_transition(referral, name, actor=actor, data=data, comment=comment)
        if state == to:
            return referral
    if to == "refused":
        return workflow_transition(referral, "refuse", actor=receiver, data={"reason": "床位已满"})
    if to == "cancelled":
        return workflow_transition(referral, "cancel", actor=applicant, comment="患者改变主意")
    department = receiver.staff.department if receiver.staff else None
    planned = timezone.now() + dt.timedelta(days=2)
    workflow_transition(
        referral,
        "arrange",
        actor=receiver,
        data={"department": department.pk if department else None, "planned_at": planned},
    )
    if to == "arranged":
        return referral
    workflow_transition(referral, "receive", actor=receiver, data={"note": "已接诊"})
    if to == "received":
        return referral
    feedback = {"diagnosis_name": "原发性高血压", "result": "调整用药后血压平稳", "advice": "社区随访"}
    workflow_transition(referral, "feedback", actor=receiver, data=feedback)
    if to == "feedback":
        return referral
    return workflow_transition(referral, "close", actor=receiver)
