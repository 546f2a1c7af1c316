"""Resident registry API: the generic resource matrix plus masking, exact search, reveal and the
cross-institution access matrix (PLAT-02, SEC-02)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from yigongti.core.audit.models import AuditLog
from yigongti.core.testing.api import ResourceAPITests, assert_error
from yigongti.platform.org.models import FamilyDoctorTeam
from yigongti.platform.registry.models import ChronicDisease, Resident
from yigongti.platform.registry.testing import make_id_number, make_resident

URL = "/api/v1/registry/residents"
ALL = ["view", "add", "change", "delete", "export", "import", "view_sensitive"]


def codes(*actions: str) -> list[str]:
    return [f"registry.resident.{a}" for a in actions]


def resident_data(world: Any, **kw: Any) -> dict[str, Any]:
    return {
        "id_number": "360426199101010071",
        "name": "张三",
        "home_institution": world.home.pk,
        "ethnicity": "01",
        "marital_status": "20",
        "phone": "13800000000",
        "address": "江苏省某县城关镇人民路1号",
        "chronic_diseases": ["hypertension", "diabetes"],
    } | kw


class TestResidentAPI(ResourceAPITests):
    url = URL
    permission_base = "registry.resident"
    brief_fields = ["id", "name", "sex", "age", "id_number"]

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        diseases = list(ChronicDisease.objects.filter(code__in=["hypertension", "copd"]))
        return make_resident(institution, chronic_diseases=diseases)

    def create_data(self, world: Any) -> dict[str, Any]:
        return resident_data(world)

    def create_data_elsewhere(self, world: Any) -> dict[str, Any]:
        return resident_data(world, home_institution=world.other.pk)

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        return {"name": "张三丰"}

    def test_list_query_count_does_not_grow_with_rows(self, api_world: Any) -> None:
        # Every list page writes an audit row on a randomly chosen chain; the first row on a chain
        # creates its head (two extra queries). Create all heads first so the count is stable.
        from django.conf import settings

        from yigongti.core.audit.models import AuditChainHead

        AuditChainHead.objects.bulk_create(
            [AuditChainHead(chain=c) for c in range(int(getattr(settings, "AUDIT_CHAINS", 1)))], ignore_conflicts=True
        )
        super().test_list_query_count_does_not_grow_with_rows(api_world)


# -- create / validation through the API ------------------------------------------------------


@pytest.mark.django_db
def test_create_derives_birth_date_sex_and_age(api_world: Any) -> None:
    client = api_world.client_for(codes("add", "view"))
    body = client.post(URL, resident_data(api_world), format="json").json()
    assert body["birth_date"] == "1991-01-01" and body["sex"] == "1" and body["sex_display"] == "男性"
    today = dt.date.today()
    assert body["age"] == today.year - 1991 - ((today.month, today.day) < (1, 1))
    assert body["chronic_disease_names"] == ["高血压", "2型糖尿病"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("number", "field", "text"),
    [("360426199101010072", "id_number", "校验位"), ("3604261991010100", "id_number", "18 位")],
)
def test_create_with_invalid_number_is_a_400(api_world: Any, number: str, field: str, text: str) -> None:
    client = api_world.client_for(codes("add", "view"))
    body = assert_error(
        client.post(URL, resident_data(api_world, id_number=number), format="json"), 400, "VALIDATION_ERROR"
    )
    assert text in body["fields"][field][0]
    assert not Resident.objects.exists()


@pytest.mark.django_db
def test_create_with_contradicting_sex_is_a_400(api_world: Any) -> None:
    client = api_world.client_for(codes("add", "view"))
    response = client.post(URL, resident_data(api_world, sex="2", birth_date="1990-01-01"), format="json")
    body = assert_error(response, 400, "VALIDATION_ERROR")
    assert "性别与身份证号码不一致" in body["fields"]["sex"][0]
    assert "1991-01-01" in body["fields"]["birth_date"][0]


@pytest.mark.django_db
def test_duplicate_is_409_without_naming_the_institution(api_world: Any) -> None:
    make_resident(api_world.other, id_number="320102198001010016")
    client = api_world.client_for(codes("add", "view"))
    before = AuditLog.objects.count()
    body = assert_error(
        client.post(URL, resident_data(api_world, id_number="320102800101001"), format="json"),
        409,
        "RESIDENT_DUPLICATE",
    )
    assert body["message"] == "该身份证号已建档。"
    assert api_world.other.name not in str(body)
    assert Resident.objects.count() == 1 and AuditLog.objects.count() == before


# -- masking ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_responses_and_export_are_always_masked(api_world: Any) -> None:
    resident = make_resident(
        api_world.home, id_number="320102198001010016", phone="13800000000", address="江苏省某县城关镇人民路1号"
    )
    client = api_world.client_for(codes(*ALL))  # even with 查看敏感信息
    detail = client.get(f"{URL}/{resident.pk}").json()
    assert detail["id_number"] == "320102********0016"
    assert detail["phone"] == "138****0000"
    assert detail["address"].startswith("江苏省某县城") and "人民路1号" not in detail["address"]
    row = client.get(URL).json()["results"][0]
    assert (row["id_number"], row["phone"]) == ("320102********0016", "138****0000")
    brief = client.get(URL, {"brief": 1}).json()["results"][0]
    assert brief["id_number"] == "320102********0016"
    export = client.get(URL, {"format": "xlsx"})
    cells = [
        str(c) for r in load_workbook(io.BytesIO(export.content)).worksheets[0].iter_rows(values_only=True) for c in r
    ]
    assert "320102********0016" in cells and "138****0000" in cells
    assert not any("320102198001010016" in c or "13800000000" in c or "人民路1号" in c for c in cells)


# -- reveal -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_reveal_needs_view_sensitive_and_is_audited(api_world: Any) -> None:
    resident = make_resident(
        api_world.home, id_number="320102198001010016", phone="13800000000", address="城关镇人民路1号", name="李四"
    )
    plain = api_world.client_for(codes("view", "change"))
    assert_error(plain.post(f"{URL}/{resident.pk}/reveal"), 403, "PERMISSION_DENIED")
    assert not AuditLog.objects.filter(category="reveal").exists()

    client = api_world.client_for(codes("view", "view_sensitive"))
    response = client.post(f"{URL}/{resident.pk}/reveal")
    assert response.status_code == 200
    assert response.json() == {"id_number": "320102198001010016", "phone": "13800000000", "address": "城关镇人民路1号"}
    log = AuditLog.objects.get(category="reveal")
    assert log.log_type == "business" and log.object_type == "registry.resident"
    assert log.object_id == str(resident.pk) and log.object_repr == "李四" and "李四" in log.content
    assert log.user_code == api_world.last_user.username
    assert "320102198001010016" not in log.content and "13800000000" not in log.content
    client.post(f"{URL}/{resident.pk}/reveal")
    assert AuditLog.objects.filter(category="reveal").count() == 2  # every call is logged


# -- exact search -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_exact_search_by_id_number_and_phone(api_world: Any) -> None:
    target = make_resident(api_world.home, id_number="11010519491231002X", phone="025-84561234")
    legacy = make_resident(api_world.home, id_number="320102800101001", phone="13800000000")
    make_resident(api_world.home, id_number="360426199101010071", phone="13900000000")
    client = api_world.client_for(codes("view"))

    def ids(**params: Any) -> list[int]:
        response = client.get(URL, params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids(id_number="11010519491231002X") == [target.pk]
    assert ids(id_number="11010519491231002x") == [target.pk]
    assert ids(id_number="320102198001010016") == [legacy.pk]
    assert ids(id_number="320102800101001") == [legacy.pk]  # 15-digit query finds the 18-digit file
    assert ids(id_number="120103198806018241") == []  # valid, not registered
    assert ids(phone="13800000000") == [legacy.pk]
    assert ids(phone="02584561234") == [target.pk]
    assert ids(phone="025-84561234") == [target.pk]
    assert ids(phone="13700000000") == []
    body = assert_error(client.get(URL, {"id_number": "360426199101010072"}), 400, "VALIDATION_ERROR")
    assert "校验位" in body["fields"]["id_number"][0]


@pytest.mark.django_db
def test_other_filters(api_world: Any) -> None:
    team = FamilyDoctorTeam.objects.create(institution=api_world.home, code="T1", name="城关一队")
    hypertension = ChronicDisease.objects.get(code="hypertension")
    old = make_resident(
        api_world.home,
        id_number=make_id_number(dt.date(1950, 3, 3), 11),
        name="赵老汉",
        chronic_diseases=[hypertension],
        family_doctor_team=team,
    )
    young = make_resident(api_world.home, id_number=make_id_number(dt.date(2010, 3, 3), 12), name="赵小妹")
    client = api_world.client_for(codes("view"))

    def ids(**params: Any) -> set[int]:
        return {row["id"] for row in client.get(URL, params).json()["results"]}

    assert ids(name="赵") == {old.pk, young.pk}
    assert ids(name="老汉") == {old.pk}
    assert ids(sex="1") == {old.pk} and ids(sex="2") == {young.pk}
    assert ids(chronic_disease="hypertension") == {old.pk}
    assert ids(age_min=65) == {old.pk}
    assert ids(age_max=30) == {young.pk}
    assert ids(age_min=10, age_max=80) == {old.pk, young.pk}
    assert ids(family_doctor_team=team.pk) == {old.pk}
    assert ids(home_institution=api_world.home.pk) == {old.pk, young.pk}


# -- the access matrix across townships ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["other", "far"])
def test_another_townships_residents_are_not_found(api_world: Any, where: str) -> None:
    theirs = make_resident(getattr(api_world, where), id_number="320102198001010016", phone="13800000000")
    client = api_world.client_for(codes(*ALL))
    detail = f"{URL}/{theirs.pk}"
    body = client.get(URL, {"page_size": 500}).json()
    assert body["count"] == 0 and body["results"] == []
    assert client.get(URL, {"id_number": "320102198001010016"}).json()["count"] == 0
    assert client.get(URL, {"phone": "13800000000"}).json()["count"] == 0
    before = AuditLog.objects.count()
    assert_error(client.get(detail), 404, "NOT_FOUND")
    assert_error(client.post(f"{detail}/reveal"), 404, "NOT_FOUND")
    assert_error(client.patch(detail, {"name": "改名"}, format="json"), 404, "NOT_FOUND")
    assert_error(client.put(detail, resident_data(api_world), format="json"), 404, "NOT_FOUND")
    assert_error(client.delete(detail), 404, "NOT_FOUND")
    assert AuditLog.objects.count() == before  # nothing read, revealed or written
    theirs.refresh_from_db()
    assert theirs.name != "改名" and Resident.objects.filter(pk=theirs.pk).exists()


@pytest.mark.django_db
def test_cannot_move_a_resident_to_another_township(api_world: Any) -> None:
    mine = make_resident(api_world.home)
    client = api_world.client_for(codes("view", "change"))
    body = assert_error(client.patch(f"{URL}/{mine.pk}", {"home_institution": api_world.other.pk}, format="json"), 400)
    assert "home_institution" in body["fields"]
    mine.refresh_from_db()
    assert mine.home_institution_id == api_world.home.pk


@pytest.mark.django_db
def test_community_scope_sees_both_townships(api_world: Any) -> None:
    home, other = make_resident(api_world.home), make_resident(api_world.other)
    far = make_resident(api_world.far)
    client = api_world.client_for(codes("view"), scope="community")
    ids = {row["id"] for row in client.get(URL).json()["results"]}
    assert ids == {home.pk, other.pk} and far.pk not in ids


# -- update, import, reference list -------------------------------------------------------------


@pytest.mark.django_db
def test_update_changes_phone_and_audits_masked(api_world: Any) -> None:
    resident = make_resident(api_world.home, phone="13800000000")
    client = api_world.client_for(codes("view", "change"))
    response = client.patch(f"{URL}/{resident.pk}", {"phone": "139 1234 5678"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "139****5678"
    assert client.get(URL, {"phone": "13912345678"}).json()["count"] == 1
    assert client.get(URL, {"phone": "13800000000"}).json()["count"] == 0
    log = AuditLog.objects.get(category="update", object_id=str(resident.pk))
    assert log.before["phone"] == "138****0000" and log.after["phone"] == "139****5678"


@pytest.mark.django_db
def test_import_reports_bad_rows_and_imports_nothing(api_world: Any) -> None:
    client = api_world.client_for(codes("import", "add", "view"))
    wb = Workbook()
    ws = wb.active
    ws.append(["身份证号", "姓名", "建档机构", "联系电话", "慢性病"])
    ws.append(["360426199101010071", "甲", api_world.home.pk, "13800000000", "hypertension、diabetes"])
    ws.append(["360426199101010072", "乙", api_world.home.pk, "", ""])
    ws.append(["360426199101010071", "丙", api_world.home.pk, "", ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "residents.xlsx"
    body = assert_error(client.post(f"{URL}/import", {"file": buffer}, format="multipart"), 400, "IMPORT_INVALID")
    assert set(body["fields"]) == {"第3行", "第4行"}
    assert "校验位" in str(body["fields"]["第3行"]) and "该身份证号已建档" in str(body["fields"]["第4行"])
    assert not Resident.objects.exists()


@pytest.mark.django_db
def test_chronic_disease_reference_list(api_world: Any) -> None:
    assert_error(api_world.client_for([]).get("/api/v1/registry/chronic-diseases"), 403, "PERMISSION_DENIED")
    body = api_world.client_for(codes("view")).get("/api/v1/registry/chronic-diseases").json()
    rows = {row["code"]: row for row in body["results"]}
    assert list(rows) == ["hypertension", "diabetes", "chd", "stroke", "copd", "smi", "tb"]
    assert (rows["diabetes"]["name"], rows["diabetes"]["icd10"]) == ("2型糖尿病", "E11")
    assert rows["tb"]["source"] == "《国家基本公共卫生服务规范（第三版）》/ICD-10"
    client = api_world.client_for(codes("view", "add", "change", "delete"))
    response = client.post("/api/v1/registry/chronic-diseases", {"code": "x", "name": "x"}, format="json")
    assert response.status_code in (403, 405)  # read-only: no write action is routed
    assert ChronicDisease.objects.count() == 7
