"""Schedules → slots, slot actions, available slots with pinning, rule evaluation (console users and
HIS clients), path recommendation, rule versions — through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from yigongti.centers.referral.config import services
from yigongti.centers.referral.config.models import ReferralPath, ReferralRule, ReferralSettings, ReferralSlot
from yigongti.centers.referral.config.tests.helpers import make_schedule, make_slot, tomorrow
from yigongti.core.audit.models import AuditLog
from yigongti.core.testing.api import assert_error
from yigongti.platform.testing import make_department, make_user

pytestmark = pytest.mark.django_db
SLOTS = "/api/v1/referral/slots"


def test_generate_action_creates_slots_and_refuses_other_institutions_schedule(api_world: Any) -> None:
    schedule = make_schedule(api_world.home, api_world.home_department, weekdays=[])
    foreign = make_schedule(api_world.other, api_world.other_department, weekdays=[])
    client = api_world.client_for(["referral.schedule.view", "referral.schedule.generate"])
    until = (timezone.localdate() + dt.timedelta(days=2)).isoformat()

    response = client.post(f"/api/v1/referral/schedules/{schedule.pk}/generate", {"until": until}, format="json")
    refused = client.post(f"/api/v1/referral/schedules/{foreign.pk}/generate", {"until": until}, format="json")

    assert response.status_code == 201
    assert response.json() == {"created": 3}
    assert_error(refused, 404, "NOT_FOUND")
    assert ReferralSlot.objects.filter(schedule=foreign).count() == 0


def test_close_open_and_capacity_actions(api_world: Any) -> None:
    slot = make_slot(api_world.home, api_world.home_department, capacity=4, booked=2)
    client = api_world.client_for(["referral.schedule.view", "referral.schedule.slot"])

    closed = client.post(f"{SLOTS}/{slot.pk}/close")
    too_small = client.post(f"{SLOTS}/{slot.pk}/capacity", {"capacity": 1}, format="json")
    resized = client.post(f"{SLOTS}/{slot.pk}/capacity", {"capacity": 6}, format="json")
    opened = client.post(f"{SLOTS}/{slot.pk}/open")

    assert closed.json()["status"] == "closed"
    assert assert_error(too_small, 400, "REFERRAL_SLOT_CAPACITY_BELOW_BOOKED")["fields"] == {"capacity": ["至少为 2。"]}
    assert (resized.json()["capacity"], resized.json()["available"]) == (6, 4)
    assert opened.json()["status"] == "open"
    assert AuditLog.objects.filter(object_type="referral_config.referralslot", object_id=str(slot.pk)).count() == 3


def test_slot_actions_need_the_slot_code(api_world: Any) -> None:
    slot = make_slot(api_world.home, api_world.home_department)
    client = api_world.client_for(["referral.schedule.view"])
    assert_error(client.post(f"{SLOTS}/{slot.pk}/close"), 403, "PERMISSION_DENIED")
    assert ReferralSlot.objects.get(pk=slot.pk).status == "open"


def test_delete_of_booked_slot_is_a_409(api_world: Any) -> None:
    slot = make_slot(api_world.home, api_world.home_department, booked=1)
    client = api_world.client_for(["referral.schedule.delete"])
    assert_error(client.delete(f"{SLOTS}/{slot.pk}"), 409, "REFERRAL_SLOT_CAPACITY_BELOW_BOOKED")
    assert ReferralSlot.objects.filter(pk=slot.pk).exists()


@pytest.fixture
def hospital_slots(api_world: Any) -> dict[str, Any]:
    """The other institution of the community publishes slots: two departments, one with a doctor."""
    cardio = make_department(api_world.other, name="心内科")
    doctor = make_user(api_world.other, name="李医生")
    return {
        "cardio": cardio,
        "doctor": doctor,
        "plain": make_slot(api_world.other, api_world.other_department, start_time=dt.time(8, 0)),
        "doctor_slot": make_slot(api_world.other, cardio, doctor=doctor, start_time=dt.time(9, 0)),
        "full": make_slot(api_world.other, cardio, capacity=1, booked=1, start_time=dt.time(10, 0)),
        "closed": make_slot(api_world.other, cardio, status="closed", start_time=dt.time(10, 30)),
        "far": make_slot(api_world.far, make_department(api_world.far), start_time=dt.time(8, 0)),
    }


def available(world: Any, **params: Any) -> list[dict[str, Any]]:
    client = world.client_for(["referral.schedule.view"])
    response = client.get(f"{SLOTS}/available", params)
    assert response.status_code == 200, response.content
    return list(response.json())


def test_available_lists_open_free_slots_of_the_community_with_department_pinning(
    api_world: Any, hospital_slots: dict[str, Any]
) -> None:
    rows = available(api_world, institution=api_world.other.pk)

    assert [r["id"] for r in rows] == [hospital_slots["plain"].pk, hospital_slots["doctor_slot"].pk]
    assert {r["pinning"] for r in rows} == {"department"}
    assert [r["doctor"] for r in rows] == [None, None]  # 到科室: the doctor is not shown
    assert [r["available"] for r in rows] == [2, 2]
    filtered = available(api_world, institution=api_world.other.pk, department=hospital_slots["cardio"].pk)
    assert [r["id"] for r in filtered] == [hospital_slots["doctor_slot"].pk]


def test_available_with_doctor_pinning_shows_only_doctor_slots(api_world: Any, hospital_slots: dict[str, Any]) -> None:
    ReferralSettings.objects.create(institution=api_world.other, pinning="doctor")

    rows = available(api_world, institution=api_world.other.pk, doctor=hospital_slots["doctor"].pk)

    assert [(r["id"], r["doctor"], r["doctor_name"]) for r in rows] == [
        (hospital_slots["doctor_slot"].pk, hospital_slots["doctor"].pk, "李医生")
    ]


def test_available_with_hospital_pinning_ignores_department_and_quota_off_hides_all(
    api_world: Any, hospital_slots: dict[str, Any]
) -> None:
    settings = ReferralSettings.objects.create(institution=api_world.other, pinning="hospital")
    rows = available(api_world, institution=api_world.other.pk, department=hospital_slots["cardio"].pk)
    assert len(rows) == 2

    settings.quota_mode, settings.online_mode = False, True
    settings.save()
    assert available(api_world, institution=api_world.other.pk) == []


def test_available_never_shows_another_communitys_slots(api_world: Any, hospital_slots: dict[str, Any]) -> None:
    assert available(api_world, institution=api_world.far.pk) == []
    assert hospital_slots["far"].pk not in {r["id"] for r in available(api_world)}


def test_available_rejects_a_bad_date(api_world: Any) -> None:
    client = api_world.client_for(["referral.schedule.view"])
    assert_error(client.get(f"{SLOTS}/available", {"date_from": "tomorrow"}), 400, "VALIDATION_ERROR")


# -- rules ---------------------------------------------------------------------------------------
EVALUATE = "/api/v1/referral/rules/evaluate"


def test_console_user_evaluates_a_visit(api_world: Any) -> None:
    services.rules_seed_defaults()
    client = api_world.client_for(["referral.rule.evaluate"])

    response = client.post(
        EVALUATE,
        {"date": "2026-11-25", "visit": {"diagnosis_codes": ["E11.9"], "labs": {"FPG": 17.2}, "vitals": {"sbp": 150}}},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["refer"], body["severity"], body["severity_label"]) == (True, "emergency", "紧急转诊")
    assert [m["code"] for m in body["matched"]] == ["GLU_CRITICAL"]
    assert body["matched"][0]["evidence"] == ["检验 FPG 17.2 ≥ 16.7"]
    assert body["rules_evaluated"] == 12


def test_evaluate_for_another_institution_is_not_found_and_bad_visit_is_400(api_world: Any) -> None:
    client = api_world.client_for(["referral.rule.evaluate"])
    assert_error(client.post(EVALUATE, {"institution": api_world.other.pk, "visit": {}}, format="json"), 404)
    body = assert_error(client.post(EVALUATE, {"visit": {"vitals": {"sbp": "高"}}}, format="json"), 400)
    assert "visit" in body["fields"]
    assert_error(api_world.client_for([]).post(EVALUATE, {"visit": {}}, format="json"), 403, "PERMISSION_DENIED")


def test_his_client_with_the_code_evaluates_for_its_institution(
    api_world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from yigongti.platform.integration import scopes
    from yigongti.platform.integration.tests.helpers import make_hospital

    services.rules_seed_defaults()
    monkeypatch.setitem(scopes.SCOPES, "referral.rules", ("转诊规则评估", ("referral.rule.evaluate",)))
    hospital = make_hospital(api_world.home, ["referral.rules"])

    response = hospital.api.post(EVALUATE, {"visit": {"vitals": {"dbp": 112}}}, format="json")
    foreign = hospital.api.post(EVALUATE, {"institution": api_world.other.pk, "visit": {}}, format="json")

    assert response.status_code == 200, response.content
    assert [m["code"] for m in response.json()["matched"]] == ["BP_CRISIS"]
    assert foreign.status_code == 404


def test_rule_with_invalid_condition_is_a_chinese_400(api_world: Any) -> None:
    client = api_world.client_for(["referral.rule.add", "referral.rule.view"])
    body = assert_error(
        client.post(
            "/api/v1/referral/rules",
            {
                "institution": api_world.home.pk,
                "code": "X",
                "name": "错误规则",
                "severity": "urgent",
                "condition": {"field": "vitals.sbp", "op": ">=", "value": "180"},
                "reason": "测试",
                "source": "测试",
                "effective_from": "2026-01-01",
            },
            format="json",
        ),
        400,
        "VALIDATION_ERROR",
    )
    assert body["fields"] == {"condition": ["字段 vitals.sbp 的比较值必须是数字"]}
    assert not ReferralRule.objects.filter(code="X").exists()


def test_institution_derives_its_own_version_of_a_default_but_cannot_edit_the_default(api_world: Any) -> None:
    services.rules_seed_defaults()
    default = ReferralRule.objects.get(code="BP_CRISIS", institution__isnull=True)
    client = api_world.client_for(["referral.rule.view", "referral.rule.add", "referral.rule.change"])

    derived = client.post(
        f"/api/v1/referral/rules/{default.pk}/versions",
        {"institution": api_world.home.pk, "effective_from": "2026-12-01"},
        format="json",
    )
    edit_default = client.patch(f"/api/v1/referral/rules/{default.pk}", {"reason": "改"}, format="json")
    default_version = client.post(
        f"/api/v1/referral/rules/{default.pk}/versions", {"effective_from": "2026-12-01"}, format="json"
    )

    assert derived.status_code == 201, derived.content
    assert (derived.json()["institution"], derived.json()["version"], derived.json()["code"]) == (
        api_world.home.pk,
        1,
        "BP_CRISIS",
    )
    assert edit_default.status_code == 404  # shared rows are read-only without 全部 scope
    assert_error(default_version, 403, "OUT_OF_SCOPE")
    default.refresh_from_db()
    assert default.effective_to is None


# -- paths ---------------------------------------------------------------------------------------
def test_recommend_api_ranks_paths_of_the_users_institution(api_world: Any) -> None:
    ReferralPath.objects.create(institution=api_world.home, target_institution=api_world.other, diagnosis_code="I63")
    ReferralPath.objects.create(institution=api_world.other, target_institution=api_world.home, diagnosis_code="I63")
    make_slot(api_world.other, api_world.other_department, date=tomorrow(), capacity=5, booked=1)
    client = api_world.client_for(["referral.path.recommend"])

    response = client.get("/api/v1/referral/paths/recommend", {"diagnosis_code": "I63.9"})
    empty = client.get("/api/v1/referral/paths/recommend", {})
    foreign = client.get(
        "/api/v1/referral/paths/recommend", {"diagnosis_code": "I63", "institution": api_world.other.pk}
    )

    assert response.status_code == 200
    assert [(r["target_institution"], r["match"], r["free_slots"]) for r in response.json()] == [
        (api_world.other.pk, "prefix", 4)
    ]
    assert_error(empty, 400, "REFERRAL_BAD_QUERY")
    assert_error(foreign, 404)


def test_path_target_outside_the_community_is_refused(api_world: Any) -> None:
    client = api_world.client_for(["referral.path.add", "referral.path.view"])
    body = assert_error(
        client.post(
            "/api/v1/referral/paths",
            {"institution": api_world.home.pk, "target_institution": api_world.far.pk, "diagnosis_code": "I10"},
            format="json",
        ),
        400,
    )
    assert body["fields"] == {"target_institution": ["推荐接诊机构须属于同一医共体。"]}
