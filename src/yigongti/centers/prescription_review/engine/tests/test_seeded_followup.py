"""Reconciliation of the engine with engineer K's seeded knowledge base (follow-up items)."""

from __future__ import annotations

from typing import Any

from yigongti.centers.prescription_review.engine.core import run
from yigongti.centers.prescription_review.engine.kb import KnowledgeBase
from yigongti.centers.prescription_review.engine.payload import input_from_payload
from yigongti.centers.prescription_review.engine.types import CheckResult


def review(kb: KnowledgeBase, items: list[dict[str, Any]], **extra: Any) -> CheckResult:
    payload: dict[str, Any] = {
        "prescription_id": "F-1",
        "patient": extra.pop("patient", {"sex": "M", "age_years": 70}),
        "diagnoses": extra.pop("diagnoses", [{"code": "I48.9", "name": "心房颤动"}]),
        "prescription": {"kind": "outpatient", "prescriber_id": "D001", "antibiotic_level": 1},
        "items": items,
        "labs": extra.pop("labs", []),
    }
    return run(kb, input_from_payload(payload))


def po(code: str, dose: float, unit: str = "mg", frequency: str = "qd", days: int = 5) -> dict[str, Any]:
    return {"drug_code": code, "dose": dose, "unit": unit, "frequency": frequency, "route": "po", "days": days}


def test_warfarin_with_ibuprofen_reports_only_the_drug_pair(seeded_kb: KnowledgeBase) -> None:
    """Seed: drug pair ibuprofen_sr300+warfarin_t25 and class pair ANTICOAG+NSAID (药品说明书【药物相互作用】;
    Stockley's) describe the same bleeding risk — one finding, the drug–drug one."""
    result = review(seeded_kb, [po("warfarin_t25", 3), po("ibuprofen_sr300", 300, "mg", "bid")])
    found = [f for f in result.findings if f.check_type == "interaction"]
    assert [(f.severity, f.drug_codes) for f in found] == [("not_recommended", ("warfarin_t25", "ibuprofen_sr300"))]
    assert found[0].patient_data == {"pair": ["ibuprofen_sr300", "warfarin_t25"]}
    assert "布洛芬增加华法林出血风险" in found[0].message


def test_class_pair_still_reported_when_no_drug_pair_exists(seeded_kb: KnowledgeBase) -> None:
    """Seed has no drug pair for warfarin + ibuprofen suspension: the class rule ANTICOAG+NSAID applies."""
    result = review(seeded_kb, [po("warfarin_t25", 3), po("ibuprofen_susp", 10, "ml", "tid")])
    found = [f for f in result.findings if f.check_type == "interaction"]
    assert [(f.severity, f.drug_codes, f.patient_data["pair"]) for f in found] == [
        ("not_recommended", ("warfarin_t25", "ibuprofen_susp"), ["ANTICOAG", "NSAID"])
    ]


def iv(code: str, dose: float, unit: str, group: str = "1") -> dict[str, Any]:
    return {
        "drug_code": code,
        "dose": dose,
        "unit": unit,
        "frequency": "qd",
        "route": "ivgtt",
        "days": 1,
        "group": group,
    }


def of_type(result: CheckResult, check_type: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(f.severity, f.drug_codes) for f in result.findings if f.check_type == check_type]


HYPOKALAEMIA = [{"code": "E87.6", "name": "低钾血症"}]


def test_kcl_at_the_labels_three_per_mille_is_not_flagged(seeded_kb: KnowledgeBase) -> None:
    """氯化钾注射液说明书: 浓度不超过 0.3% — 1.5 g in 500 ml is 0.3% (40.24 mmol/L), allowed."""
    result = review(seeded_kb, [iv("kcl_i15", 1.5, "g"), iv("ns_500", 500, "ml")], diagnoses=HYPOKALAEMIA)
    assert of_type(result, "ion_concentration") == []


def test_kcl_above_three_per_mille_is_flagged(seeded_kb: KnowledgeBase) -> None:
    """1.6 g in 500 ml = 0.32% = 42.9 mmol/L > 0.3% (40.242 mmol/L)."""
    result = review(seeded_kb, [iv("kcl_i15", 1.6, "g"), iv("ns_500", 500, "ml")], diagnoses=HYPOKALAEMIA)
    found = [f for f in result.findings if f.check_type == "ion_concentration"]
    assert [(f.severity, f.drug_codes) for f in found] == [("not_recommended", ("kcl_i15",))]
    assert found[0].patient_data["mmol_per_l"] == 42.9
    assert "0.3%" in found[0].message


def test_paracetamol_for_knee_osteoarthritis_is_indicated(seeded_kb: KnowledgeBase) -> None:
    """对乙酰氨基酚片说明书【适应症】: 关节痛 — 膝骨关节炎 M17.0 needs no 适应症 finding."""
    result = review(seeded_kb, [po("apap_t500", 500, "mg", "tid")], diagnoses=[{"code": "M17.0", "name": "膝关节病"}])
    assert of_type(result, "indication") == []


def test_paracetamol_for_hypertension_alone_is_not_indicated(seeded_kb: KnowledgeBase) -> None:
    result = review(seeded_kb, [po("apap_t500", 500, "mg", "tid")], diagnoses=[{"code": "I10", "name": "高血压"}])
    assert of_type(result, "indication") == [("not_recommended", ("apap_t500",))]


