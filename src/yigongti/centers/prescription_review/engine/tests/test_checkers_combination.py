"""相互作用, 重复用药, 配伍, 配伍浓度, 注射剂离子浓度."""

from yigongti.centers.prescription_review.engine.tests.helpers import brief, of_type
from yigongti.centers.prescription_review.engine.tests.minikb import item, rx


def test_warfarin_with_nsaid_is_an_interaction() -> None:
    """《中国国家处方集》华法林【药物相互作用】: NSAIDs 增加出血风险（处方审核规范 2018 适宜性: 相互作用）."""
    findings = of_type(rx(item("WARF", 3), item("IBU", 300, frequency="tid")), "interaction")
    assert brief(findings) == [("not_recommended", ("WARF", "IBU"))]
    assert findings[0].source == "《中国国家处方集（化学药品与生物制品卷）》 华法林【药物相互作用】"
    assert "出血风险" in findings[0].message
    assert findings[0].rule_id == "I-1"


def test_warfarin_with_paracetamol_is_no_interaction() -> None:
    """《中国国家处方集》华法林: 镇痛宜选对乙酰氨基酚 — no interaction pair in the knowledge base."""
    assert of_type(rx(item("WARF", 3), item("APAP", 500, frequency="tid")), "interaction") == []


def test_clopidogrel_with_omeprazole_by_drug_code_pair() -> None:
    """硫酸氢氯吡格雷片说明书【药物相互作用】: 奥美拉唑抑制 CYP2C19."""
    findings = of_type(rx(item("CLOP", 75), item("OME", 20)), "interaction")
    assert brief(findings) == [("caution", ("CLOP", "OME"))]


def test_two_nsaids_are_a_duplication() -> None:
    """《医院处方点评管理规范（试行）》3-4: 同时开具2种以上药理作用相同药物."""
    findings = of_type(rx(item("IBU", 300), item("DICLO", 75)), "duplication")
    assert brief(findings) == [("not_recommended", ("IBU", "DICLO"))]
    assert "非甾体抗炎药" in findings[0].message


def test_same_drug_twice_is_a_duplication_but_solvents_are_not() -> None:
    """处方审核规范 2018 适宜性: 重复给药; 溶媒 (0.9%氯化钠) in two infusion groups is not a drug duplication."""
    findings = of_type(
        rx(
            item("OME", 20),
            item("OME", 20),
            item("NS", 100, unit="ml", route="ivgtt", group="1"),
            item("NS", 250, unit="ml", route="ivgtt", group="2"),
        ),
        "duplication",
    )
    assert brief(findings) == [("not_recommended", ("OME", "OME"))]
    assert findings[0].message == "奥美拉唑肠溶胶囊在同一处方中重复开具2次"


def test_amlodipine_with_enalapril_is_not_a_duplication() -> None:
    """Different classes (CCB, ACEI) — the usual county hypertension combination is not 重复用药."""
    assert of_type(rx(item("AMLO", 5), item("ENAL", 10)), "duplication") == []


def test_ceftriaxone_with_calcium_in_one_group_is_incompatible() -> None:
    """注射用头孢曲松钠说明书【禁忌】: 不得与含钙注射液同时静脉给药（头孢曲松钙沉淀）."""
    findings = of_type(
        rx(
            item("CEFTR", 2, unit="g", route="ivgtt", group="1"),
            item("CAGLU", 1, unit="g", route="ivgtt", group="1"),
            item("NS", 100, unit="ml", route="ivgtt", group="1"),
        ),
        "incompatibility",
    )
    assert brief(findings) == [("contraindicated", ("CEFTR", "CAGLU"))]


def test_ceftriaxone_and_calcium_in_different_groups_are_not_checked_as_incompatible() -> None:
    """配伍禁忌 applies within one infusion group (同组输液)."""
    findings = of_type(
        rx(
            item("CEFTR", 2, unit="g", route="ivgtt", group="1"),
            item("CAGLU", 1, unit="g", route="ivgtt", group="2"),
        ),
        "incompatibility",
    )
    assert findings == []


