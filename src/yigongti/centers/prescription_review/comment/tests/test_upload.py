"""数据上报 (RX-09): upsert by (institution, visit id), identifiers never in plaintext, batches."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from openpyxl import Workbook

from yigongti.centers.prescription_review.comment.models import (
    CommentSample,
    LabResult,
    PrescriptionItem,
    Visit,
    VisitPrescription,
)
from yigongti.centers.prescription_review.comment.payload import FLAT_COLUMNS
from yigongti.centers.prescription_review.comment.tests.helpers import at, item, make_task, upload, visit_payload
from yigongti.core.audit.models import AuditLog
from yigongti.core.fields import blind_index_for
from yigongti.platform.integration.tests.helpers import make_hospital
from yigongti.platform.testing import make_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/rx/comment/visits"


def test_his_client_uploads_a_visit_then_the_same_visit_id_updates_it(api_world: Any) -> None:
    his = make_hospital(api_world.home, ["rx.comment.upload"])
    first = visit_payload("MZ0001", prescriptions=[
        {"prescription_id": "RX1", "prescribed_at": at("2026-03-10"), "items": [item("D1", "阿莫西林胶囊", amount="12.50")]},
        {"prescription_id": "RX2", "prescribed_at": at("2026-03-10"),
         "items": [item("D2", "奥美拉唑肠溶胶囊", ppi=True), item("D3", "头孢呋辛酯片", antibiotic=True, essential=True)]},
    ])  # fmt: skip

    created = his.api.post(f"{URL}/upload", first, format="json")
    assert created.status_code == 201, created.json()
    assert created.json() == {"id": created.json()["id"], "visit_id": "MZ0001", "created": True, "prescriptions": 2}

    second = visit_payload("MZ0001", prescriptions=[
        {"prescription_id": "RX2", "prescribed_at": at("2026-03-10"), "items": [item("D2", "奥美拉唑肠溶胶囊", ppi=True)]},
    ], diagnoses=[{"code": "K21.0", "name": "胃食管反流病伴食管炎"}, {"code": "I10", "name": "高血压"}])  # fmt: skip
    updated = his.api.post(f"{URL}/upload", second, format="json")

    assert updated.status_code == 200
    assert updated.json()["created"] is False
    visit = Visit.objects.get()
    assert (visit.institution_id, visit.visit_no, visit.upload_count) == (api_world.home.pk, "MZ0001", 2)
    assert list(visit.diagnoses.values_list("code", flat=True)) == ["K21.0", "I10"]
    assert list(VisitPrescription.objects.values_list("rx_no", "drug_count", "ppi_count", "antibiotic_count")) == [
        ("RX2", 1, 1, 0)
    ]
    assert PrescriptionItem.objects.count() == 1
    assert LabResult.objects.count() == 1  # replaced, not accumulated
    assert AuditLog.objects.filter(object_type="rx_comment.visit").count() == 2


def test_patient_identifiers_are_encrypted_at_rest_and_masked_in_the_api(api_world: Any) -> None:
    upload(api_world.home, visit_payload("MZ0002"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone, patient_no FROM rx_comment_visit")
        stored = cursor.fetchone()
    assert all(v.startswith("sm4gcm1:") for v in stored)
    visit = Visit.objects.get()
    assert visit.id_number == "320923195803120032"
    assert visit.id_number_index == blind_index_for(Visit, "id_number_index", "320923195803120032")
    client = api_world.client_for(["rx.comment.visit.view"])

    detail = client.get(f"{URL}/{visit.pk}").json()

    assert detail["id_number"] == "320923********0032"
    assert detail["phone"] == "138****0001"
    assert "320923195803120032" not in json.dumps(detail)
    assert AuditLog.objects.filter(object_type="rx_comment.visit", category="read").count() == 1


def test_invalid_payload_is_refused_with_field_errors_and_nothing_is_written(api_world: Any) -> None:
    client = api_world.client_for(["rx.comment.visit.upload"])
    bad = visit_payload("MZ0003")
    bad["patient"]["id_number"] = "320923195803120033"  # wrong check digit
    bad["prescriptions"][0]["items"] = []

    response = client.post(f"{URL}/upload", bad, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "RX_COMMENT_VISIT_INVALID"
    assert "patient" in body["fields"] and "prescriptions" in body["fields"]
    assert Visit.objects.count() == 0


def test_same_visit_id_in_two_institutions_are_two_visits_and_scope_hides_the_other(api_world: Any) -> None:
    upload(api_world.home, visit_payload("MZ0004"))
    other = upload(api_world.other, visit_payload("MZ0004"))
    client = api_world.client_for(["rx.comment.visit.view"])

    listed = client.get(URL).json()

    assert Visit.objects.count() == 2
    assert [r["institution"] for r in listed["results"]] == [api_world.home.pk]
    assert client.get(f"{URL}/{other.pk}").status_code == 404


def test_upload_without_the_permission_is_refused(api_world: Any) -> None:
    client = api_world.client_for(["rx.comment.visit.view"])
    assert client.post(f"{URL}/upload", visit_payload(), format="json").status_code == 403
    assert Visit.objects.count() == 0


def test_reupload_cannot_drop_a_sampled_prescription(api_world: Any) -> None:
    pharmacist = make_user(api_world.home, ["rx.comment.sample.judge"])
    upload(api_world.home, visit_payload("MZ0005"))
    task = make_task(api_world.home, [pharmacist])
    CommentSample.objects.create(task=task, prescription=VisitPrescription.objects.get(), seq=1)
    client = api_world.client_for(["rx.comment.visit.upload"])
    changed = visit_payload("MZ0005", prescriptions=[
        {"prescription_id": "OTHER", "prescribed_at": at("2026-03-10"), "items": [item("D9", "二甲双胍片")]}
    ])  # fmt: skip

    response = client.post(f"{URL}/upload", changed, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "RX_COMMENT_SAMPLED_RX_REMOVED"
    assert list(VisitPrescription.objects.values_list("rx_no", flat=True)) == ["MZ0005-1"]


def test_json_lines_batch_is_all_or_nothing(api_world: Any) -> None:
    client = api_world.client_for(["rx.comment.visit.import"])
    good = [visit_payload(f"B{n}") for n in range(3)]
    lines = "\n".join(json.dumps(p, ensure_ascii=False) for p in good).encode()

    ok = client.post(f"{URL}/upload-batch", {"file": SimpleUploadedFile("visits.jsonl", lines)}, format="multipart")
    assert ok.status_code == 201
    assert ok.json() == {"created": 3, "updated": 0}

    broken = [*good[:2], {"visit_id": "B9"}]
    lines = "\n".join(json.dumps(p, ensure_ascii=False) for p in broken).encode()
    refused = client.post(f"{URL}/upload-batch", {"file": SimpleUploadedFile("v.jsonl", lines)}, format="multipart")

    assert refused.status_code == 400
    assert list(refused.json()["fields"]) == ["第3行"]
    assert Visit.objects.count() == 3
    assert Visit.objects.get(visit_no="B0").upload_count == 1


def test_excel_batch_groups_item_rows_into_visits_and_prescriptions(api_world: Any) -> None:
    client = api_world.client_for(["rx.comment.visit.import"])
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([label for _, label in FLAT_COLUMNS])
    base = {"visit_id": "X1", "visit_type": "outpatient", "visit_time": "2026-03-02 09:00:00", "patient_id": "P1",
            "patient_name": "张三", "sex": "2", "diagnoses": "J06.900:急性上呼吸道感染、I10:高血压",
            "prescription_id": "R1", "prescribed_at": "2026-03-02 09:05:00"}  # fmt: skip
    rows = [
        base | {"drug_code": "D1", "drug_name": "阿莫西林胶囊", "amount": 12, "antibiotic": "是"},
        base | {"drug_code": "D2", "drug_name": "氨溴索片", "amount": 8},
        base | {"visit_id": "X2", "prescription_id": "R9", "drug_code": "D3", "drug_name": "二甲双胍片", "amount": 5},
    ]
    for row in rows:
        ws.append([row.get(key) for key, _ in FLAT_COLUMNS])
    buffer = io.BytesIO()
    wb.save(buffer)

    response = client.post(
        f"{URL}/upload-batch", {"file": SimpleUploadedFile("v.xlsx", buffer.getvalue())}, format="multipart"
    )

    assert response.status_code == 201, response.json()
    assert response.json() == {"created": 2, "updated": 0}
    rx = VisitPrescription.objects.get(rx_no="R1")
    assert (rx.drug_count, rx.antibiotic_count, str(rx.amount)) == (2, 1, "20.00")
    assert list(rx.visit.diagnoses.values_list("code", "name")) == [("J06.900", "急性上呼吸道感染"), ("I10", "高血压")]
