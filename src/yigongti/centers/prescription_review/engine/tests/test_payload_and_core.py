"""HIS JSON → PrescriptionInput, verdict derivation, knowledge-snapshot cache."""

from __future__ import annotations

from typing import Any

import pytest

from yigongti.centers.prescription_review.engine import knowledge_cache
from yigongti.centers.prescription_review.engine.core import derive_verdict, run
from yigongti.centers.prescription_review.engine.payload import input_from_payload
from yigongti.centers.prescription_review.engine.severity import DEFAULT_SETTINGS, EngineSettings, SeverityLevel
from yigongti.centers.prescription_review.engine.tests.minikb import item, make_kb, rx
from yigongti.centers.prescription_review.engine.types import Finding

PAYLOAD: dict[str, Any] = {
    "prescription_id": "MZ20260101001",
    "patient": {
        "birth_date": "1950-03-01", "sex": "女", "weight_kg": "58.5", "pregnant": False, "child_pugh": "b",
        "allergies": ["青霉素过敏", {"code": "sulfonamide", "text": "磺胺类"}], "history": ["K25.7", "胃溃疡"],
        "serum_creatinine": 98,
    },
    "record": {"chief_complaint": "反复胸闷3年", "past_history": "高血压10年"},
    "diagnoses": [{"code": "i10", "name": "原发性高血压"}],
    "prescription": {"kind": "outpatient", "prescriber_id": "D9", "antibiotic_level": "2", "narcotic_privilege": "1",
                     "prescribed_at": "2026-01-01T09:30:00+08:00"},
    "items": [{"drug_code": "AMLO", "name": "苯磺酸氨氯地平片", "dose": 5, "unit": "mg", "frequency": "qd", "route": "口服",
               "days": 28, "skin_test": "阴性"}],
    "labs": [{"code": "K", "name": "血钾", "value": "4.1", "unit": "mmol/L", "time": "2025-12-30T08:00:00+08:00"}],
    "exams": [{"name": "心电图", "result": "窦性心律"}],
}  # fmt: skip


def test_payload_maps_every_section() -> None:
    """The HIS interface fields of guide §3.6.2 (patient, record, diagnoses, prescription, items, labs, exams)."""
    rx_in = input_from_payload(PAYLOAD)
    assert rx_in.prescription_id == "MZ20260101001"
    assert rx_in.patient.age_days == 27700  # 1950-03-01 → 2026-01-01
    assert (rx_in.patient.sex, rx_in.patient.weight_kg, rx_in.patient.child_pugh) == ("F", 58.5, "B")
    assert [(a.code, a.text) for a in rx_in.patient.allergies] == [("", "青霉素过敏"), ("sulfonamide", "磺胺类")]
    assert rx_in.patient.serum_creatinine_umol_l == 98.0
    assert rx_in.record.past_history == "高血压10年"
    assert rx_in.prescription.antibiotic_level == 2 and rx_in.prescription.narcotic_privilege is True
    assert rx_in.items[0].skin_test == "negative" and rx_in.items[0].days == 28
    assert rx_in.labs[0].value == 4.1
    assert rx_in.exams[0].result == "窦性心律"


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"items": []}, "处方至少应包含一条药品明细(items)"),
        ({"items": [{"dose": 1}]}, "第1条药品缺少药品编码(drug_code)"),
        ({"items": [{"drug_code": "A", "dose": "abc"}]}, "第1条药品单次剂量(dose)应为数字"),
        ({"items": [{"drug_code": "A", "dose": -1}]}, "第1条药品单次剂量(dose)不能小于0"),
        ({"prescription": {"kind": "herbal"}}, "处方类别(kind)应为outpatient、emergency、inpatient或discharge"),
        ({"patient": {"birth_date": "2030-01-01"}}, "出生日期(birth_date)不能晚于开方日期"),
        ({"patient": {"child_pugh": "D"}}, "Child-Pugh分级(child_pugh)应为A、B或C"),
        ({"labs": "K=4.1"}, "检验结果(labs)应为数组"),
    ],
)
def test_bad_payloads_raise_chinese_value_errors(patch: dict[str, Any], message: str) -> None:
    """Every bad input is a ValueError with a Chinese message (the HIS interface turns it into a 400)."""
    payload = {**PAYLOAD, **patch}
    if "prescription" in patch:
        payload["prescription"] = {**PAYLOAD["prescription"], **patch["prescription"]}
    with pytest.raises(ValueError) as exc:
        input_from_payload(payload)
    assert str(exc.value) == message


