"""前置审方成效统计 (RX-14, guide §3.6.5.1): every indicator on a hand-computed fixture of the review
center's history (engineer P's Prescription / PrescriptionVersion / CheckRecord / ReviewTask)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from yigongti.centers.prescription_review.comment import supervision
from yigongti.centers.prescription_review.models import CheckRecord, Prescription, PrescriptionVersion, ReviewTask
from yigongti.core.scope import DataScope
from yigongti.platform.testing import make_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/rx/supervision"
TZ = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2026, 3, 10, 9, tzinfo=TZ)
VERDICT = {"contraindicated": "intercept", "not_recommended": "review", "caution": "review", "info": "inform",
           "none": "pass"}  # fmt: skip


def _rx(institution: Any, his_id: str, severities: list[str], *, task: str | None = None, payload: dict[str, Any]
        | None = None, day: int = 10, doctor: str = "S1") -> Prescription:  # fmt: skip
    at = T0.replace(day=day)
    rx = Prescription.objects.create(
        institution=institution, his_id=his_id, status="passed", version_count=len(severities),
        prescriber_code=doctor, prescriber_name=f"医生{doctor}",
        first_severity=severities[0], first_verdict=VERDICT[severities[0]],
        last_severity=severities[-1], last_verdict=VERDICT[severities[-1]],
        submitted_at=at, last_submitted_at=at + dt.timedelta(minutes=len(severities)),
    )  # fmt: skip
    for n, severity in enumerate(severities, start=1):
        version = PrescriptionVersion.objects.create(
            prescription=rx, institution=institution, number=n, payload=(payload or {}) if n == 1 else {},
            content_digest=f"{his_id}{n}", status="passed", submitted_at=at + dt.timedelta(minutes=n),
        )  # fmt: skip
        check = CheckRecord.objects.create(
            prescription=rx, version=version, institution=institution, sequence=n, prescriber_code=doctor,
            max_severity=severity, verdict=VERDICT[severity], finding_count=0 if severity == "none" else 1,
            elapsed_us=100, checked_at=at + dt.timedelta(minutes=n),
        )  # fmt: skip
        if task and n == 1:
            ReviewTask.objects.create(
                prescription=rx, version=version, check_record=check, institution=institution,
                max_severity=severity, status=task,
            )  # fmt: skip
    return rx


def _fixture(api_world: Any) -> None:
    home, other = api_world.home, api_world.other
    _rx(home, "A", ["contraindicated", "none"], payload={
        "diagnoses": [{"code": "J06.900", "name": "急性上呼吸道感染"}],
        "patient": {"allergies": [{"code": "penicillins", "text": "青霉素类"}]},
        "labs": [{"code": "K", "name": "血钾", "value": 5.8, "unit": "mmol/L"}, {"code": "K", "name": "血钾", "value": 4.1, "unit": "mmol/L"}],
        "exams": [{"name": "心电图"}], "items": [{}, {}],
    })  # fmt: skip
    _rx(home, "B", ["not_recommended", "not_recommended"], task="double_signed", payload={
        "diagnoses": [{"code": "J06.900", "name": "急性上呼吸道感染"}, {"code": "I10", "name": "高血压"}],
        "items": [{}],
    })  # fmt: skip
    _rx(home, "C", ["caution"], task="auto_passed", doctor="S2")
    _rx(home, "D", ["info"], day=11)
    _rx(home, "E", ["none"], day=11)
    _rx(other, "F", ["caution", "contraindicated"], day=11)


SUPERVISOR_TOTAL = {
    "label": "合计", "first_checked": 6, "first_reasonable": 2, "first_unreasonable": 4,
    "first_unreasonable_modified": 3, "ai_effective": 1, "ineffective_modification": 2, "first_high": 1,
    "first_medium": 1, "first_low": 2, "last_high": 1, "last_medium": 1, "last_low": 1, "modified": 3,
    "risk_lowered": 1, "checks": 9, "checked_rx": 6, "unreasonable_rate": Decimal("0.6667"),
    "intercept_rate": Decimal("0.1667"), "intervention_rate": Decimal("0.3333"), "ai_effective_rate": Decimal("0.2500"),
    "double_sign_rate": Decimal("0.5000"), "auto_pass_rate": Decimal("0.5000"),
}  # fmt: skip


def test_each_count_indicator_for_the_whole_county(api_world: Any) -> None:
    _fixture(api_world)
    supervisor = make_user(api_world.home, ["rx.supervision.dashboard.view"], scope=DataScope.ALL)

    rows = supervision.counts(user=supervisor, dimension="total")

    assert rows == [SUPERVISOR_TOTAL]


def test_institution_admin_sees_only_own_institution(api_world: Any) -> None:
    _fixture(api_world)
    admin = make_user(api_world.home, ["rx.supervision.dashboard.view"], scope=DataScope.INSTITUTION)

    [row] = supervision.counts(user=admin, dimension="total")

    assert (row["first_checked"], row["first_unreasonable"], row["modified"], row["ineffective_modification"],
            row["first_low"], row["last_high"], row["checks"]) == (5, 3, 2, 1, 1, 0, 7)  # fmt: skip


def test_dimensions_day_institution_and_doctor(api_world: Any) -> None:
    _fixture(api_world)
    supervisor = make_user(api_world.home, [], scope=DataScope.ALL)

    by_day = supervision.counts(user=supervisor, dimension="day")
    by_inst = supervision.counts(user=supervisor, dimension="institution")
    by_doctor = supervision.counts(user=supervisor, dimension="doctor")

    assert [(r["label"], r["first_checked"], r["first_unreasonable"], r["checks"]) for r in by_day] == [
        ("2026-03-10", 3, 3, 5), ("2026-03-11", 3, 1, 4)
    ]  # fmt: skip
    assert [(r["label"], r["first_checked"], r["ai_effective"]) for r in by_inst] == [
        ("城关镇卫生院", 5, 1), ("河口镇卫生院", 1, 0)
    ]  # fmt: skip
    assert [(r["label"], r["first_checked"], r["double_sign_rate"], r["auto_pass_rate"]) for r in by_doctor] == [
        ("城关镇卫生院 医生S1", 4, Decimal("1.0000"), Decimal("0.0000")),
        ("城关镇卫生院 医生S2", 1, Decimal("0.0000"), Decimal("1.0000")),
        ("河口镇卫生院 医生S1", 1, None, None),
    ]  # fmt: skip


def test_rankings_risk_matrix_and_modified_list(api_world: Any) -> None:
    _fixture(api_world)
    supervisor = make_user(api_world.home, [], scope=DataScope.ALL)

    rankings = supervision.rankings(user=supervisor)
    matrix = supervision.risk_matrix(user=supervisor)
    modified = supervision.modified_list(user=supervisor)

    assert rankings["patients"]["prescriptions"] == 6
    assert rankings["diagnoses"] == [
        {"name": "J06.900 急性上呼吸道感染", "count": 2},
        {"name": "I10 高血压", "count": 1},
    ]
    assert rankings["allergies"] == [{"name": "青霉素类", "count": 1}]
    assert rankings["labs"] == [{"name": "K 血钾", "count": 1}]
    assert rankings["lab_details"] == [{"name": "K 血钾（mmol/L）", "count": 2, "min": 4.1, "max": 5.8}]
    assert rankings["exams"] == [{"name": "心电图", "count": 1}]
    assert rankings["rx_summary"]["versions"] == 9
    assert rankings["rx_summary"]["avg_items"] == Decimal("0.50")
    assert matrix == [
        {"first": "high", "last": "none", "count": 1},
        {"first": "medium", "last": "medium", "count": 1},
        {"first": "low", "last": "high", "count": 1},
        {"first": "low", "last": "low", "count": 1},
    ]
    assert [m["his_id"] for m in modified] == ["F", "B", "A"] or sorted(m["his_id"] for m in modified) == [
        "A",
        "B",
        "F",
    ]


def test_api_returns_series_for_echarts_and_needs_the_permission(api_world: Any) -> None:
    _fixture(api_world)
    user = make_user(api_world.home, ["rx.supervision.dashboard.view"], scope=DataScope.ALL)
    client = APIClient()
    client.force_login(user)
    denied = APIClient()
    denied.force_login(make_user(api_world.home, ["rx.comment.sample.view"]))

    body = client.get(URL, {"dimension": "month", "since": "2026-03-01", "until": "2026-03-31"}).json()

    assert body["chart"]["categories"] == ["2026-03"]
    series = {s["key"]: s["data"] for s in body["chart"]["series"]}
    assert series["first_unreasonable"] == [4]
    assert series["ai_effective"] == [1]
    assert len(body["indicators"]) == 23
    assert [i["number"] for i in body["indicators"]] == list(range(1, 24))
    assert denied.get(URL).status_code == 403
    assert client.get(URL, {"since": "2026-13-01"}).status_code == 400