def test_azithromycin_above_2_mg_per_ml_is_too_concentrated() -> None:
    """注射用阿奇霉素说明书【用法用量】: 静滴浓度 1.0-2.0 mg/ml — 0.5 g in 100 ml is 5 mg/ml."""
    findings = of_type(
        rx(item("AZI", 0.5, unit="g", route="ivgtt", group="1"), item("NS", 100, unit="ml", route="ivgtt", group="1")),
        "concentration",
    )
    assert brief(findings) == [("not_recommended", ("AZI",))]
    assert findings[0].patient_data["concentration"] == 5.0


def test_azithromycin_in_250_ml_is_within_limits() -> None:
    """0.5 g in 250 ml = 2 mg/ml, the label's upper bound."""
    findings = of_type(
        rx(item("AZI", 0.5, unit="g", route="ivgtt", group="1"), item("NS", 250, unit="ml", route="ivgtt", group="1")),
        "concentration",
    )
    assert findings == []


def test_pantoprazole_in_glucose_is_the_wrong_solvent() -> None:
    """注射用泮托拉唑钠说明书【用法用量】: 仅用 0.9% 氯化钠注射液溶解稀释."""
    findings = of_type(
        rx(item("PANT", 40, route="ivgtt", group="1"), item("GS", 100, unit="ml", route="ivgtt", group="1")),
        "concentration",
    )
    assert brief(findings) == [("not_recommended", ("PANT", "GS"))]
    assert "溶媒选择不适宜" in findings[0].message


def test_potassium_above_45_mmol_per_litre_is_flagged() -> None:
    """氯化钾注射液说明书【用法用量】: 钾浓度不超过 3.4 g/L (45 mmol/L) — 10% KCl 20 ml (2 g) in 250 ml = 107 mmol/L."""
    findings = of_type(
        rx(item("KCL", 20, unit="ml", route="ivgtt", group="1"), item("GS", 250, unit="ml", route="ivgtt", group="1")),
        "ion_concentration",
    )
    assert brief(findings) == [("contraindicated", ("KCL",))]
    assert findings[0].patient_data["mmol_per_l"] == 107.2


def test_potassium_15_ml_in_500_ml_is_allowed() -> None:
    """10% KCl 15 ml (1.5 g = 20.1 mmol) in 500 ml = 40.2 mmol/L < 45 mmol/L (label's usual dilution)."""
    findings = of_type(
        rx(item("KCL", 15, unit="ml", route="ivgtt", group="1"), item("GS", 500, unit="ml", route="ivgtt", group="1")),
        "ion_concentration",
    )
    assert findings == []


def test_drug_pair_supersedes_class_pair_for_the_same_items() -> None:
    """华法林钠片说明书【药物相互作用】names ibuprofen: the drug–drug entry replaces the class entry I-1
    (VKA+NSAID) for this pair instead of reporting the same bleeding risk twice."""
    from yigongti.centers.prescription_review.engine.kb import InteractionRule
    from yigongti.centers.prescription_review.engine.tests.minikb import make_kb

    base = make_kb()
    kb = make_kb(
        interactions=[
            *base.interactions,
            InteractionRule("IBU", "WARF", "contraindicated", "布洛芬增加华法林出血风险", rule_id="D-1"),
        ]
    )
    both = of_type(rx(item("WARF", 3), item("IBU", 300, frequency="tid")), "interaction", kb)
    assert [(f.severity, f.rule_id) for f in both] == [("contraindicated", "D-1")]
    # the class rule still covers another NSAID of the same prescription-level pair
    other = of_type(rx(item("WARF", 3), item("DICLO", 75)), "interaction", kb)
    assert [(f.severity, f.rule_id) for f in other] == [("not_recommended", "I-1")]


def test_drug_class_rule_supersedes_class_class_rule() -> None:
    """Specificity order drug–drug > drug–class > class–class (one clinical problem, one finding)."""
    from yigongti.centers.prescription_review.engine.kb import InteractionRule
    from yigongti.centers.prescription_review.engine.tests.minikb import make_kb

    base = make_kb()
    kb = make_kb(
        interactions=[
            *base.interactions,
            InteractionRule("WARF", "NSAID", "caution", "华法林与NSAIDs", rule_id="DC-1"),
        ]
    )
    found = of_type(rx(item("WARF", 3), item("DICLO", 75)), "interaction", kb)
    assert [(f.severity, f.rule_id) for f in found] == [("caution", "DC-1")]
