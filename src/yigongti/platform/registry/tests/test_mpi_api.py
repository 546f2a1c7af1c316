"""Master patient index API: permissions, the review queue's institution scope, merge/reverse,
identifiers, unlink, link rules — every JSON answer checked against the OpenAPI document — and no
ID number, phone, address or card number in plaintext in any table afterwards."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from yigongti.core.audit.models import AuditLog
from yigongti.core.testing.api import assert_error
from yigongti.platform.registry.models import MatchCandidate, PatientRegistration, Resident, ResidentIdentifier
from yigongti.platform.registry.testing import make_id_number, make_registration, make_resident

pytestmark = pytest.mark.django_db
API = "/api/v1/registry"
BIRTH = dt.date(1975, 8, 9)


def codes(*actions: str) -> list[str]:
    return [f"registry.mpi.{a}" for a in actions]


def wait_for_review(world: Any, institution: Any, settings: Any, local_id: str = "Q-1") -> MatchCandidate:
    settings.MPI_MATCH_THRESHOLD = 0.9999999
    make_resident(world.home, id_number=make_id_number(BIRTH, 41, sex="1"), name="张伟", phone="13800001111")
    reg = make_registration(institution, local_id=local_id, name="章伟", sex="1", birth_date=BIRTH, phone="13800001111")
    return reg.candidates.get()


def test_register_needs_the_permission_and_answers_the_outcome(api_world: Any) -> None:
    data = {"local_id": "HIS-9", "name": "钱七", "id_number": "11010519491231002X", "phone": "13912345678"}
    assert_error(api_world.client_for(codes("view")).post(f"{API}/registrations", data, format="json"), 403)
    client = api_world.client_for(codes("register", "view"))
    response = client.post(f"{API}/registrations", data, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["outcome"], body["method"], body["status"], body["created_resident"]) == (
        "no_match", "new_resident", "linked", True
    )  # fmt: skip
    assert body["id_number"] == "110105********002X" and body["phone"] == "139****5678"
    assert body["institution"] == api_world.home.pk and body["resident_name"] == "钱七"
    again = client.post(f"{API}/registrations", data | {"local_id": "HIS-10"}, format="json").json()
    assert (again["outcome"], again["method"], again["resident"]) == ("match", "id_number", body["resident"])
    listed = client.get(f"{API}/registrations").json()
    assert {r["id"] for r in listed["results"]} == {body["id"], again["id"]}
    assert AuditLog.objects.filter(object_type="registry.patientregistration", category="list").exists()


def test_register_bad_input_is_a_chinese_400_and_writes_nothing(api_world: Any) -> None:
    client = api_world.client_for(codes("register"))
    body = assert_error(
        client.post(
            f"{API}/registrations", {"local_id": "X", "name": "甲", "id_number": "360426199101010072"}, format="json"
        ),
        400,
        "VALIDATION_ERROR",
    )
    assert "校验位" in body["fields"]["id_number"][0]
    body = assert_error(client.post(f"{API}/registrations", {"local_id": "X", "name": "甲"}, format="json"), 400)
    assert set(body["fields"]) == {"birth_date", "sex"}
    assert not PatientRegistration.objects.exists() and not Resident.objects.exists()


def test_review_queue_is_scoped_to_the_reviewers_institutions(api_world: Any, settings: Any) -> None:
    theirs = wait_for_review(api_world, api_world.other, settings, "THEIRS")
    mine = make_registration(
        api_world.home, local_id="MINE", name="章伟", sex="1", birth_date=BIRTH, phone="13800001111"
    ).candidates.get()
    assert_error(api_world.client_for(codes("view")).get(f"{API}/review-queue"), 403, "PERMISSION_DENIED")
    client = api_world.client_for(codes("review"))
    rows = client.get(f"{API}/review-queue").json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]
    row = rows[0]
    assert row["registration"]["local_id"] == "MINE" and row["resident"]["name"] == "张伟"
    assert row["resident"]["phone"] == "138****1111"
    assert {d["field"]: d["level"] for d in row["details"]}["family"] == "homophone"
    before = AuditLog.objects.count()
    assert_error(client.get(f"{API}/review-queue/{theirs.pk}"), 404, "NOT_FOUND")
    assert_error(client.post(f"{API}/review-queue/{theirs.pk}/link"), 404, "NOT_FOUND")
    assert_error(client.post(f"{API}/review-queue/{theirs.pk}/reject"), 404, "NOT_FOUND")
    assert AuditLog.objects.count() == before
    theirs.refresh_from_db()
    assert theirs.status == "pending"

    linked = client.post(f"{API}/review-queue/{mine.pk}/link")
    assert linked.status_code == 200, linked.content
    assert (linked.json()["status"], linked.json()["method"]) == ("linked", "review")
    assert client.get(f"{API}/review-queue").json()["count"] == 0
    assert client.get(f"{API}/review-queue", {"status": "all"}).json()["count"] == 1
    assert_error(client.post(f"{API}/review-queue/{mine.pk}/reject"), 409, "MPI_ALREADY_DECIDED")


def test_merge_reverse_identifiers_and_unlink_through_the_api(api_world: Any) -> None:
    a = make_resident(api_world.home, id_number=make_id_number(BIRTH, 51, sex="2"), name="孙丽")
    b = make_resident(api_world.home, id_number=make_id_number(BIRTH, 53, sex="2"), name="孙莉")
    make_registration(
        api_world.home,
        id_number=b.id_number,
        local_id="B-7",
        identifiers=[{"type": "medical_insurance", "value": "320900123456789"}],
    )
    assert_error(api_world.client_for(codes("view")).post(f"{API}/residents/{a.pk}/merge", {"other": b.pk}), 403)
    client = api_world.client_for(
        [*codes("view", "merge", "link"), "registry.resident.view", "registry.resident.change"]
    )
    identifiers = client.get(f"{API}/residents/{b.pk}/identifiers").json()
    assert [(i["type"], i["value"]) for i in identifiers] == [
        ("medical_insurance", "***********6789"),
        ("patient_id", "***"),
    ]
    response = client.post(f"{API}/residents/{a.pk}/merge", {"other": b.pk, "reason": "重复建档"}, format="json")
    assert response.status_code == 201, response.content
    merge = response.json()
    assert (merge["survivor"], merge["merged"], merge["moved_identifiers"], merge["moved_registrations"]) == (
        a.pk, b.pk, 2, 1
    )  # fmt: skip
    assert len(client.get(f"{API}/residents/{a.pk}/identifiers").json()) == 3
    assert client.get(f"{API}/merges").json()["count"] == 1
    reversed_ = client.post(f"{API}/merges/{merge['id']}/reverse")
    assert reversed_.status_code == 200 and reversed_.json()["reversed_at"]
    assert_error(client.post(f"{API}/merges/{merge['id']}/reverse"), 409, "MERGE_ALREADY_REVERSED")

    card = ResidentIdentifier.objects.get(resident=b, type="medical_insurance")
    unlinked = client.post(f"{API}/identifiers/{card.pk}/unlink", {"reason": "医保卡登记错误"}, format="json")
    assert unlinked.status_code == 200, unlinked.content
    [again] = unlinked.json()["registrations"]
    assert again["resident"] != b.pk and again["created_resident"]
    rules = client.get(f"{API}/link-rules").json()["results"]
    assert [(r["kind"], r["resident"]) for r in rules] == [("never_link", b.pk)]


def test_link_rules_through_the_api(api_world: Any) -> None:
    resident = make_resident(api_world.home, id_number=make_id_number(BIRTH, 61, sex="1"), name="吴刚")
    other = make_resident(api_world.far, id_number=make_id_number(BIRTH, 63, sex="1"), name="吴刚")
    client = api_world.client_for([*codes("link", "register", "view")])
    data = {"kind": "force_link", "identifier_type": "patient_id", "value": "F-77", "resident": resident.pk}
    assert_error(client.post(f"{API}/link-rules", data | {"resident": other.pk}, format="json"), 404, "NOT_FOUND")
    response = client.post(f"{API}/link-rules", data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["value_hint"] == "****" and response.json()["issuer"] == api_world.home.pk
    body = client.post(
        f"{API}/registrations",
        {"local_id": "F-77", "name": "别人", "sex": "2", "birth_date": "2000-01-01"},
        format="json",
    ).json()
    assert (body["method"], body["resident"]) == ("force_link", resident.pk)


def test_nothing_sensitive_in_plaintext_after_mpi_work(api_world: Any, settings: Any) -> None:
    secrets = ["11010519491231002X", "13912345678", "320900123456789", "JK-0099887766", "幸福村3组12号"]
    client = api_world.client_for(codes("register", "review", "view"))
    data = {
        "local_id": "S-1",
        "name": "秘密",
        "id_number": secrets[0],
        "phone": secrets[1],
        "address": "江苏省云溪县河口镇" + secrets[4],
        "identifiers": [
            {"type": "medical_insurance", "value": secrets[2]},
            {"type": "health_card", "value": secrets[3]},
        ],
    }
    assert client.post(f"{API}/registrations", data, format="json").status_code == 201
    candidate = wait_for_review(api_world, api_world.home, settings)
    client.post(f"{API}/review-queue/{candidate.pk}/reject")
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            text = " | ".join(str(cell) for row in cursor.fetchall() for cell in row)
            for secret in secrets:
                assert secret not in text, f"{table} holds {secret[:4]}… in plaintext"