def test_iv_ppi_in_the_emergency_room_for_gi_bleeding_is_justified(seeded_kb: KnowledgeBase) -> None:
    """《质子泵抑制剂临床应用指导原则（2020年版）》: 上消化道出血 → 静脉 PPI."""
    items = [iv("pantoprazole_i40", 40, "mg"), iv("ns_100", 100, "ml")]
    result = review(seeded_kb, items, diagnoses=[{"code": "K92.2", "name": "消化道出血"}])
    assert [m for m in (f.message for f in result.findings if f.check_type == "ppi") if "注射剂" in m] == []


def test_iv_ppi_for_reflux_in_the_clinic_prefers_oral(seeded_kb: KnowledgeBase) -> None:
    """Same guideline: 胃食管反流病 (K21) 能口服者首选口服 PPI."""
    items = [iv("pantoprazole_i40", 40, "mg"), iv("ns_100", 100, "ml")]
    result = review(seeded_kb, items, diagnoses=[{"code": "K21.9", "name": "胃食管反流病"}])
    found = [f for f in result.findings if f.check_type == "ppi"]
    assert [(f.severity, f.drug_codes) for f in found] == [("caution", ("pantoprazole_i40",))]
    assert "首选口服" in found[0].message


def test_tcm_injection_mixed_with_another_drug_is_incompatible(seeded_kb: KnowledgeBase) -> None:
    """《中药注射剂临床使用基本原则》: 中药注射剂应单独使用 — 丹参注射液 with 头孢曲松 in one group."""
    items = [iv("danshen_i10", 20, "ml"), iv("ceftriaxone_i1", 2, "g"), iv("ns_250", 250, "ml")]
    result = review(seeded_kb, items, diagnoses=[{"code": "I63.9", "name": "脑梗死"}])
    assert of_type(result, "incompatibility") == [("contraindicated", ("danshen_i10", "ceftriaxone_i1"))]


def test_tcm_injection_alone_in_its_solvent_is_compatible(seeded_kb: KnowledgeBase) -> None:
    items = [iv("danshen_i10", 20, "ml"), iv("ns_250", 250, "ml"), iv("ceftriaxone_i1", 2, "g", group="2")]
    result = review(seeded_kb, items, diagnoses=[{"code": "I63.9", "name": "脑梗死"}])
    assert of_type(result, "incompatibility") == []


def test_sex_restriction_keeps_the_seeded_severity_and_message(seeded_kb: KnowledgeBase) -> None:
    """西地那非片说明书【适应症】: 限男性 — severity not_recommended as the seed states, not the default."""
    result = review(
        seeded_kb,
        [po("sildenafil_t100", 50, "mg", "prn", 1)],
        patient={"sex": "F", "age_years": 40},
        diagnoses=[{"code": "I27.0", "name": "原发性肺动脉高压"}],
    )
    found = [f for f in result.findings if f.check_type == "sex"]
    assert [(f.severity, f.source) for f in found] == [("not_recommended", "药品说明书【适应症】")]
    assert found[0].message.endswith("西地那非（勃起功能障碍适应症）限男性使用。")


def test_sex_restriction_does_not_apply_to_the_allowed_sex(seeded_kb: KnowledgeBase) -> None:
    result = review(
        seeded_kb,
        [po("sildenafil_t100", 50, "mg", "prn", 1)],
        patient={"sex": "M", "age_years": 40},
        diagnoses=[{"code": "N48.4", "name": "器质性阳痿"}],
    )
    assert of_type(result, "sex") == []


def test_metoprolol_in_asthma_is_a_caution(seeded_kb: KnowledgeBase) -> None:
    """酒石酸美托洛尔片说明书【注意事项】: 支气管哮喘患者慎用."""
    diagnoses = [{"code": "I10", "name": "高血压"}, {"code": "J45.9", "name": "哮喘"}]
    result = review(seeded_kb, [po("metoprolol_t25", 25, "mg", "bid")], diagnoses=diagnoses)
    assert ("caution", ("metoprolol_t25",)) in of_type(result, "contraindication")
    without = review(seeded_kb, [po("metoprolol_t25", 25, "mg", "bid")], diagnoses=diagnoses[:1])
    assert of_type(without, "contraindication") == []


def test_frequency_coded_as_as_directed_is_vague_usage(seeded_kb: KnowledgeBase) -> None:
    """Seed Frequency ysz (遵医嘱, vague) — 《医疗机构处方审核规范》(2018) 规范性: 不得使用"遵医嘱"."""
    result = review(seeded_kb, [po("metoprolol_t25", 25, "mg", "ysz")], diagnoses=[{"code": "I10", "name": "高血压"}])
    found = [f for f in result.findings if f.check_type == "norm_vague_usage"]
    assert [(f.severity, f.message) for f in found] == [("caution", "酒石酸美托洛尔片用法用量使用“ysz”等含糊字句")]
    clear = review(seeded_kb, [po("metoprolol_t25", 25, "mg", "bid")], diagnoses=[{"code": "I10", "name": "高血压"}])
    assert of_type(clear, "norm_vague_usage") == []
