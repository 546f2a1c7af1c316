"""统计分析 (REF-03): exact figures on a small fixture, per breakdown, scoped, and the Excel export.

Fixture (submission times fixed, Asia/Shanghai):
  r1 城关→县医院 上转 门诊, closed;   submitted 10-01 08:00, arranged 10-01 20:00, received 10-03 08:00
  r2 城关→县医院 上转 检查, submitted; submitted 10-15 10:00
  r3 城关→县医院 上转 门诊, refused;  submitted 11-02 09:00
  r4 县医院→城关 下转 门诊, arranged; submitted 10-10 08:00, arranged 10-11 08:00
  r5 新沟→县医院 上转 门诊, submitted; submitted 10-20 08:00 (invisible to 城关)
  r6 城关 draft (never counts)
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from yigongti.centers.referral import services
from yigongti.centers.referral.models import Referral
from yigongti.centers.referral.tests.test_his_support import (
    DOCTOR_CODES,
    RefWorld,
    build_ref_world,
    make_referral,
    patient,
)
from yigongti.core.scope import DataScope
from yigongti.platform.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def ref_world(api_world: Any) -> RefWorld:
    return build_ref_world(api_world)


TZ = ZoneInfo("Asia/Shanghai")
STATS = ["referral.stats.view", "referral.stats.export"]
URL = "/api/v1/referral/stats"


def at(month: int, day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=TZ)


def _times(referral: Referral, submitted: dt.datetime, arranged: dt.datetime | None = None,
           received: dt.datetime | None = None) -> None:  # fmt: skip
    # test arrangement: fixed history instead of "now" (the workflow stamps real times)
    Referral.objects.filter(pk=referral.pk).update(submitted_at=submitted, arranged_at=arranged, received_at=received)


@pytest.fixture
def stats_world(ref_world: RefWorld) -> dict[str, Any]:
    third_doctor = make_user(ref_world.third, DOCTOR_CODES, name="王医生")
    r1 = make_referral(ref_world, n=0, to="closed")
    r2 = make_referral(ref_world, n=1, kind="exam", to="submitted")
    r3 = make_referral(ref_world, n=2, to="refused")
    r4 = make_referral(
        ref_world, n=3, direction="down", to="arranged", applicant=ref_world.receiver, receiver=ref_world.doctor,
        to_institution=ref_world.home,
    )  # fmt: skip
    r5 = make_referral(ref_world, n=0, to="submitted", applicant=third_doctor)
    resident = services.patient_resolve(institution=ref_world.home, data=patient(1), actor=ref_world.doctor)
    services.referral_create(
        resident=resident, data={"direction": "up", "to_institution": ref_world.other}, actor=ref_world.doctor
    )
    _times(r1, at(10, 1, 8), at(10, 1, 20), at(10, 3, 8))
    _times(r2, at(10, 15, 10))
    _times(r3, at(11, 2, 9))
    _times(r4, at(10, 10, 8), at(10, 11, 8))
    _times(r5, at(10, 20, 8))
    return {"world": ref_world, "r": [r1, r2, r3, r4, r5]}


def client(world: RefWorld, scope: str = DataScope.INSTITUTION, codes: list[str] | None = None) -> APIClient:
    user = make_user(world.home, STATS if codes is None else codes, scope, department=world.home_department)
    api = APIClient()
    api.force_login(user)
    return api


def test_summary_totals_and_time_quality(stats_world: dict[str, Any]) -> None:
    api = client(stats_world["world"])

    data = api.get(f"{URL}/summary").json()

    assert data["totals"] == {
        "total": 4, "up": 3, "down": 1, "out_total": 3, "in_total": 1, "arrived": 1, "refused": 1,
        "cancelled": 0, "no_show": 0, "outpatient": 3, "inpatient": 0, "exam": 1,
    }  # fmt: skip
    assert data["quality"] == {
        "arranged_count": 2,
        "received_count": 1,
        "submit_to_arrange_avg_hours": 18.0,
        "submit_to_arrange_max_hours": 24.0,
        "arrange_to_receive_avg_hours": 36.0,
        "arrange_to_receive_max_hours": 36.0,
        "submit_to_receive_avg_hours": 48.0,
        "arrival_rate": 0.25,
    }
    assert data["chart"]["series"][0]["data"] == [{"name": "上转", "value": 3}, {"name": "下转", "value": 1}]


def test_filters_narrow_the_figures(stats_world: dict[str, Any]) -> None:
    api = client(stats_world["world"])

    down = api.get(f"{URL}/summary", {"direction": "down"}).json()
    october = api.get(f"{URL}/summary", {"start": "2026-10-01", "end": "2026-10-31"}).json()
    exams = api.get(f"{URL}/summary", {"kind": "exam"}).json()

    assert (down["totals"]["total"], october["totals"]["total"], exams["totals"]["total"]) == (1, 3, 1)


def test_by_institution_for_the_township(stats_world: dict[str, Any]) -> None:
    world = stats_world["world"]
    api = client(world)

    data = api.get(f"{URL}/by-institution").json()

    assert data["rows"] == [
        {
            "institution": world.home.pk, "institution_name": "城关镇卫生院",
            "out_up": 3, "out_down": 0, "out_total": 3, "in_up": 0, "in_down": 1, "in_total": 1,
            "total": 4, "outpatient": 3, "inpatient": 0, "exam": 1,
        }
    ]  # fmt: skip
    assert data["chart"]["categories"] == ["城关镇卫生院"]
    assert [(s["key"], s["data"]) for s in data["chart"]["series"]] == [
        ("out_up", [3]), ("out_down", [0]), ("in_up", [0]), ("in_down", [1]),
    ]  # fmt: skip


def test_by_institution_for_the_community_admin_sees_every_member(stats_world: dict[str, Any]) -> None:
    world = stats_world["world"]
    api = client(world, DataScope.COMMUNITY)

    data = api.get(f"{URL}/by-institution").json()

    assert [(r["institution"], r["out_up"], r["out_down"], r["in_up"], r["in_down"]) for r in data["rows"]] == [
        (world.home.pk, 3, 0, 0, 1),
        (world.other.pk, 0, 1, 4, 0),
        (world.third.pk, 1, 0, 0, 0),
    ]
    assert (data["totals"]["out_total"], data["totals"]["in_total"], data["totals"]["total"]) == (5, 5, 10)


def test_by_region_counts_the_primary_care_end(stats_world: dict[str, Any]) -> None:
    world = stats_world["world"]

    mine = client(world).get(f"{URL}/by-region").json()
    county = client(world, DataScope.COMMUNITY).get(f"{URL}/by-region").json()

    assert [(r["region_name"], r["up"], r["down"], r["total"]) for r in mine["rows"]] == [("城关镇卫生院", 3, 1, 4)]
    assert [(r["region_name"], r["up"], r["down"]) for r in county["rows"]] == [
        ("城关镇卫生院", 3, 1),
        ("新沟镇卫生院", 1, 0),
    ]


def test_by_doctor(stats_world: dict[str, Any]) -> None:
    world = stats_world["world"]

    data = client(world).get(f"{URL}/by-doctor").json()

    assert data["rows"] == [
        {
            "doctor": world.doctor.pk, "doctor_name": "张医生", "institution": world.home.pk,
            "institution_name": "城关镇卫生院", "up": 3, "down": 0, "total": 3, "arrived": 1, "refused": 1,
            "outpatient": 2, "inpatient": 0, "exam": 1,
        }
    ]  # fmt: skip


def test_by_month_fills_the_range(stats_world: dict[str, Any]) -> None:
    api = client(stats_world["world"])

    data = api.get(f"{URL}/by-period", {"period": "month", "start": "2026-09-01", "end": "2026-11-30"}).json()

    assert [(r["period"], r["up"], r["down"], r["out_total"], r["in_total"]) for r in data["rows"]] == [
        ("2026-09-01", 0, 0, 0, 0),
        ("2026-10-01", 2, 1, 2, 1),
        ("2026-11-01", 1, 0, 1, 0),
    ]
    assert data["chart"]["categories"] == ["2026-09-01", "2026-10-01", "2026-11-01"]


def test_by_week_starts_on_monday(stats_world: dict[str, Any]) -> None:
    api = client(stats_world["world"])

    data = api.get(f"{URL}/by-period", {"period": "week", "start": "2026-09-28", "end": "2026-10-11"}).json()

    assert [(r["period"], r["total"]) for r in data["rows"]] == [("2026-09-28", 1), ("2026-10-05", 1)]


def test_another_institution_filter_is_404_and_no_permission_is_403(stats_world: dict[str, Any]) -> None:
    world = stats_world["world"]

    outside = client(world).get(f"{URL}/summary", {"institution": world.other.pk})
    forbidden = client(world, codes=["referral.referral.view"]).get(f"{URL}/summary")
    bad_range = client(world).get(f"{URL}/summary", {"start": "2026-11-01", "end": "2026-10-01"})

    assert (outside.status_code, forbidden.status_code, bad_range.status_code) == (404, 403, 400)


def test_excel_export_holds_every_breakdown_with_totals(stats_world: dict[str, Any]) -> None:
    api = client(stats_world["world"])

    response = api.get(f"{URL}/export")

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["汇总", "按机构", "按区域", "按医生", "按时间"]
    summary = {row[0]: row[1] for row in book["汇总"].iter_rows(min_row=2, values_only=True)}
    assert (summary["转诊总数"], summary["上转"], summary["到诊率"]) == (4, 3, 0.25)
    rows = list(book["按机构"].iter_rows(values_only=True))
    assert rows[0][:4] == ("机构", "上转转出", "下转转出", "转出合计")
    assert rows[1][:4] == ("城关镇卫生院", 3, 0, 3)
    assert rows[-1][:4] == ("合计", 3, 0, 3)
