"""REF-12/13/14 through the API: settings per institution (defaults, save, review → ApprovalSetting),
预约接口 configuration, and the permission matrix."""

from __future__ import annotations

from typing import Any

import pytest

from yigongti.centers.referral.config import services
from yigongti.centers.referral.config.models import BookingAdapterConfig, ReferralSettings
from yigongti.core.audit.models import AuditLog
from yigongti.core.testing.api import assert_error
from yigongti.core.workflow.models import ApprovalSetting
from yigongti.platform.testing import make_role

pytestmark = pytest.mark.django_db
URL = "/api/v1/referral/settings"
VIEW, CHANGE = "referral.settings.view", "referral.settings.change"


def test_institution_without_a_row_gets_the_defaults(api_world: Any) -> None:
    settings = services.institution_settings(api_world.home.pk)

    assert settings.pk is None
    assert (settings.quota_mode, settings.online_mode, settings.pinning) == (True, False, "department")
    assert (settings.no_show_grace_hours, settings.share_window_days) == (24, 30)
    assert (settings.inbound_review, settings.outbound_review) == (True, True)


def test_get_shows_defaults_and_list_shows_only_institutions_in_scope(api_world: Any) -> None:
    client = api_world.client_for([VIEW])

    one = client.get(f"{URL}/{api_world.home.pk}")
    listing = client.get(URL)

    assert one.status_code == 200
    assert one.json() == {
        "institution": api_world.home.pk,
        "institution_name": "城关镇卫生院",
        "configured": False,
        "outbound_review": True,
        "outbound_reviewer_role": None,
        "inbound_review": True,
        "inbound_reviewer_role": None,
        "quota_mode": True,
        "online_mode": False,
        "pinning": "department",
        "pinning_display": "到科室",
        "no_show_grace_hours": 24,
        "share_window_days": 30,
        "remark": "",
    }
    assert [row["institution"] for row in listing.json()["results"]] == [api_world.home.pk]


def test_put_saves_settings_and_writes_review_switches_as_approval_settings(api_world: Any) -> None:
    role = make_role(["referral.referral.review"], institution=api_world.home)
    client = api_world.client_for([VIEW, CHANGE])

    response = client.put(
        f"{URL}/{api_world.home.pk}",
        {
            "online_mode": True,
            "pinning": "doctor",
            "no_show_grace_hours": 48,
            "share_window_days": 60,
            "outbound_review": False,
            "inbound_reviewer_role": role.pk,
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["configured"], body["quota_mode"], body["online_mode"], body["pinning"]) == (
        True,
        True,
        True,
        "doctor",
    )
    assert (body["outbound_review"], body["inbound_review"], body["inbound_reviewer_role"]) == (False, True, role.pk)
    row = ReferralSettings.objects.get(institution=api_world.home)
    assert (row.no_show_grace_hours, row.share_window_days) == (48, 60)
    steps = {
        a.step: (a.enabled, a.approver_role_id)
        for a in ApprovalSetting.objects.filter(workflow="referral", institution=api_world.home)
    }
    assert steps == {"applicant_review": (False, None), "receiver_review": (True, role.pk)}
    assert AuditLog.objects.filter(object_type="referral_config.referralsettings", category="create").count() == 1
    assert AuditLog.objects.filter(object_type="workflow.approvalsetting").count() == 2
    effective = services.institution_settings(api_world.home.pk)
    assert (effective.outbound_review, effective.inbound_reviewer_role_id) == (False, role.pk)


def test_put_with_both_modes_off_is_refused_and_writes_nothing(api_world: Any) -> None:
    client = api_world.client_for([VIEW, CHANGE])

    body = assert_error(
        client.put(
            f"{URL}/{api_world.home.pk}",
            {"quota_mode": False, "online_mode": False, "outbound_review": False},
            format="json",
        ),
        400,
        "REFERRAL_SETTINGS_INVALID",
    )

    assert body["fields"] == {"quota_mode": ["配额模式与在线预约模式至少启用一种。"]}
    assert not ReferralSettings.objects.exists()
    assert not ApprovalSetting.objects.filter(workflow="referral").exists()


def test_reviewer_role_of_another_institution_is_refused(api_world: Any) -> None:
    foreign = make_role(["referral.referral.review"], institution=api_world.other)
    client = api_world.client_for([VIEW, CHANGE])

    body = assert_error(
        client.put(f"{URL}/{api_world.home.pk}", {"inbound_reviewer_role": foreign.pk}, format="json"), 400
    )

    assert "inbound_reviewer_role" in body["fields"]
    assert not ApprovalSetting.objects.exists()


def test_other_institution_is_not_found_and_missing_code_is_forbidden(api_world: Any) -> None:
    assert_error(api_world.client_for([VIEW, CHANGE]).get(f"{URL}/{api_world.other.pk}"), 404, "NOT_FOUND")
    assert_error(
        api_world.client_for([VIEW, CHANGE]).put(f"{URL}/{api_world.other.pk}", {"pinning": "doctor"}, format="json"),
        404,
        "NOT_FOUND",
    )
    assert_error(
        api_world.client_for([VIEW]).put(f"{URL}/{api_world.home.pk}", {"pinning": "doctor"}, format="json"),
        403,
        "PERMISSION_DENIED",
    )
    assert_error(api_world.anonymous().get(URL), 401)
    assert not ReferralSettings.objects.exists()


def test_booking_adapter_api_hides_the_key_and_checks_the_url(api_world: Any) -> None:
    client = api_world.client_for([VIEW, CHANGE])

    bad = client.post(
        "/api/v1/referral/booking-adapters", {"institution": api_world.home.pk, "kind": "http"}, format="json"
    )
    created = client.post(
        "/api/v1/referral/booking-adapters",
        {"institution": api_world.home.pk, "kind": "http", "base_url": "http://127.0.0.1:9/his", "api_key": "k-1"},
        format="json",
    )
    elsewhere = client.post(
        "/api/v1/referral/booking-adapters",
        {"institution": api_world.other.pk, "kind": "local"},
        format="json",
    )

    assert_error(bad, 400)
    assert created.status_code == 201, created.content
    assert "api_key" not in created.json()
    assert created.json()["has_api_key"] is True
    assert BookingAdapterConfig.objects.get(institution=api_world.home).api_key == "k-1"
    assert elsewhere.status_code == 400
    assert not BookingAdapterConfig.objects.filter(institution=api_world.other).exists()
