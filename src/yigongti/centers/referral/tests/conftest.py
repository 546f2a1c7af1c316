"""A small county for referral tests: a township centre (转出, ``home``), a hospital (转入,
``other``) and an uninvolved institution of another community (``far``), with built-in roles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from yigongti.centers.referral.config.models import ReferralSlot
from yigongti.centers.referral.models import Referral
from yigongti.core.workflow.hooks import TransitionEvent
from yigongti.platform.accounts.builtin_roles import ensure_builtin_roles
from yigongti.platform.org.models import Bed
from yigongti.platform.registry.testing import make_id_number, make_resident
from yigongti.platform.testing import make_department, make_user

URL = "/api/v1/referral/referrals"


@dataclass
class County:
    world: Any
    roles: dict[str, Any]
    town_doctor: Any
    town_officer: Any
    hosp_doctor: Any
    hosp_officer: Any
    far_doctor: Any
    resident: Any
    hosp_department: Any

    @property
    def town(self) -> Any:
        return self.world.home

    @property
    def hospital(self) -> Any:
        return self.world.other

    @property
    def far(self) -> Any:
        return self.world.far

    def user(self, institution: Any, role: str, **kw: Any) -> Any:
        user = make_user(institution, None, **kw)
        user.roles.add(self.roles[role])
        return user


def client(user: Any) -> APIClient:
    c = APIClient()
    c.force_login(user)
    return c


@pytest.fixture
def county(api_world: Any) -> County:
    roles = ensure_builtin_roles()

    def user(institution: Any, role: str, name: str, department: Any = None) -> Any:
        u = make_user(institution, None, name=name, department=department)
        u.roles.add(roles[role])
        return u

    hosp_department = make_department(api_world.other, name="心内科")
    return County(
        world=api_world,
        roles=roles,
        town_doctor=user(api_world.home, "doctor", "张医生", api_world.home_department),
        town_officer=user(api_world.home, "referral_officer", "王转诊"),
        hosp_doctor=user(api_world.other, "doctor", "李医生", hosp_department),
        hosp_officer=user(api_world.other, "referral_officer", "赵转诊"),
        far_doctor=user(api_world.far, "doctor", "钱医生"),
        resident=make_resident(
            api_world.home, name="孙大明", id_number=make_id_number(dt.date(1960, 5, 1), sex="1"), phone="13900001111"
        ),
        hosp_department=hosp_department,
    )


def draft_body(county: County, **kw: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "resident": county.resident.pk,
        "direction": "up",
        "kind": "outpatient",
        "urgency": "normal",
        "to_institution": county.hospital.pk,
        "reason": "胸痛反复发作，基层无法明确诊断",
        "condition_summary": "活动后胸闷 3 月",
        "diagnosis_code": "I20.9",
        "diagnosis_name": "心绞痛",
        "treatment": "硝酸甘油舌下含服",
        "package": {
            "record_summary": {"chief_complaint": "胸闷 3 月", "allergy_history": "青霉素过敏"},
            "initial_opinion": "建议上级医院心内科明确诊断",
            "lab": [{"item": "肌钙蛋白I", "result": "0.02", "unit": "ng/mL", "reference": "<0.04"}],
            "exam": [{"item": "心电图", "findings": "ST 段压低", "conclusion": "心肌缺血"}],
        },
    }
    return {k: v for k, v in (body | kw).items() if v is not None}


def create_draft(county: County, user: Any | None = None, **kw: Any) -> Referral:
    response = client(user or county.town_doctor).post(URL, draft_body(county, **kw), format="json")
    assert response.status_code == 201, response.content
    return Referral.objects.get(pk=response.json()["id"])


def make_slot(county: County, *, capacity: int = 2, kind: str = "outpatient", days: int = 2) -> ReferralSlot:
    return ReferralSlot.objects.create(
        institution=county.hospital,
        department=county.hosp_department,
        date=timezone.localdate() + dt.timedelta(days=days),
        period="am",
        start_time=dt.time(8, 0),
        end_time=dt.time(11, 30),
        capacity=capacity,
        kind=kind,
    )


def make_bed(county: County, code: str = "12") -> Bed:
    return Bed.objects.create(institution=county.hospital, department=county.hosp_department, code=code)


def post(user: Any, referral: Referral, action: str, body: dict[str, Any] | None = None) -> Any:
    return client(user).post(f"{URL}/{referral.pk}/{action}", body or {}, format="json")


def future(days: int = 3, hour: int = 9) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@pytest.fixture
def events(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Record what the workflow publishes (keeping the platform's own receivers)."""
    from yigongti.core.workflow import hooks

    received: list[TransitionEvent] = []
    monkeypatch.setattr(hooks, "_receivers", [*hooks._receivers, received.append])
    return received
