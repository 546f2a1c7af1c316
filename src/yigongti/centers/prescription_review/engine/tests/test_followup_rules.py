"""Follow-up rules on the hand-built knowledge base: 疗程总量, 肾功能指标 (eGFR/CrCl), 性别限制的严重程度,
含糊频次, 中药注射剂单独使用, 液体制剂的单位换算."""

from __future__ import annotations

import dataclasses

import pytest

from yigongti.centers.prescription_review.engine.context import cockcroft_gault
from yigongti.centers.prescription_review.engine.kb import DoseLimit, DrugInfo, KnowledgeBase, RenalRule
from yigongti.centers.prescription_review.engine.tests.helpers import brief, of_type, review
from yigongti.centers.prescription_review.engine.tests.minikb import DRUGS, d, item, make_kb, rx

# OTC 布洛芬片说明书: 24 小时不超过 1200 mg，用于止痛不得超过 5 天 → 疗程总量 6000 mg.
OTC_IBU = DoseLimit("IBU", max_daily=1200, max_course_total=6000, source="布洛芬片(OTC)说明书【用法用量】")


def test_course_total_above_the_label_cap_is_flagged() -> None:
    kb = make_kb(dose_limits=[OTC_IBU])
    findings = of_type(rx(item("IBU", 300, frequency="tid", days=7)), "course", kb)
    assert brief(findings) == [("not_recommended", ("IBU",))]
    assert findings[0].patient_data == {"days": 7, "course_total": 6300.0, "max_course_total": 6000.0}
    assert findings[0].source == "布洛芬片(OTC)说明书【用法用量】"
    assert findings[0].message == "布洛芬片疗程总量6300mg（7天），超过疗程总量上限6000mg"


def test_course_total_within_the_cap_is_not_flagged() -> None:
    kb = make_kb(dose_limits=[OTC_IBU])
    assert of_type(rx(item("IBU", 300, frequency="tid", days=5)), "course", kb) == []
    # without the cap (the default mini KB) 7 days are not a course-total problem either
    assert of_type(rx(item("IBU", 300, frequency="tid", days=7)), "course") == []


def test_cockcroft_gault() -> None:
    """Cockcroft DW, Gault MH. Nephron 1976;16:31-41 — 40 y, 70 kg, Scr 1.0 mg/dl (88.4 μmol/L)."""
    assert cockcroft_gault(88.4, 40, 70, "M") == pytest.approx(100 * 70 / 72)
    assert cockcroft_gault(88.4, 40, 70, "F") == pytest.approx(100 * 70 / 72 * 0.85)


# 阿莫西林胶囊说明书【用法用量】: 肾功能不全 CrCl < 30 ml/min 时减量 — threshold stated in CrCl.
AMOX_CRCL = RenalRule("AMOX", 30, "caution", "CrCl<30 ml/min 应减量", source="阿莫西林胶囊说明书【用法用量】")
OLD_WOMAN = {"age_years": 80, "sex": "F", "serum_creatinine_umol_l": 100.0}  # eGFR 49.1, CrCl 28.2 at 45 kg


def test_crcl_rule_uses_cockcroft_gault_when_weight_is_known() -> None:
    kb = make_kb(renal_rules=[dataclasses.replace(AMOX_CRCL, measure="crcl")])
    findings = of_type(rx(item("AMOX", 500, frequency="tid"), weight_kg=45.0, **OLD_WOMAN), "renal", kb)
    assert brief(findings) == [("caution", ("AMOX",))]
    assert findings[0].patient_data == {
        "renal_function": 28.2,
        "measure": "CrCl(Cockcroft-Gault)",
        "rule_measure": "crcl",
    }


def test_egfr_rule_with_the_same_patient_is_not_flagged() -> None:
    """CKD-EPI 2021 gives 49.1 ml/min/1.73m² for the same woman — above 30."""
    kb = make_kb(renal_rules=[dataclasses.replace(AMOX_CRCL, measure="egfr")])
    findings = of_type(rx(item("AMOX", 500, frequency="tid"), weight_kg=45.0, **OLD_WOMAN), "renal", kb)
    assert findings == []


def test_crcl_rule_without_weight_falls_back_to_egfr() -> None:
    kb = make_kb(renal_rules=[dataclasses.replace(AMOX_CRCL, measure="crcl", below=50)])
    findings = of_type(rx(item("AMOX", 500, frequency="tid"), **OLD_WOMAN), "renal", kb)
    assert [f.patient_data["measure"] for f in findings] == ["eGFR(CKD-EPI)"]
    assert [f.patient_data["renal_function"] for f in findings] == [49.1]


