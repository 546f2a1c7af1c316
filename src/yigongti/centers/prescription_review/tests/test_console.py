"""Console resources: prescriptions and checks in scope, quick replies (CRUD, personal, reorder),
schemes and roster, configuration."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from yigongti.centers.prescription_review.models import PharmacistDuty, QuickReply, RxCenterConfig
from yigongti.centers.prescription_review.services_config import config_for
from yigongti.centers.prescription_review.tests.conftest import payload
from yigongti.core.scope import DataScope
from yigongti.platform.integration.tests.helpers import make_hospital
from yigongti.platform.testing import make_user

pytestmark = pytest.mark.django_db


def test_prescriptions_of_another_institution_are_404_in_the_console(rx_world: Any, engine_says: Any) -> None:
    engine_says("review", "caution")
    rx_world.submit()
    make_hospital(rx_world.world.other, ["rx.review"]).api.post(
        "/api/v1/rx/his/prescriptions", payload("RX-O"), format="json"
    )
    _, doctor = rx_world.doctor()

    listed = doctor.get("/api/v1/rx/prescriptions").json()
    own_id = listed["results"][0]["id"]
    detail = doctor.get(f"/api/v1/rx/prescriptions/{own_id}").json()
    from yigongti.centers.prescription_review.models import Prescription

    foreign = Prescription.objects.get(his_id="RX-O")
    hidden = doctor.get(f"/api/v1/rx/prescriptions/{foreign.pk}")

    assert [r["his_id"] for r in listed["results"]] == ["RX0001"]
    assert listed["results"][0]["patient_name"] == "张*丰"
    assert [v["number"] for v in detail["versions"]] == [1]
    assert detail["versions"][0]["checks"][0]["verdict"] == "review"
    assert (hidden.status_code, hidden.json()["code"]) == (404, "NOT_FOUND")


def test_a_community_pharmacist_sees_every_member_institution(rx_world: Any, engine_says: Any) -> None:
    engine_says("review", "caution")
    rx_world.submit()
    make_hospital(rx_world.world.other, ["rx.review"]).api.post(
        "/api/v1/rx/his/prescriptions", payload("RX-O"), format="json"
    )
    make_hospital(rx_world.world.far, ["rx.review"]).api.post(
        "/api/v1/rx/his/prescriptions", payload("RX-F"), format="json"
    )
    _, pharmacist = rx_world.pharmacist(scope=DataScope.COMMUNITY)

    tasks = pharmacist.get("/api/v1/rx/tasks").json()["results"]

    assert sorted(t["his_id"] for t in tasks) == ["RX-O", "RX0001"]


def test_quick_replies_shared_and_personal_with_reorder(rx_world: Any) -> None:
    owner, client = rx_world.pharmacist()
    _, colleague = rx_world.pharmacist()

    shared = client.post("/api/v1/rx/quick-replies", {"kind": "reject", "text": "剂量过大，请核实。"}, format="json")
    mine = client.post(
        "/api/v1/rx/quick-replies", {"kind": "reject", "text": "请补充诊断。", "personal": True}, format="json"
    )
    third = client.post("/api/v1/rx/quick-replies", {"kind": "reject", "text": "存在配伍禁忌。"}, format="json")

    assert shared.status_code == 201, shared.content
    assert (mine.json()["owner"], shared.json()["owner"]) == (owner.pk, None)
    assert [r["text"] for r in colleague.get("/api/v1/rx/quick-replies").json()["results"]] == [
        "剂量过大，请核实。",
        "存在配伍禁忌。",
    ]
    ids = [third.json()["id"], mine.json()["id"], shared.json()["id"]]
    reordered = client.post("/api/v1/rx/quick-replies/reorder", {"ids": ids}, format="json")
    assert [r["id"] for r in reordered.json()] == ids
    assert [r["id"] for r in client.get("/api/v1/rx/quick-replies").json()["results"]] == ids
    foreign = colleague.post("/api/v1/rx/quick-replies/reorder", {"ids": [mine.json()["id"]]}, format="json")
    assert (foreign.status_code, foreign.json()["code"]) == (400, "RX_REORDER_INVALID")
    edited = client.patch(f"/api/v1/rx/quick-replies/{shared.json()['id']}", {"text": "单次剂量过大。"}, format="json")
    assert edited.json()["text"] == "单次剂量过大。"
    assert client.delete(f"/api/v1/rx/quick-replies/{mine.json()['id']}").status_code == 204
    assert QuickReply.objects.count() == 2


def test_config_changes_apply_to_the_next_submission(rx_world: Any) -> None:
    admin = make_user(
        rx_world.world.home, ["rx.config.view", "rx.config.add", "rx.config.change"], DataScope.INSTITUTION
    )
    client = APIClient()
    client.force_login(admin)
    assert config_for(rx_world.world.home.pk).timeout_minutes == 5

    created = client.post(
        "/api/v1/rx/configs",
        {"institution": rx_world.world.home.pk, "review_timeout_minutes": 8, "second_review_severity": ""},
        format="json",
    )
    foreign = client.post("/api/v1/rx/configs", {"institution": rx_world.world.other.pk}, format="json")

    assert created.status_code == 201, created.content
    assert config_for(rx_world.world.home.pk).timeout_minutes == 8
    assert config_for(rx_world.world.home.pk).second_review_severity == ""
    assert foreign.status_code == 400 and "institution" in foreign.json()["fields"]
    assert RxCenterConfig.objects.count() == 1


def test_an_admin_puts_a_pharmacist_on_a_scheme(rx_world: Any) -> None:
    admin = make_user(
        rx_world.world.home,
        ["rx.roster.view", "rx.roster.add", "rx.scheme.view", "rx.scheme.add"],
        DataScope.INSTITUTION,
    )
    client = APIClient()
    client.force_login(admin)
    pharmacist = make_user(rx_world.world.home, ["rx.roster.duty", "rx.task.review"])
    outsider = make_user(rx_world.world.other, ["rx.roster.duty"])

    item = client.post(
        "/api/v1/rx/scheme-items",
        {"scheme": rx_world.scheme.pk, "served_institution": rx_world.world.other.pk,
         "department": rx_world.world.home_department.pk},
        format="json",
    )  # fmt: skip
    duty = client.post("/api/v1/rx/duties", {"pharmacist": pharmacist.pk, "scheme": rx_world.scheme.pk}, format="json")
    refused = client.post("/api/v1/rx/duties", {"pharmacist": outsider.pk, "scheme": rx_world.scheme.pk}, format="json")

    assert (item.status_code, item.json()["fields"]) == (400, {"department": ["该科室不属于所选服务机构。"]})
    assert duty.status_code == 201, duty.content
    assert (duty.json()["institution"], duty.json()["on_duty"]) == (rx_world.world.home.pk, False)
    assert refused.status_code == 400 and "pharmacist" in refused.json()["fields"]
    assert PharmacistDuty.objects.count() == 1
