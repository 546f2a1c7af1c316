"""The read-only FHIR R4B facade: every resource returned is parsed back with fhir.resources."""

from __future__ import annotations

from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.practitionerrole import PractitionerRole

from yigongti.core.audit.models import AuditLog
from yigongti.platform.integration.fhir import systems
from yigongti.platform.registry.testing import make_resident
from yigongti.platform.testing import make_department, make_staff

pytestmark = pytest.mark.django_db
BASE = "/api/v1/integration/fhir"
MODELS: dict[str, Any] = {
    "Patient": Patient,
    "Organization": Organization,
    "Practitioner": Practitioner,
    "PractitionerRole": PractitionerRole,
}


def fhir_json(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/fhir+json")
    body: dict[str, Any] = response.json()
    return body


def bundle(response: Any) -> list[dict[str, Any]]:
    """The entries of a searchset, each resource validated by its R4B model."""
    body = fhir_json(response)
    parsed = Bundle.model_validate(body)
    assert parsed.type == "searchset"
    resources = []
    for entry in body.get("entry", []):
        resource = entry["resource"]
        MODELS[resource["resourceType"]].model_validate(resource)
        assert entry["fullUrl"].endswith(f"/{resource['resourceType']}/{resource['id']}")
        resources.append(resource)
    return resources


def outcome(response: Any, status: int) -> str:
    body = fhir_json(response, status)
    parsed = OperationOutcome.model_validate(body)
    return str(parsed.issue[0].diagnostics)


def ident(resource: dict[str, Any], system: str) -> str:
    return next(i["value"] for i in resource["identifier"] if i["system"] == system)


@pytest.fixture
def people(api_world: Any) -> dict[str, Any]:
    return {
        "mine": make_resident(
            api_world.home, name="王建国", phone="13951234567", address="江苏省阜宁县城关镇人民路88号"
        ),
        "mine2": make_resident(api_world.home, name="王小芳"),
        "theirs": make_resident(api_world.other, name="王大海"),
    }


def test_patient_search_by_identifier_is_masked_without_view_sensitive(
    api_world: Any, people: dict[str, Any], hospital_for: Any
) -> None:
    api = hospital_for(["fhir.read"]).api
    mine = people["mine"]
    rows = bundle(api.get(f"{BASE}/Patient", {"identifier": f"{systems.ID_CARD}|{mine.id_number}"}))
    assert [r["id"] for r in rows] == [str(mine.pk)]
    patient = rows[0]
    assert ident(patient, systems.ID_CARD) == mine.id_number[:6] + "********" + mine.id_number[-4:]
    assert patient["name"][0]["text"] == "王建国"
    assert patient["gender"] in {"male", "female"}
    assert patient["telecom"][0]["value"] == "139****4567"
    assert patient["managingOrganization"]["reference"] == f"Organization/{api_world.home.pk}"
    assert patient["extension"][0]["valueCoding"]["system"] == systems.GB_SEX
    log = AuditLog.objects.get(object_type="registry.resident", category="list")
    assert log.object_id == str(mine.pk) and log.user_name == "城关镇卫生院 HIS"


def test_patient_full_identifier_with_view_sensitive_scope(people: dict[str, Any], hospital_for: Any) -> None:
    api = hospital_for(["fhir.read", "registry.sensitive"]).api
    mine = people["mine"]
    patient = fhir_json(api.get(f"{BASE}/Patient/{mine.pk}"))
    Patient.model_validate(patient)
    assert ident(patient, systems.ID_CARD) == mine.id_number
    assert patient["address"][0]["text"] == "江苏省阜宁县城关镇人民路88号"
    assert AuditLog.objects.filter(object_id=str(mine.pk), category="reveal").count() == 1


def test_other_institutions_patient_is_not_found_and_not_in_bundles(people: dict[str, Any], hospital_for: Any) -> None:
    api = hospital_for(["fhir.read"]).api
    theirs = people["theirs"]
    assert "不存在" in outcome(api.get(f"{BASE}/Patient/{theirs.pk}"), 404)
    found = bundle(api.get(f"{BASE}/Patient", {"identifier": theirs.id_number}))
    assert found == []
    names = [r["name"][0]["text"] for r in bundle(api.get(f"{BASE}/Patient", {"name": "王"}))]
    assert sorted(names) == ["王小芳", "王建国"]


def test_patient_search_paging_and_links(people: dict[str, Any], hospital_for: Any) -> None:
    api = hospital_for(["fhir.read"]).api
    body = fhir_json(api.get(f"{BASE}/Patient", {"name": "王", "_count": 1}))
    assert body["total"] == 2 and len(body["entry"]) == 1
    next_url = next(link["url"] for link in body["link"] if link["relation"] == "next")
    assert "_offset=1" in next_url
    second = bundle(api.get(f"{BASE}/Patient", {"name": "王", "_count": 1, "_offset": 1}))
    assert second[0]["id"] != body["entry"][0]["resource"]["id"]


def test_bad_search_parameters_answer_operation_outcome(people: dict[str, Any], hospital_for: Any) -> None:
    api = hospital_for(["fhir.read"]).api
    assert "identifer" in outcome(api.get(f"{BASE}/Patient", {"identifer": "x"}), 400)
    assert "_count" in outcome(api.get(f"{BASE}/Patient", {"_count": 1000}), 400)
    assert "birthdate" in outcome(api.get(f"{BASE}/Patient", {"birthdate": "1980-13-01"}), 400)
    assert outcome(api.get(f"{BASE}/Patient/abc"), 404)


def test_without_scope_or_token(api_world: Any, people: dict[str, Any], hospital_for: Any) -> None:
    assert outcome(api_world.anonymous().get(f"{BASE}/Patient"), 401)
    org_only = hospital_for(["org.read", "hl7.adt"]).api
    assert outcome(org_only.get(f"{BASE}/Patient"), 403)
    assert not AuditLog.objects.filter(object_type="registry.resident", category="list").exists()


def test_console_user_with_codes_can_use_the_facade(api_world: Any, people: dict[str, Any]) -> None:
    user = api_world.client_for(["registry.resident.view"])
    rows = bundle(user.get(f"{BASE}/Patient", {"identifier": f"{systems.RESIDENT}|{people['mine2'].pk}"}))
    assert [r["id"] for r in rows] == [str(people["mine2"].pk)]


def test_organization_search_covers_institutions_and_departments(api_world: Any, hospital_for: Any) -> None:
    api_world.home.uscc = "123209234670056789"
    api_world.home.save(update_fields=["uscc"])
    cardio = make_department(api_world.home, name="心血管内科", code="0302")
    api = hospital_for(["fhir.read"]).api
    rows = bundle(api.get(f"{BASE}/Organization"))
    ids = {r["id"] for r in rows}
    assert ids == {str(api_world.home.pk), f"dept-{api_world.home_department.pk}", f"dept-{cardio.pk}"}
    by_uscc = bundle(api.get(f"{BASE}/Organization", {"identifier": f"{systems.USCC}|123209234670056789"}))
    assert [r["id"] for r in by_uscc] == [str(api_world.home.pk)]
    assert ident(by_uscc[0], systems.INSTITUTION_CODE) == api_world.home.code
    dept = fhir_json(api.get(f"{BASE}/Organization/dept-{cardio.pk}"))
    Organization.model_validate(dept)
    assert dept["partOf"]["reference"] == f"Organization/{api_world.home.pk}"
    assert dept["type"][0]["coding"][0]["code"] == "dept"
    only_depts = bundle(api.get(f"{BASE}/Organization", {"type": "dept", "name": "心血管"}))
    assert [r["id"] for r in only_depts] == [f"dept-{cardio.pk}"]
    outcome(api.get(f"{BASE}/Organization/{api_world.other.pk}"), 404)
    outcome(api.get(f"{BASE}/Organization/dept-{api_world.other_department.pk}"), 404)


def test_practitioner_and_role(api_world: Any, hospital_for: Any) -> None:
    doctor = make_staff(
        api_world.home, api_world.home_department, name="周强", code="RM0789", practising_cert_no="110320923000789"
    )
    make_staff(api_world.other, api_world.other_department, name="周敏", code="RM0790")
    api = hospital_for(["fhir.read"]).api
    found = bundle(api.get(f"{BASE}/Practitioner", {"identifier": f"{systems.STAFF}|RM0789"}))
    assert [r["id"] for r in found] == [str(doctor.pk)]
    assert ident(found[0], systems.PRACTISING_CERT) == "110320923000789"
    assert [r["id"] for r in bundle(api.get(f"{BASE}/Practitioner", {"name": "周"}))] == [str(doctor.pk)]
    roles = bundle(api.get(f"{BASE}/PractitionerRole", {"practitioner": f"Practitioner/{doctor.pk}"}))
    assert roles[0]["organization"]["reference"] == f"Organization/dept-{api_world.home_department.pk}"
    by_org = bundle(
        api.get(f"{BASE}/PractitionerRole", {"organization": f"Organization/dept-{api_world.home_department.pk}"})
    )
    assert str(doctor.pk) in {r["id"] for r in by_org}
    by_name = bundle(api.get(f"{BASE}/PractitionerRole", {"practitioner.name": "周"}))
    assert [r["id"] for r in by_name] == [str(doctor.pk)]
    PractitionerRole.model_validate(fhir_json(api.get(f"{BASE}/PractitionerRole/{doctor.pk}")))


def test_capability_statement(hospital_for: Any) -> None:
    body = fhir_json(hospital_for(["fhir.read"]).api.get(f"{BASE}/metadata"))
    statement = CapabilityStatement.model_validate(body)
    assert statement.fhirVersion == "4.3.0"
    assert {r.type for r in statement.rest[0].resource} == set(MODELS)


def test_patient_by_the_institutions_own_patient_number(api_world: Any, hospital_for: Any) -> None:
    from yigongti.platform.integration.tests.helpers import fixture_text, post_hl7

    his = hospital_for(["hl7.adt", "fhir.read"])
    assert post_hl7(his.api, fixture_text("01_a04_v25_wang_register.hl7")).status_code == 200
    rows = bundle(his.api.get(f"{BASE}/Patient", {"identifier": f"{systems.MRN}|0001234567"}))
    assert len(rows) == 1 and rows[0]["name"][0]["text"] == "王建国"
    local = next(i for i in rows[0]["identifier"] if i["system"] == systems.MRN)
    assert local["value"] == "0001234567"
    assert local["assigner"]["reference"] == f"Organization/{api_world.home.pk}"
    # the same number means nothing for another institution (and its file is out of scope anyway)
    county = hospital_for(["fhir.read"], institution=api_world.other)
    assert bundle(county.api.get(f"{BASE}/Patient", {"identifier": f"{systems.MRN}|0001234567"})) == []