def test_verdict_is_the_strongest_configured_action() -> None:
    """处方审核规范 2018: 严重不合理 → 拒绝调配 (intercept); 慎用/不推荐 → 药师审核; 提示 → 通过."""

    def f(sev: str) -> Finding:
        return Finding("interaction", sev, "x")

    assert derive_verdict([], DEFAULT_SETTINGS) == (None, "pass")
    assert derive_verdict([f("info")], DEFAULT_SETTINGS) == ("info", "pass")
    assert derive_verdict([f("info"), f("caution")], DEFAULT_SETTINGS) == ("caution", "review")
    assert derive_verdict([f("caution"), f("contraindicated")], DEFAULT_SETTINGS) == ("contraindicated", "intercept")
    lenient = EngineSettings(
        version="t",
        scale=(
            SeverityLevel("contraindicated", "禁忌", 40, "pharmacist"),
            SeverityLevel("not_recommended", "不推荐", 30, "double_sign"),
            SeverityLevel("caution", "慎用", 20, "inform"),
            SeverityLevel("info", "提示", 10, "inform"),
        ),
    )
    assert derive_verdict([f("not_recommended"), f("caution")], lenient) == ("not_recommended", "double_sign")
    assert derive_verdict([f("contraindicated")], lenient) == ("contraindicated", "review")


def test_findings_are_sorted_by_severity_and_result_carries_versions() -> None:
    """Findings come most severe first; the result names the KB and config versions."""
    result = run(make_kb(), rx(item("WARF", 3), item("IBU", 300), item("ALLOP", 100), pregnant=True, sex="F"))
    assert [f.severity for f in result.findings] == sorted(
        (f.severity for f in result.findings), key=lambda s: -DEFAULT_SETTINGS.rank[s]
    )
    assert result.findings[0].check_type == "pregnancy"
    assert (result.kb_version, result.config_version) == ("mini-1", "default")
    assert result.as_dict()["severity_names"]["contraindicated"] == "禁忌"


def test_disabled_checks_do_not_run() -> None:
    """RX-05: a check type switched off produces no finding."""
    settings = EngineSettings(version="t", disabled_checks=frozenset({"interaction", "warning"}))
    result = run(make_kb(), rx(item("WARF", 3), item("IBU", 300)), settings)
    assert [f.check_type for f in result.findings] == []
    assert result.verdict == "pass"


def test_knowledge_cache_rebuilds_only_when_the_version_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    """current_knowledge() keeps one snapshot per knowledge version (no DB work on the hot path)."""
    keys = iter(["v1", "v1", "v2"])
    builds: list[str] = []

    def build() -> Any:
        builds.append("built")
        return make_kb(version=f"kb{len(builds)}")

    monkeypatch.setattr(knowledge_cache, "_version_key", lambda: next(keys))
    monkeypatch.setattr(knowledge_cache, "_build", build)
    monkeypatch.setattr(knowledge_cache, "VERSION_CHECK_INTERVAL", 0.0)
    knowledge_cache.invalidate_knowledge()
    try:
        first = knowledge_cache.current_knowledge()
        second = knowledge_cache.current_knowledge()
        third = knowledge_cache.current_knowledge()
    finally:
        knowledge_cache.invalidate_knowledge()
    assert (first.version, second.version, third.version) == ("kb1", "kb1", "kb2")
    assert builds == ["built", "built"]
