"""The referral as FHIR R4B ServiceRequest + Task, validated with fhir.resources, scoped like the rest."""

from __future__ import annotations

from typing import Any

import pytest
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.task import Task

from yigongti.centers.referral import fhir
from yigongti.centers.referral.tests.test_his_support import (
    RefWorld,
    build_ref_world,
    make_referral,
)
from yigongti.core.audit.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def ref_world(api_world: Any) -> RefWorld:
    return build_ref_world(api_world)


BASE = "/api/v1/referral/fhir"


def test_service_request_is_the_referral(ref_world: RefWorld) -> None:
    referral = make_referral(ref_world, to="arranged")
    his = ref_world.hospital(["referral.read"])

    response = his.api.get(f"{BASE}/ServiceRequest/{referral.pk}")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    resource: Any = ServiceRequest.model_validate(response.json())
    assert (resource.id, resource.status, resource.intent, resource.priority) == (
        str(referral.pk), "active", "order", "routine",
    )  # fmt: skip
    assert resource.identifier[0].system == fhir.SYSTEM_NUMBER and resource.identifier[0].value == referral.number
    assert resource.subject.reference == f"Patient/{referral.resident_id}"
    assert resource.requester.reference == f"Practitioner/{ref_world.doctor.staff_id}"
    assert resource.performer[0].reference == f"Organization/{ref_world.other.pk}"
    assert [c.coding[0].code for c in resource.category] == ["3457005", "up"]
    assert resource.code.coding[0].code == "outpatient"
    assert resource.reasonCode[0].coding[0].system == "http://hl7.org/fhir/sid/icd-10"
    assert resource.reasonCode[0].coding[0].code == "I10.x00"
    assert resource.occurrenceDateTime is not None
    assert (
        AuditLog.objects.filter(
            object_type="referral.referral", object_id=str(referral.pk), content__contains="FHIR"
        ).count()
        == 1
    )


def test_task_is_the_work_with_its_business_status(ref_world: RefWorld) -> None:
    referral = make_referral(ref_world, to="arranged")
    his = ref_world.hospital(["referral.read"], institution=ref_world.other)

    response = his.api.get(f"{BASE}/Task/{referral.pk}")

    assert response.status_code == 200
    task: Any = Task.model_validate(response.json())
    assert (task.status, task.intent) == ("accepted", "order")
    assert task.businessStatus.coding[0].code == "arranged"
    assert task.focus.reference == f"ServiceRequest/{referral.pk}"
    assert task.for_fhir.reference == f"Patient/{referral.resident_id}"
    assert task.owner.reference == f"Organization/dept-{ref_world.other_department.pk}"
    assert task.requester.reference == f"Organization/{ref_world.home.pk}"
    assert [o.type.text for o in task.output] == ["安排就诊时间"]


@pytest.mark.parametrize(
    ("state", "request_status", "task_status"),
    [("submitted", "active", "requested"), ("refused", "revoked", "rejected"), ("closed", "completed", "completed"),
     ("cancelled", "revoked", "cancelled")],
)  # fmt: skip
def test_every_state_maps_to_valid_fhir(ref_world: RefWorld, state: str, request_status: str, task_status: str) -> None:
    referral = make_referral(ref_world, to=state)

    request: Any = ServiceRequest.model_validate(fhir.service_request(referral))
    task: Any = Task.model_validate(fhir.task(referral))

    assert (request.status, task.status, task.businessStatus.coding[0].code) == (request_status, task_status, state)


def test_an_uninvolved_institution_gets_a_404_operation_outcome(ref_world: RefWorld) -> None:
    referral = make_referral(ref_world, to="submitted")
    his = ref_world.hospital(["referral.read"], institution=ref_world.third)

    response = his.api.get(f"{BASE}/ServiceRequest/{referral.pk}")

    assert response.status_code == 404
    body: Any = response.json()
    assert body["resourceType"] == "OperationOutcome" and body["issue"][0]["code"] == "not-found"


def test_without_the_read_scope_it_is_forbidden(ref_world: RefWorld) -> None:
    referral = make_referral(ref_world, to="submitted")
    his = ref_world.hospital(["fhir.read"])

    response = his.api.get(f"{BASE}/Task/{referral.pk}")

    assert response.status_code == 403
    assert response.json()["resourceType"] == "OperationOutcome"
