"""The HIS real-time interface (RX-01, RX-02, RX-04): verdicts, versions, cancellation, scope."""

from __future__ import annotations

import json
from typing import Any

import pytest

from yigongti.centers.prescription_review.models import CheckRecord, Prescription, PrescriptionVersion, ReviewTask
from yigongti.centers.prescription_review.tests.conftest import payload
from yigongti.core.audit.models import AuditLog
from yigongti.core.workflow.models import TimelineEntry
from yigongti.platform.integration.tests.helpers import make_hospital

pytestmark = pytest.mark.django_db


def test_a_prescription_sent_to_a_pharmacist_is_stored_with_its_check_and_a_pending_task(
    rx_world: Any, engine_says: Any
) -> None:
    engine_says("review", "caution")

    response = rx_world.submit()

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["his_id"], body["version"], body["status"], body["verdict"]) == (
        "RX0001",
        1,
        "pending_review",
        "review",
    )
    assert (body["dispensable"], body["final"], body["resent"], body["max_severity"]) == (
        False,
        False,
        False,
        "caution",
    )
    assert [f["check_type"] for f in body["findings"]] == ["interaction"]
    assert body["findings"][0]["source"] == "华法林钠片说明书【药物相互作用】"
    assert (body["elapsed_us"], body["kb_version"]) == (321, "kb-test-1")
    rx = Prescription.objects.get()
    assert (rx.institution_id, rx.status, rx.version_count, rx.first_severity, rx.first_verdict) == (
        rx_world.world.home.pk,
        "pending_review",
        1,
        "caution",
        "review",
    )
    assert (rx.prescriber_code, rx.department_code, rx.patient_sex, rx.patient_age_days) == ("D001", "NK", "M", 24000)
    task = ReviewTask.objects.get()
    assert (task.status, task.max_severity, task.requires_second, task.check_record_id) == (
        "pending",
        "caution",
        False,
        body["check_id"],
    )
    assert task.due_at is not None and 299 <= (task.due_at - rx.submitted_at).total_seconds() <= 301
    assert CheckRecord.objects.get().sequence == 1
    assert AuditLog.objects.filter(action="prescription_review.prescription.submit").count() == 1


def test_identifying_patient_fields_are_stored_only_encrypted(rx_world: Any, engine_says: Any) -> None:
    engine_says("pass", None)

    rx_world.submit()

    version = PrescriptionVersion.objects.get()
    assert "name" not in version.payload["patient"] and "id_number" not in version.payload["patient"]
    assert json.loads(version.identity) == {"name": "张三丰", "id_number": "320923195803120032", "phone": "13800000001"}
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT identity, payload FROM prescription_review_prescriptionversion")
        raw_identity, raw_payload = cursor.fetchone()
        cursor.execute("SELECT patient_name FROM prescription_review_prescription")
        (raw_name,) = cursor.fetchone()
    assert "320923195803120032" not in raw_identity and "13800000001" not in raw_identity
    assert "320923195803120032" not in str(raw_payload) and "张三丰" not in str(raw_payload)
    assert raw_name.startswith("sm4gcm1:")


def test_a_clean_prescription_passes_at_once_without_a_task(rx_world: Any, engine_says: Any) -> None:
    engine_says("pass", None)

    body = rx_world.submit().json()

    assert (body["status"], body["verdict"], body["dispensable"], body["final"], body["max_severity"]) == (
        "passed",
        "pass",
        True,
        True,
        "none",
    )
    assert body["task"] is None and body["findings"] == []
    assert ReviewTask.objects.count() == 0


def test_an_intercepted_prescription_is_final_and_not_dispensable(rx_world: Any, engine_says: Any) -> None:
    engine_says("intercept", "contraindicated")

    body = rx_world.submit().json()

    assert (body["status"], body["verdict"], body["dispensable"], body["final"]) == (
        "intercepted",
        "intercept",
        False,
        True,
    )
    assert ReviewTask.objects.count() == 0


def test_a_double_sign_verdict_waits_for_the_doctor_without_a_pharmacist(rx_world: Any, engine_says: Any) -> None:
    engine_says("double_sign", "not_recommended")

    body = rx_world.submit().json()

    assert (body["status"], body["final"], body["task"]["status"]) == (
        "rejected_double_sign",
        False,
        "rejected_double_sign",
    )
    assert body["task"]["due_at"] is None

    signed = rx_world.his.api.post(
        "/api/v1/rx/his/prescriptions/RX0001/double-sign",
        {"doctor_name": "李医生", "reason": "病情需要，已告知患者"},
        format="json",
    )

    assert signed.status_code == 200, signed.content
    assert (signed.json()["status"], signed.json()["dispensable"], signed.json()["final"]) == (
        "double_signed",
        True,
        True,
    )
    assert signed.json()["task"]["double_sign_doctor"] == "李医生"
    assert signed.json()["task"]["double_sign_reason"] == "病情需要，已告知患者"


