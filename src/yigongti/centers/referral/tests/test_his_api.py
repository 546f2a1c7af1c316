"""HIS interface: idempotent create, OAuth2 scope and institution binding, slots, beds, package push."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone

from yigongti.centers.referral.config.models import ReferralSlot
from yigongti.centers.referral.models import Referral
from yigongti.centers.referral.tests.test_his_support import (
    RefWorld,
    build_ref_world,
    create_body,
    make_referral,
)
from yigongti.core.audit.models import AuditLog
from yigongti.platform.integration.models import InboundMessage
from yigongti.platform.org.models import Bed

pytestmark = pytest.mark.django_db


@pytest.fixture
def ref_world(api_world: Any) -> RefWorld:
    return build_ref_world(api_world)


URL = "/api/v1/referral/his/referrals"


def post(api: Any, body: dict[str, Any], key: str | None = "HIS-0001") -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return api.post(URL, body, format="json", **headers)


def test_create_submits_the_referral_with_the_mpi_patient_and_visit(ref_world: RefWorld) -> None:
    his = ref_world.hospital()

    response = post(his.api, create_body(ref_world))

    assert response.status_code == 201, response.json()
    data = response.json()
    referral = Referral.objects.get()
    assert data["id"] == referral.pk and data["number"] == referral.number
    assert (data["status"], data["external_key"], data["patient_name"]) == ("submitted", "HIS-0001", "王建国")
    assert (referral.source_client_id, referral.from_doctor_id) == (his.client.pk, ref_world.doctor.pk)
    assert (referral.from_institution_id, referral.to_institution_id) == (ref_world.home.pk, ref_world.other.pk)
    assert referral.resident.name == "王建国" and referral.urgency == "urgent"
    assert referral.package["visit"]["visit_no"] == "MZ20261125001"
    assert referral.package["basic"]["id_number_masked"] != "320923195803120032"
    message = InboundMessage.objects.get()
    assert (message.control_id, message.message_type, message.status) == ("HIS-0001", "referral.create", "processed")
    assert json.loads(message.payload)["reason"] == "血压控制不佳，需上级医院调整方案"


def test_replay_with_the_same_key_answers_the_same_response_without_a_second_referral(ref_world: RefWorld) -> None:
    his = ref_world.hospital()
    first = post(his.api, create_body(ref_world))

    again = post(his.api, create_body(ref_world))

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert Referral.objects.count() == 1
    assert InboundMessage.objects.count() == 1


def test_the_external_key_field_works_like_the_header(ref_world: RefWorld) -> None:
    his = ref_world.hospital()
    first = post(his.api, create_body(ref_world, external_key="K-77"), key=None)

    again = post(his.api, create_body(ref_world, external_key="K-77"), key="K-77")

    assert first.status_code == 201 and first.json()["external_key"] == "K-77"
    assert again.status_code == 201 and again.json() == first.json()
    assert Referral.objects.count() == 1


def test_same_key_with_another_body_is_a_conflict_and_writes_nothing(ref_world: RefWorld) -> None:
    his = ref_world.hospital()
    post(his.api, create_body(ref_world))

    response = post(his.api, create_body(ref_world, reason="另一个原因"))

    assert response.status_code == 409
    assert response.json()["code"] == "REFERRAL_IDEMPOTENCY_CONFLICT"
    assert Referral.objects.count() == 1
    assert list(InboundMessage.objects.order_by("pk").values_list("status", "error_code")) == [
        ("processed", ""),
        ("failed", "REFERRAL_IDEMPOTENCY_CONFLICT"),
    ]


def test_header_and_field_keys_that_differ_are_refused_before_anything_is_stored(ref_world: RefWorld) -> None:
    his = ref_world.hospital()

    response = post(his.api, create_body(ref_world, external_key="A-1"), key="B-2")

    assert response.status_code == 400
    assert response.json()["code"] == "REFERRAL_IDEMPOTENCY_KEY_INVALID"
    assert (InboundMessage.objects.count(), Referral.objects.count()) == (0, 0)


def test_a_missing_key_is_refused(ref_world: RefWorld) -> None:
    his = ref_world.hospital()

    response = post(his.api, create_body(ref_world), key=None)

    assert response.status_code == 400
    assert response.json()["fields"] == {"external_key": ["该项为必填项。"]}
    assert InboundMessage.objects.count() == 0


def test_an_unknown_doctor_is_refused_and_the_message_keeps_the_failure(ref_world: RefWorld) -> None:
    his = ref_world.hospital()

    response = post(his.api, create_body(ref_world, doctor_code="NOPE"))

    assert response.status_code == 400
    assert response.json()["code"] == "REFERRAL_DOCTOR_UNKNOWN"
    assert Referral.objects.count() == 0
    message = InboundMessage.objects.get()
    assert (message.status, message.error_code, message.retryable) == ("failed", "REFERRAL_DOCTOR_UNKNOWN", False)


def test_a_target_outside_the_community_is_refused(ref_world: RefWorld) -> None:
    his = ref_world.hospital()

    response = post(his.api, create_body(ref_world, to_institution=ref_world.far.pk))

    assert response.status_code == 400
    assert response.json()["code"] == "REFERRAL_TARGET_OUTSIDE_COMMUNITY"
    assert Referral.objects.count() == 0


def test_a_full_slot_refuses_the_whole_create(ref_world: RefWorld) -> None:
    his = ref_world.hospital()
    slot = _slot(ref_world, capacity=1, booked=1)

    response = post(his.api, create_body(ref_world, slot=slot.pk))

    assert response.status_code in (400, 409)
    assert Referral.objects.count() == 0
    slot.refresh_from_db()
    assert slot.booked == 1


def test_create_with_a_slot_books_it(ref_world: RefWorld) -> None:
    his = ref_world.hospital()
    slot = _slot(ref_world, capacity=3, booked=0)

    response = post(his.api, create_body(ref_world, slot=slot.pk))

    assert response.status_code == 201, response.json()
    assert response.json()["slot"] == slot.pk
    slot.refresh_from_db()
    assert slot.booked == 1


def test_a_token_without_the_referral_scope_is_forbidden(ref_world: RefWorld) -> None:
    his = ref_world.hospital(["fhir.read"])

    response = post(his.api, create_body(ref_world))

    assert response.status_code == 403
    assert (InboundMessage.objects.count(), Referral.objects.count()) == (0, 0)


def test_a_console_user_cannot_use_the_his_create(ref_world: RefWorld, api_world: Any) -> None:
    client = api_world.client_for(["referral.his.submit"])

    response = client.post(URL, create_body(ref_world), format="json", HTTP_IDEMPOTENCY_KEY="X-1")

    assert response.status_code == 403
    assert response.json()["code"] == "REFERRAL_CLIENT_ONLY"


def test_status_is_readable_by_both_institutions_and_404_for_an_uninvolved_one(ref_world: RefWorld) -> None:
    referral = make_referral(ref_world, to="arranged")
    applicant = ref_world.hospital(["referral.read"])
    receiver = ref_world.hospital(["referral.read"], institution=ref_world.other)
    uninvolved = ref_world.hospital(["referral.read"], institution=ref_world.third)

    mine = applicant.api.get(f"{URL}/{referral.pk}")
    theirs = receiver.api.get(f"{URL}/{referral.pk}")
    nobody = uninvolved.api.get(f"{URL}/{referral.pk}")

    assert (mine.status_code, theirs.status_code, nobody.status_code) == (200, 200, 404)
    assert mine.json()["status"] == theirs.json()["status"] == "arranged"
    assert theirs.json()["arranged_department_name"] == ref_world.other_department.name
    assert AuditLog.objects.filter(object_type="referral.referral", object_id=str(referral.pk)).count() >= 2


def test_package_push_merges_sections_into_the_draft_then_submit_books_a_slot(ref_world: RefWorld) -> None:
    his = ref_world.hospital()
    slot = _slot(ref_world, capacity=2, booked=0)
    created = post(his.api, create_body(ref_world, submit=False)).json()
    lab = [{"item": "血肌酐", "value": "88", "unit": "μmol/L"}]

    pushed = his.api.post(f"{URL}/{created['id']}/package", {"sections": {"lab": lab}}, format="json")
    submitted = his.api.post(f"{URL}/{created['id']}/submit", {"slot": slot.pk}, format="json")

    assert created["status"] == "draft"
    assert pushed.status_code == 200, pushed.content
    assert submitted.status_code == 200, submitted.content
    referral = Referral.objects.get()
    assert referral.package["lab"] == lab
    assert referral.package["visit"]["visit_no"] == "MZ20261125001"
    assert referral.package["basic"]["name"] == "王建国"
    assert (referral.status, referral.slot_id) == ("submitted", slot.pk)
    slot.refresh_from_db()
    assert slot.booked == 1


def test_package_push_refuses_unknown_sections(ref_world: RefWorld) -> None:
    his = ref_world.hospital()
    created = post(his.api, create_body(ref_world, submit=False)).json()

    response = his.api.post(f"{URL}/{created['id']}/package", {"sections": {"basic": {"name": "x"}}}, format="json")

    assert response.status_code == 400
    assert Referral.objects.get().package.get("basic", {}).get("name") == "王建国"


def test_slots_list_the_targets_open_slots_with_capacity_left(ref_world: RefWorld) -> None:
    his = ref_world.hospital()
    open_slot = _slot(ref_world, capacity=3, booked=1)
    _slot(ref_world, capacity=2, booked=2)  # full
    _slot(ref_world, capacity=2, booked=0, status="closed")
    _slot(ref_world, capacity=2, booked=0, days=-1)  # past

    response = his.api.get("/api/v1/referral/his/slots", {"institution": ref_world.other.pk})
    outside = his.api.get("/api/v1/referral/his/slots", {"institution": ref_world.far.pk})
    missing = his.api.get("/api/v1/referral/his/slots")

    assert response.status_code == 200
    assert [(r["id"], r["available"], r["department_name"]) for r in response.json()] == [
        (open_slot.pk, 2, ref_world.other_department.name)
    ]
    assert outside.status_code == 404
    assert missing.status_code == 400


def test_beds_count_free_and_referral_reserved_beds_per_department(ref_world: RefWorld) -> None:
    his = ref_world.hospital()
    dept = ref_world.other_department
    for code, status, reserved in [("1", "free", False), ("2", "free", True), ("3", "occupied", False),
                                   ("4", "reserved", True), ("5", "maintenance", False)]:  # fmt: skip
        Bed.objects.create(
            institution=ref_world.other, department=dept, code=code, status=status, referral_reserved=reserved
        )

    response = his.api.get("/api/v1/referral/his/beds", {"institution": ref_world.other.pk})

    assert response.status_code == 200
    assert response.json() == [
        {"department": dept.pk, "department_name": dept.name, "total": 4, "free": 2, "referral_reserved": 2}
    ]


def _slot(world: RefWorld, *, capacity: int, booked: int, status: str = "open", days: int = 3) -> ReferralSlot:
    day = timezone.localdate() + dt.timedelta(days=days)
    return ReferralSlot.objects.create(
        institution=world.other,
        department=world.other_department,
        date=day,
        period="am",
        start_time=dt.time(8, 0),
        end_time=dt.time(11, 30),
        capacity=capacity,
        booked=booked,
        kind="outpatient",
        status=status,
    )