def test_stated_crcl_wins_over_a_computed_one() -> None:
    kb = make_kb(renal_rules=[dataclasses.replace(AMOX_CRCL, measure="crcl")])
    findings = of_type(rx(item("AMOX", 500, frequency="tid"), weight_kg=45.0, crcl=35.0, **OLD_WOMAN), "renal", kb)
    assert findings == []


def _with_drug(drug: DrugInfo, **overrides: object) -> KnowledgeBase:
    return make_kb(drugs={**{x.code: x for x in DRUGS}, drug.code: drug}, **overrides)


FIN_NR = d(
    "FIN",
    "非那雄胺片",
    "5ARI",
    sex="M",
    sex_severity="not_recommended",
    sex_message="女性不宜使用。",
    sex_source="非那雄胺片说明书【禁忌】",
)


def test_sex_rule_keeps_its_own_severity_message_and_source() -> None:
    findings = of_type(rx(item("FIN", 5), sex="F"), "sex", _with_drug(FIN_NR))
    assert [(f.severity, f.message, f.source) for f in findings] == [
        ("not_recommended", "非那雄胺片仅用于男性患者，与患者性别不符：女性不宜使用。", "非那雄胺片说明书【禁忌】")
    ]
    assert of_type(rx(item("FIN", 5), sex="M"), "sex", _with_drug(FIN_NR)) == []


def test_sex_rule_without_its_own_severity_stays_contraindicated() -> None:
    assert brief(of_type(rx(item("FIN", 5), sex="F"), "sex")) == [("contraindicated", ("FIN",))]


def test_frequency_marked_vague_by_the_knowledge_base() -> None:
    """《医疗机构处方审核规范》(2018) 规范性: 不得使用"遵医嘱" — HIS code "YSZ" flagged as KB says so."""
    kb = make_kb(vague_frequencies={"ysz"})
    assert [f.message for f in of_type(rx(item("MET", 500, frequency="YSZ")), "norm_vague_usage", kb)] == [
        "盐酸二甲双胍片用法用量使用“YSZ”等含糊字句"
    ]
    assert of_type(rx(item("MET", 500, frequency="bid")), "norm_vague_usage", kb) == []
    assert of_type(rx(item("MET", 500, frequency="YSZ")), "norm_vague_usage") == []


DANSHEN = d(
    "DANS",
    "丹参注射液",
    "TCM_INJECTION",
    dose_unit="ml",
    is_injection=True,
    infuse_alone=True,
    infuse_alone_source="《中药注射剂临床使用基本原则》第四条",
)


def test_infuse_alone_drug_sharing_a_group_is_incompatible() -> None:
    kb = _with_drug(DANSHEN)
    prescription = rx(
        item("DANS", 20, unit="ml", route="ivgtt", group="1"),
        item("CEFTR", 2, unit="g", route="ivgtt", group="1"),
        item("NS", 250, unit="ml", route="ivgtt", group="1"),
    )
    findings = of_type(prescription, "incompatibility", kb)
    assert [(f.severity, f.drug_codes, f.source) for f in findings] == [
        ("contraindicated", ("DANS", "CEFTR"), "《中药注射剂临床使用基本原则》第四条")
    ]


def test_infuse_alone_drug_with_its_solvent_only_is_fine() -> None:
    kb = _with_drug(DANSHEN)
    prescription = rx(
        item("DANS", 20, unit="ml", route="ivgtt", group="1"),
        item("NS", 250, unit="ml", route="ivgtt", group="1"),
        item("CEFTR", 2, unit="g", route="ivgtt", group="2"),
        item("NS", 100, unit="ml", route="ivgtt", group="2"),
    )
    assert of_type(prescription, "incompatibility", kb) == []


def test_liquid_factor_takes_precedence_over_the_unit_family() -> None:
    """布洛芬混悬液 20 mg/ml (K emits {"ml": 20.0}): 10 ml = 200 mg, not "ml cannot convert to mg"."""
    susp = d("IBUS", "布洛芬混悬液", "NSAID", unit_factors={"ml": 20.0})
    kb = _with_drug(susp, dose_limits=[DoseLimit("IBUS", max_single=400, source="布洛芬混悬液说明书【用法用量】")])
    over = of_type(rx(item("IBUS", 25, unit="ml")), "dose_over", kb)
    assert [f.drug_codes for f in over] == [("IBUS",)]
    assert "500mg" in over[0].message
    assert [f for f in review(rx(item("IBUS", 10, unit="ml")), kb).findings if f.check_type == "dose_over"] == []
