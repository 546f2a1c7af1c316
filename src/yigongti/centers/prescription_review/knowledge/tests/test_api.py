"""Maintenance API: permissions, the draft/publish cycle, diff, Excel export and import."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from yigongti.centers.prescription_review.knowledge import selectors
from yigongti.centers.prescription_review.knowledge.models import Drug, Interaction, KnowledgeVersion
from yigongti.core.audit.models import AuditLog
from yigongti.core.testing.api import XLSX, assert_error
from yigongti.platform.accounts.builtin_roles import builtin_roles

pytestmark = pytest.mark.django_db

URL = "/api/v1/rx/knowledge"
ALL = [
    f"rx.knowledge.{menu}.{action}"
    for menu in ("version", "drug", "rule", "pair", "dictionary")
    for action in ("view", "add", "change", "delete", "export", "import")
] + ["rx.knowledge.version.publish"]
VIEW = [f"rx.knowledge.{menu}.view" for menu in ("version", "drug", "rule", "pair", "dictionary")]


def _role_codes(code: str) -> set[str]:
    return set(next(r for r in builtin_roles() if r.code == code).permission_codes())


def test_builtin_pharmacist_maintains_and_doctor_only_reads() -> None:
    pharmacist, doctor = _role_codes("pharmacist"), _role_codes("doctor")
    assert {"rx.knowledge.drug.change", "rx.knowledge.version.publish", "rx.knowledge.pair.import"} <= pharmacist
    assert "rx.knowledge.drug.view" in doctor
    assert not {c for c in doctor if c.startswith("rx.knowledge.") and not c.endswith(".view") and c.count(".") == 3}


def test_anonymous_and_users_without_codes_are_refused(api_world: Any) -> None:
    assert_error(api_world.anonymous().get(f"{URL}/drugs"), 401, "NOT_AUTHENTICATED")
    nobody = api_world.client_for([])
    assert_error(nobody.get(f"{URL}/drugs"), 403, "PERMISSION_DENIED")
    assert_error(nobody.post(f"{URL}/versions", {}, format="json"), 403, "PERMISSION_DENIED")


def test_a_doctor_reads_the_current_version_but_cannot_clone_or_edit(api_world: Any) -> None:
    doctor = api_world.client_for(VIEW)
    body = doctor.get(f"{URL}/drugs", {"search": "阿莫西林胶囊"}).json()
    assert [row["code"] for row in body["results"]] == ["amoxicillin_c025"]
    assert body["results"][0]["version"] == selectors.version_current_id()
    assert_error(doctor.post(f"{URL}/versions", {}, format="json"), 403, "PERMISSION_DENIED")
    drug = Drug.objects.get(version_id=selectors.version_current_id(), code="amoxicillin_c025")
    assert_error(
        doctor.patch(f"{URL}/drugs/{drug.pk}", {"max_course_days": 7}, format="json"), 403, "PERMISSION_DENIED"
    )
    assert KnowledgeVersion.objects.count() == 1


def test_pharmacist_clones_edits_the_draft_and_publishes(api_world: Any) -> None:
    pharmacist = api_world.client_for(ALL)
    current_id = selectors.version_current_id()
    response = pharmacist.post(f"{URL}/versions", {"name": "2026 年第一次修订"}, format="json")
    assert response.status_code == 201, response.content
    draft = response.json()
    assert (draft["number"], draft["status"], draft["based_on"], draft["is_current"]) == (2, "draft", current_id, False)

    drug = Drug.objects.get(version_id=draft["id"], code="amlodipine_t5")
    response = pharmacist.patch(f"{URL}/drugs/{drug.pk}", {"max_course_days": 30}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["max_course_days"] == 30
    assert AuditLog.objects.filter(category="update", object_id=str(drug.pk)).count() == 1
    assert Drug.objects.get(version_id=current_id, code="amlodipine_t5").max_course_days is None

    listed = pharmacist.get(f"{URL}/drugs", {"version": draft["id"], "code": "amlodipine_t5"}).json()["results"]
    assert [(r["id"], r["max_course_days"]) for r in listed] == [(drug.pk, 30)]

    diff = pharmacist.get(f"{URL}/versions/{draft['id']}/diff").json()
    assert diff["base"] == current_id
    assert [(m["model"], m["changed"], m["changed_keys"]) for m in diff["models"]] == [("drug", 1, ["amlodipine_t5"])]

    today = timezone.localdate().isoformat()
    published = pharmacist.post(f"{URL}/versions/{draft['id']}/publish", {"effective_date": today}, format="json")
    assert published.status_code == 200, published.content
    assert (published.json()["status"], published.json()["is_current"]) == ("published", True)
    assert pharmacist.get(f"{URL}/versions/current").json()["id"] == draft["id"]


def test_facts_of_a_published_version_cannot_be_changed_or_deleted(api_world: Any) -> None:
    pharmacist = api_world.client_for(ALL)
    drug = Drug.objects.get(version_id=selectors.version_current_id(), code="warfarin_t25")
    body = assert_error(
        pharmacist.patch(f"{URL}/drugs/{drug.pk}", {"max_course_days": 7}, format="json"), 400, "VALIDATION_ERROR"
    )
    assert "version" in body["fields"]
    pair = Interaction.objects.filter(version_id=selectors.version_current_id()).first()
    assert pair is not None
    assert_error(pharmacist.delete(f"{URL}/interactions/{pair.pk}"), 409, "RX_KB_NOT_DRAFT")
    assert Interaction.objects.filter(pk=pair.pk).exists()
    current = selectors.version_current_id()
    assert_error(pharmacist.delete(f"{URL}/versions/{current}"), 409, "RX_KB_NOT_DRAFT")
    new = {
        "version": current, "level": "drug", "a_code": "amlodipine_t5", "b_code": "warfarin_t25",
        "severity": "info", "mechanism": "无", "management": "无", "source": "测试",
    }  # fmt: skip
    assert_error(pharmacist.post(f"{URL}/interactions", new, format="json"), 400, "VALIDATION_ERROR")


def test_creating_a_fact_in_a_draft_needs_a_source_and_orders_the_pair(api_world: Any) -> None:
    pharmacist = api_world.client_for(ALL)
    draft = pharmacist.post(f"{URL}/versions", {}, format="json").json()
    data = {
        "version": draft["id"], "level": "drug", "a_code": "warfarin_t25", "b_code": "amlodipine_t5",
        "severity": "info", "mechanism": "无已知机制", "management": "常规监测", "source": "",
    }  # fmt: skip
    body = assert_error(pharmacist.post(f"{URL}/interactions", data, format="json"), 400, "VALIDATION_ERROR")
    assert "source" in body["fields"]
    response = pharmacist.post(f"{URL}/interactions", {**data, "source": "药品说明书【药物相互作用】"}, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["a_code"], response.json()["b_code"]) == ("amlodipine_t5", "warfarin_t25")


def test_a_drug_fact_must_point_to_a_drug_of_its_own_version(api_world: Any) -> None:
    pharmacist = api_world.client_for(ALL)
    draft = pharmacist.post(f"{URL}/versions", {}, format="json").json()
    old_drug = Drug.objects.get(version_id=selectors.version_current_id(), code="warfarin_t25")
    data = {"version": draft["id"], "drug": old_drug.pk, "icd10_prefix": "I48", "name": "房颤", "source": "说明书"}
    body = assert_error(pharmacist.post(f"{URL}/indications", data, format="json"), 400, "VALIDATION_ERROR")
    assert "drug" in body["fields"]


def test_routes_typed_as_text_become_a_list(api_world: Any) -> None:
    pharmacist = api_world.client_for(ALL)
    draft = pharmacist.post(f"{URL}/versions", {}, format="json").json()
    drug = Drug.objects.get(version_id=draft["id"], code="ceftriaxone_i1")
    response = pharmacist.patch(f"{URL}/drugs/{drug.pk}", {"routes": "ivgtt、im"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["routes"] == ["ivgtt", "im"]
    body = assert_error(pharmacist.patch(f"{URL}/drugs/{drug.pk}", {"routes": {"a": 1}}, format="json"), 400)
    assert "routes" in body["fields"]


def test_bad_version_parameter_is_a_chinese_400(api_world: Any) -> None:
    client = api_world.client_for(VIEW)
    assert_error(client.get(f"{URL}/drugs", {"version": "abc"}), 400, "VALIDATION_ERROR")


def test_excel_export_of_the_current_drugs_and_import_of_interactions_into_a_draft(api_world: Any) -> None:
    pharmacist = api_world.client_for(ALL)
    response = pharmacist.get(f"{URL}/check-types", {"format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 1 + 32  # header + every check type (错误码字典)

    draft = pharmacist.post(f"{URL}/versions", {}, format="json").json()
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["version", "level", "a_code", "b_code", "severity", "mechanism", "management", "source"])
    ws.append([draft["id"], "drug", "warfarin_t25", "amlodipine_t5", "info", "无", "常规监测", "药品说明书"])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "pairs.xlsx"
    response = pharmacist.post(f"{URL}/interactions/import", {"file": buffer}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json() == {"created": 1}
    assert (
        Interaction.objects.filter(version_id=draft["id"], a_code="amlodipine_t5", b_code="warfarin_t25").count() == 1
    )


def test_pharmacist_of_one_institution_maintains_the_county_knowledge_base(api_world: Any) -> None:
    pharmacist = api_world.client_for(ALL, scope="self")
    response = pharmacist.post(f"{URL}/versions", {"notes": "本人数据范围的药师"}, format="json")
    assert response.status_code == 201, response.content
    versions = pharmacist.get(f"{URL}/versions").json()
    assert [v["number"] for v in versions["results"]] == [2, 1]
    assert versions["results"][1]["is_current"] is True


def test_list_query_count_does_not_grow_with_the_page(api_world: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_world.client_for(VIEW)
    client.get(f"{URL}/dose-limits", {"page_size": 5})
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"{URL}/dose-limits", {"page_size": 5}).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"{URL}/dose-limits", {"page_size": 50}).status_code == 200
    assert len(many) == len(few)


def test_a_drug_fact_may_name_its_drug_by_code_within_the_version(api_world: Any) -> None:
    pharmacist = api_world.client_for(ALL)
    draft = pharmacist.post(f"{URL}/versions", {}, format="json").json()
    data = {
        "version": draft["id"],
        "drug": "warfarin_t25",
        "icd10_prefix": "I21",
        "name": "心肌梗死后",
        "source": "说明书【适应症】",
    }
    response = pharmacist.post(f"{URL}/indications", data, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["drug_code"], body["version"]) == ("warfarin_t25", draft["id"])
    assert Drug.objects.get(pk=body["drug"]).version_id == draft["id"]
    missing = assert_error(pharmacist.post(f"{URL}/indications", {**data, "drug": "no_such_drug"}, format="json"), 400)
    assert "drug" in missing["fields"]
