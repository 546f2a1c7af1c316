from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from rest_framework.test import APIClient

from yigongti.centers.prescription_review.engine import api as engine_api
from yigongti.centers.prescription_review.engine.types import CheckResult, Finding
from yigongti.centers.prescription_review.models import PharmacistDuty, ReviewScheme, ReviewSchemeItem
from yigongti.centers.prescription_review.services_config import forget_config
from yigongti.centers.prescription_review.services_submit import clear_lookup_cache
from yigongti.core.scope import DataScope
from yigongti.platform.integration.tests.helpers import Hospital, make_hospital
from yigongti.platform.testing import make_user

PHARMACIST_CODES = [
    "rx.task.view", "rx.task.review", "rx.task.counters", "rx.prescription.view", "rx.check.view",
    "rx.roster.view", "rx.roster.duty", "rx.quick_reply.view", "rx.quick_reply.add", "rx.quick_reply.change",
    "rx.quick_reply.delete", "rx.quick_reply.reorder",
]  # fmt: skip
DOCTOR_CODES = ["rx.prescription.view", "rx.prescription.double_sign", "rx.task.view"]


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    forget_config()
    clear_lookup_cache()
    yield
    forget_config()
    clear_lookup_cache()


@pytest.fixture(autouse=True)
def _postgres_only(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("需要 PostgreSQL（设置 DATABASE_URL=postgres://…）")


def finding(severity: str, message: str = "阿司匹林与华法林合用增加出血风险") -> Finding:
    return Finding(
        check_type="interaction", severity=severity, message=message, drug_codes=("ASP", "WAR"),
        source="华法林钠片说明书【药物相互作用】",
    )  # fmt: skip


@pytest.fixture
def engine_says(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Fix the engine's verdict (the payload is still parsed by the real ``input_from_payload``)."""

    def set_verdict(verdict: str, severity: str | None = "caution") -> None:
        findings = [finding(severity)] if severity else []

        def fake(rx: Any, *, institution_id: int | None = None, kb: Any = None) -> CheckResult:
            return CheckResult(
                findings=list(findings), max_severity=severity, verdict=verdict, elapsed_us=321, kb_version="kb-test-1"
            )

        monkeypatch.setattr(engine_api, "check", fake)

    return set_verdict


def payload(his_id: str = "RX0001", *, dose: float = 100, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "his_id": his_id,
        "patient": {"name": "张三丰", "id_number": "320923195803120032", "phone": "13800000001", "age_days": 24000,
                    "sex": "M", "weight_kg": 65, "allergies": [{"code": "penicillins", "text": "青霉素"}]},
        "record": {"chief_complaint": "反复胸闷 3 年", "past_history": "高血压 10 年"},
        "diagnoses": [{"code": "I10.x00", "name": "原发性高血压"}, {"code": "I25.100", "name": "冠心病"}],
        "prescription": {"kind": "outpatient", "prescriber_id": "D001", "prescriber_name": "李医生",
                         "department_code": "NK", "department_name": "内科"},
        "items": [{"drug_code": "ASP", "name": "阿司匹林肠溶片", "dose": dose, "unit": "mg", "frequency": "qd",
                   "route": "po", "days": 7, "quantity": 7}],
        "labs": [{"code": "K", "name": "血钾", "value": 4.1, "unit": "mmol/L"}],
        "exams": [{"name": "心电图", "result": "窦性心律"}],
    }  # fmt: skip
    return body | extra


@dataclass
class RxWorld:
    world: Any
    his: Hospital
    scheme: ReviewScheme

    def pharmacist(self, *, on_duty: bool = True, scope: str = DataScope.COMMUNITY) -> tuple[Any, APIClient]:
        user = make_user(self.world.home, PHARMACIST_CODES, scope)
        PharmacistDuty.objects.create(
            pharmacist=user, institution=self.world.home, scheme=self.scheme, on_duty=on_duty,
            on_duty_at=dt.datetime.now(dt.UTC) if on_duty else None,
        )  # fmt: skip
        client = APIClient()
        client.force_login(user)
        return user, client

    def doctor(self) -> tuple[Any, APIClient]:
        user = make_user(self.world.home, DOCTOR_CODES, DataScope.INSTITUTION)
        client = APIClient()
        client.force_login(user)
        return user, client

    def submit(self, body: dict[str, Any] | None = None) -> Any:
        return self.his.api.post("/api/v1/rx/his/prescriptions", body or payload(), format="json")


@pytest.fixture
def rx_world(api_world: Any) -> RxWorld:
    his = make_hospital(api_world.home, ["rx.review"])
    scheme = ReviewScheme.objects.create(
        institution=api_world.home, name="全天审方", start_time=dt.time(0, 0), end_time=dt.time(23, 59, 59)
    )
    ReviewSchemeItem.objects.create(scheme=scheme, served_institution=api_world.home)
    return RxWorld(world=api_world, his=his, scheme=scheme)