def test_a_modified_resubmission_is_a_new_version_and_withdraws_the_open_task(rx_world: Any, engine_says: Any) -> None:
    engine_says("review", "not_recommended")
    rx_world.submit()
    engine_says("pass", "info")

    response = rx_world.submit(payload(dose=50))

    assert response.status_code == 201
    body = response.json()
    assert (body["version"], body["status"], body["verdict"], body["resent"]) == (2, "passed", "pass", False)
    rx = Prescription.objects.get()
    assert (rx.version_count, rx.first_severity, rx.first_verdict, rx.last_severity, rx.last_verdict) == (
        2,
        "not_recommended",
        "review",
        "info",
        "pass",
    )
    assert list(PrescriptionVersion.objects.order_by("number").values_list("number", "status")) == [
        (1, "superseded"),
        (2, "passed"),
    ]
    assert list(CheckRecord.objects.order_by("sequence").values_list("sequence", "verdict")) == [
        (1, "review"),
        (2, "pass"),
    ]
    assert list(ReviewTask.objects.values_list("status", flat=True)) == ["superseded"]
    assert TimelineEntry.objects.filter(workflow="rx_review", transition="supersede").count() == 1
    history = rx_world.his.api.get("/api/v1/rx/his/prescriptions/RX0001").json()["history"]
    assert [(h["version"], h["status"], h["verdict"]) for h in history] == [
        (1, "superseded", "review"),
        (2, "passed", "pass"),
    ]


def test_an_identical_resend_answers_the_stored_result_and_writes_nothing(rx_world: Any, engine_says: Any) -> None:
    engine_says("review", "caution")
    first = rx_world.submit().json()

    again = rx_world.submit()

    assert again.status_code == 200
    assert (again.json()["resent"], again.json()["version"], again.json()["check_id"]) == (True, 1, first["check_id"])
    assert (PrescriptionVersion.objects.count(), CheckRecord.objects.count(), ReviewTask.objects.count()) == (1, 1, 1)


def test_cancellation_withdraws_the_pending_task_and_refuses_later_submissions(rx_world: Any, engine_says: Any) -> None:
    engine_says("review", "caution")
    rx_world.submit()

    response = rx_world.his.api.post(
        "/api/v1/rx/his/prescriptions/RX0001/cancel", {"reason": "患者退号"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["final"], response.json()["dispensable"]) == (
        "cancelled",
        True,
        False,
    )
    rx = Prescription.objects.get()
    assert (rx.status, rx.cancel_reason) == ("cancelled", "患者退号")
    assert ReviewTask.objects.get().status == "cancelled"
    assert PrescriptionVersion.objects.get().status == "cancelled"
    again = rx_world.his.api.post("/api/v1/rx/his/prescriptions/RX0001/cancel", {}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "RX_ALREADY_CANCELLED")
    resubmit = rx_world.submit(payload(dose=50))
    assert (resubmit.status_code, resubmit.json()["code"]) == (409, "RX_CANCELLED")
    assert PrescriptionVersion.objects.count() == 1


def test_another_institutions_his_sees_nothing(rx_world: Any, engine_says: Any) -> None:
    engine_says("review", "caution")
    rx_world.submit()
    other = make_hospital(rx_world.world.other, ["rx.review"], name="河口镇卫生院 HIS")

    poll = other.api.get("/api/v1/rx/his/prescriptions/RX0001")
    cancel = other.api.post("/api/v1/rx/his/prescriptions/RX0001/cancel", {}, format="json")

    assert (poll.status_code, poll.json()["code"]) == (404, "NOT_FOUND")
    assert cancel.status_code == 404
    assert Prescription.objects.get().status == "pending_review"
    # the same HIS id at the other institution is a different prescription
    assert other.api.post("/api/v1/rx/his/prescriptions", payload(), format="json").status_code == 201
    assert Prescription.objects.count() == 2


def test_bad_input_is_a_400_and_writes_nothing(rx_world: Any, engine_says: Any) -> None:
    engine_says("pass", None)

    missing_id = rx_world.submit({"patient": {}})
    bad_items = rx_world.submit(payload(items="阿司匹林"))

    assert (missing_id.status_code, missing_id.json()["code"]) == (400, "RX_PAYLOAD_INVALID")
    assert (bad_items.status_code, bad_items.json()["code"]) == (400, "RX_PAYLOAD_INVALID")
    assert "药品明细" in bad_items.json()["message"]
    assert (Prescription.objects.count(), PrescriptionVersion.objects.count(), CheckRecord.objects.count()) == (0, 0, 0)


def test_a_client_without_the_scope_is_refused(rx_world: Any) -> None:
    reader = make_hospital(rx_world.world.home, ["fhir.read"])

    response = reader.api.post("/api/v1/rx/his/prescriptions", payload(), format="json")

    assert (response.status_code, response.json()["code"]) == (403, "PERMISSION_DENIED")
    assert Prescription.objects.count() == 0


def test_the_real_engine_checks_a_typical_prescription(rx_world: Any) -> None:
    response = rx_world.submit(payload("RX-REAL"))

    assert response.status_code == 201, response.content
    body = response.json()
    check = CheckRecord.objects.get()
    assert body["verdict"] == check.verdict and body["verdict"] in {
        "pass",
        "inform",
        "review",
        "double_sign",
        "intercept",
    }
    assert check.finding_count == len(body["findings"]) and check.elapsed_us == body["elapsed_us"]
