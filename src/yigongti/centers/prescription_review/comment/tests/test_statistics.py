"""统计报表 (RX-13, guide §3.6.4.5): exact numbers on a small hand-computed fixture."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from yigongti.centers.prescription_review.comment import statistics
from yigongti.centers.prescription_review.comment.models import CommentSample, ReasonTemplate, VisitPrescription
from yigongti.centers.prescription_review.comment.services.judgments import sample_judge
from yigongti.centers.prescription_review.comment.tests.helpers import at, item, make_task, upload, visit_payload
from yigongti.platform.testing import make_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/rx/comment/statistics"


def _rx(rx_id: str, *items: dict[str, Any]) -> dict[str, Any]:
    return {"prescription_id": rx_id, "prescribed_at": at("2026-03-10"), "items": list(items)}


AMOX = {
    "code": "D1",
    "name": "阿莫西林胶囊",
    "generic_name": "阿莫西林",
    "antibiotic": True,
    "essential": True,
    "amount": "10",
}
CEFIX = {"code": "D2", "name": "头孢克肟分散片", "antibiotic": True, "amount": "20"}
OMEP = {
    "code": "D3",
    "name": "奥美拉唑肠溶胶囊",
    "generic_name": "奥美拉唑",
    "ppi": True,
    "essential": True,
    "amount": "15",
}
GLUC = {"code": "D4", "name": "葡萄糖注射液", "route": "ivgtt", "amount": "5"}


def _i(spec: dict[str, Any]) -> dict[str, Any]:
    spec = dict(spec)
    return item(spec.pop("code"), spec.pop("name"), **spec)


def _fixture(api_world: Any) -> tuple[Any, Any]:
    upload(api_world.home, visit_payload("V1", patient_id="P1", doctor_code="S1", prescriptions=[
        _rx("RX1", _i(AMOX), _i(CEFIX))]))  # fmt: skip
    upload(api_world.home, visit_payload("V2", patient_id="P1", doctor_code="S1", prescriptions=[
        _rx("RX2", _i(OMEP), _i(GLUC))]))  # fmt: skip
    upload(api_world.home, visit_payload("V3", patient_id="P2", doctor_code="S2", prescriptions=[
        _rx("RX3", _i(OMEP)), _rx("RX4", _i(AMOX))]))  # fmt: skip
    pharmacist = make_user(api_world.home, [])
    task = make_task(api_world.home, [pharmacist])
    task.status = "started"
    task.save(update_fields=["status"])
    precheck = {
        "RX1": {"precheck_risk": "high", "has_interaction": True, "finding_count": 2},
        "RX2": {"precheck_risk": "medium", "has_duplicate": True, "finding_count": 1},
        "RX3": {"precheck_risk": "info", "finding_count": 1},
        "RX4": {"precheck_risk": "none", "finding_count": 0},
    }
    samples = {}
    for seq, (rx_no, fields) in enumerate(precheck.items(), start=1):
        rx = VisitPrescription.objects.get(rx_no=rx_no)
        samples[rx_no] = CommentSample.objects.create(
            task=task, prescription=rx, seq=seq, assignee=pharmacist, **fields
        )
    reason = {t.code: t.pk for t in ReasonTemplate.objects.filter(is_builtin=True)}
    sample_judge(sample=samples["RX1"], result="unreasonable", remark="", actor=pharmacist,
                 reasons=[{"template": reason["1-14"]}, {"template": reason["2-6"]}, {"template": reason["2-8"]}])  # fmt: skip
    sample_judge(sample=samples["RX2"], result="unreasonable", remark="", actor=pharmacist,
                 reasons=[{"template": reason["3-4"]}])  # fmt: skip
    sample_judge(sample=samples["RX3"], result="reasonable", remark="", actor=pharmacist, reasons=[])
    return task, pharmacist


EXPECTED_TOTAL = {
    "commented": 3, "total": 4, "amount": Decimal("75.00"), "avg_amount": Decimal("18.75"), "rx_visits": 3,
    "patients": 2, "avg_drugs": Decimal("1.50"), "antibiotic_rx": 2, "antibiotic_rx_ratio": Decimal("0.5000"),
    "antibiotic_visits": 2, "antibiotic_visit_ratio": Decimal("0.6667"), "antibiotic_kinds": 2,
    "antibiotic_combo_rx": 1, "antibiotic_combo_ratio": Decimal("0.5000"), "essential_kinds": 2, "drug_kinds": 4,
    "essential_ratio": Decimal("0.5000"), "essential_visits": 3, "essential_visit_ratio": Decimal("1.0000"),
    "injection_rx": 1, "injection_ratio": Decimal("0.2500"), "generic_ratio": Decimal("0.6667"), "problem_codes": 4,
    "pass_ratio": Decimal("0.3333"), "unreasonable": 2, "irregular_rx": 1, "irregular_ratio": Decimal("0.3333"),
    "inappropriate_events": 2, "inappropriate_rx": 1, "inappropriate_ratio": Decimal("0.3333"), "excessive_rx": 1,
    "excessive_ratio": Decimal("0.3333"), "high_risk": 1, "high_risk_ratio": Decimal("0.2500"), "medium_risk": 1,
    "medium_risk_ratio": Decimal("0.2500"), "low_risk": 0, "low_risk_ratio": Decimal("0.0000"), "info_risk": 1,
    "info_risk_ratio": Decimal("0.2500"), "interaction_rx": 1, "interaction_ratio": Decimal("0.2500"),
    "duplicate_rx": 1, "duplicate_ratio": Decimal("0.2500"), "ppi_rx": 2, "ppi_kinds": 1,
    "ppi_per_patient": Decimal("1.0000"), "ppi_ratio": Decimal("0.5000"),
}  # fmt: skip


def test_every_indicator_of_the_total_row_on_the_hand_computed_fixture(api_world: Any) -> None:
    task, _ = _fixture(api_world)

    rows = statistics.report(CommentSample.objects.filter(task=task), "total")

    assert rows == [EXPECTED_TOTAL]
    assert set(EXPECTED_TOTAL) == {i.key for i in statistics.INDICATORS}


def test_doctor_breakdown_splits_the_counts(api_world: Any) -> None:
    task, _ = _fixture(api_world)

    rows = statistics.report(CommentSample.objects.filter(task=task), "doctor")

    picked = [(r["doctor_code"], r["total"], r["commented"], r["amount"], r["drug_kinds"], r["antibiotic_kinds"],
               r["rx_visits"], r["pass_ratio"]) for r in rows]  # fmt: skip
    assert picked == [
        ("S1", 2, 2, Decimal("50.00"), 4, 2, 2, Decimal("0.0000")),
        ("S2", 2, 1, Decimal("25.00"), 2, 1, 1, Decimal("1.0000")),
    ]


def test_api_report_is_scoped_and_exports_excel(api_world: Any) -> None:
    task, _ = _fixture(api_world)
    client = api_world.client_for(["rx.comment.statistics.view", "rx.comment.statistics.export"])
    outsider = api_world.client_for(["rx.comment.statistics.view"])

    body = client.get(URL, {"breakdown": "institution", "task": task.pk}).json()
    exported = client.get(URL, {"breakdown": "month", "task": task.pk, "format": "xlsx"})

    assert [(r["institution_name"], r["total"], r["unreasonable"]) for r in body["rows"]] == [("城关镇卫生院", 4, 2)]
    assert body["indicators"][0] == {
        "key": "commented",
        "name": "点评处方数",
        "definition": statistics.INDICATORS[0].definition,
    }
    sheet = load_workbook(io.BytesIO(exported.content)).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["月份", "点评处方数", "处方总数"]
    assert [c.value for c in sheet[2]][:3] == ["2026-03", 3, 4]
    assert outsider.get(URL, {"format": "xlsx"}).status_code == 403
    assert client.get(URL, {"breakdown": "nonsense"}).status_code == 400


def test_report_of_another_institution_is_empty(api_world: Any) -> None:
    task, _ = _fixture(api_world)
    from rest_framework.test import APIClient

    from yigongti.platform.testing import make_user as mk

    other_user = mk(api_world.other, ["rx.comment.statistics.view"])
    client = APIClient()
    client.force_login(other_user)
    assert client.get(URL, {"breakdown": "total", "task": task.pk}).json()["rows"] == []


def test_each_breakdown_is_two_grouped_queries_whatever_the_number_of_rows(
    api_world: Any, django_assert_num_queries: Any
) -> None:
    task, _ = _fixture(api_world)
    samples = CommentSample.objects.filter(task=task)
    for breakdown in ("institution", "department", "doctor", "month"):
        with django_assert_num_queries(2):
            rows = statistics.report(samples, breakdown)
        assert sum(r["total"] for r in rows) == 4
