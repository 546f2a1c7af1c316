"""Creating drafts (REF-04, REF-19): the patient through the MPI, the package, validation; the
Excel export and the printed 转诊单."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from typing import Any

import pytest
from openpyxl import load_workbook

from yigongti.centers.referral.models import Referral
from yigongti.centers.referral.tests.conftest import URL, client, create_draft, draft_body
from yigongti.core.audit.models import AuditLog
from yigongti.core.workflow.models import TimelineEntry
from yigongti.platform.registry.models import Resident
from yigongti.platform.registry.testing import make_id_number


def test_unknown_patient_is_registered_through_the_mpi(county: Any) -> None:
    id_number = make_id_number(dt.date(1975, 3, 9), sex="2")
    body = draft_body(county, resident=None, patient={"id_number": id_number, "name": "周小红", "local_id": "MZ0001"})
    response = client(county.town_doctor).post(URL, body, format="json")
    assert response.status_code == 201, response.content
    referral = Referral.objects.get(pk=response.json()["id"])
    resident = Resident.objects.get(pk=referral.resident_id)
    assert (resident.name, resident.sex, resident.birth_date) == ("周小红", "2", dt.date(1975, 3, 9))
    assert (referral.patient_name, referral.patient_sex, referral.patient_birth_date) == (
        "周小红", "2", dt.date(1975, 3, 9),
    )  # fmt: skip
    assert id_number not in response.content.decode()
    assert [t.transition for t in TimelineEntry.objects.filter(object_id=str(referral.pk))] == ["create"]
    assert AuditLog.objects.filter(action="referral.referral.create", object_id=str(referral.pk)).count() == 1


def test_name_must_agree_with_the_file_of_the_id_number(county: Any) -> None:
    body = draft_body(county, resident=None, patient={"id_number": county.resident.id_number, "name": "孙小明"})
    response = client(county.town_doctor).post(URL, body, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "REFERRAL_PATIENT_REQUIRED")
    assert Referral.objects.count() == 0


def test_patient_and_target_are_required_and_distinct(county: Any) -> None:
    c = client(county.town_doctor)
    no_patient = c.post(URL, draft_body(county, resident=None), format="json")
    assert no_patient.json()["fields"] == {"resident": ["请选择居民档案，或填写患者身份证号与姓名。"]}
    same = c.post(URL, draft_body(county, to_institution=county.town.pk), format="json")
    assert (same.status_code, same.json()["code"]) == (400, "REFERRAL_SAME_INSTITUTION")
    foreign_department = c.post(URL, draft_body(county, to_department=county.world.home_department.pk), format="json")
    assert foreign_department.json()["fields"] == {"to_department": ["转入科室必须属于转入机构。"]}
    bad_package = c.post(URL, draft_body(county, package={"lab": [{"item": "血常规"}]}), format="json")
    assert bad_package.json()["fields"] == {"package": {"lab": {"0": {"result": ["该字段是必填项。"]}}}}
    bad_code = c.post(URL, draft_body(county, diagnosis_code="心绞痛"), format="json")
    assert bad_code.json()["fields"] == {"diagnosis_code": ["诊断编码应为 ICD-10 编码，如 I20.9。"]}
    assert Referral.objects.count() == 0


def test_submit_needs_a_diagnosis(county: Any) -> None:
    referral = create_draft(county, diagnosis_name="")
    response = client(county.town_doctor).post(f"{URL}/{referral.pk}/submit", {}, format="json")
    assert (response.status_code, response.json()["message"]) == (400, "请先填写：初步诊断")


def test_the_package_never_stores_a_client_supplied_basic_section(county: Any) -> None:
    body = draft_body(county)
    body["package"]["basic"] = {"id_number": county.resident.id_number}
    referral = create_draft(county, package=body["package"])
    assert "id_number" not in referral.package["basic"]
    assert county.resident.id_number not in str(referral.package)


def test_excel_export_of_the_list(county: Any) -> None:
    create_draft(county)
    response = client(county.town_doctor).get(URL, {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    assert "转诊单号" in header and "患者姓名" in header
    assert sheet.max_row == 2
    assert AuditLog.objects.filter(action="referral.referral.export").count() == 1


@pytest.mark.slow
def test_print_the_referral_slip(county: Any) -> None:
    referral = create_draft(county)
    response = client(county.town_doctor).get(f"{URL}/{referral.pk}/print")
    if response.status_code == 503:
        pytest.skip("WeasyPrint system libraries are not installed")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout
    content = text.decode()
    assert referral.number in content and "孙大明" in content and "心绞痛" in content
    assert county.resident.id_number not in content
    assert AuditLog.objects.filter(action="referral.referral.export", object_id=str(referral.pk)).count() == 1
