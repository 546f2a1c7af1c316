"""规范性 checks of 《医疗机构处方审核规范》(2018) and 《处方管理办法》."""

from yigongti.centers.prescription_review.engine.tests.helpers import brief, of_type
from yigongti.centers.prescription_review.engine.tests.minikb import item, rx

HTN = (("I10", "原发性高血压"),)


def test_six_drugs_on_an_outpatient_prescription() -> None:
    """处方审核规范 2018 规范性: 每张处方不得超过5种药品; 点评规范 1-11."""
    codes = ["AMLO", "ENAL", "MET", "ASP", "APAP", "ALLOP"]
    findings = of_type(rx(*(item(c, 1) for c in codes)), "norm_item_count")
    assert brief(findings) == [("caution", tuple(codes))]
    assert findings[0].message == "单张门急诊处方开具6种药品，超过5种"


def test_five_drugs_plus_solvent_and_inpatient_orders_pass() -> None:
    """Five drugs are allowed; a solvent is not a drug of the count; 住院医嘱 are not 门急诊处方."""
    five = [item(c, 1) for c in ["AMLO", "ENAL", "MET", "ASP", "APAP"]]
    assert of_type(rx(*five, item("NS", 100, unit="ml", group="1")), "norm_item_count") == []
    assert of_type(rx(*five, item("ALLOP", 100), kind="inpatient"), "norm_item_count") == []


def test_outpatient_supply_beyond_7_days_without_reason() -> None:
    """《处方管理办法》第十九条: 门诊处方一般不得超过7日用量; 点评规范 1-12."""
    findings = of_type(rx(item("APAP", 500, days=10)), "norm_supply_days")
    assert brief(findings) == [("caution", ("APAP",))]
    assert of_type(rx(item("APAP", 500, days=10), long_supply_reason="偏远山区复诊不便"), "norm_supply_days") == []


def test_emergency_supply_beyond_3_days() -> None:
    """《处方管理办法》第十九条: 急诊处方一般不得超过3日用量."""
    assert brief(of_type(rx(item("APAP", 500, days=4), kind="emergency"), "norm_supply_days")) == [
        ("caution", ("APAP",))
    ]
    assert of_type(rx(item("APAP", 500, days=3), kind="emergency"), "norm_supply_days") == []


def test_chronic_disease_long_prescription_is_exempt() -> None:
    """《长期处方管理规范（试行）》(2021): 慢性病长期处方 (≤12周) for a chronic diagnosis counts as the reason."""
    assert of_type(rx(item("AMLO", 5, days=28), diagnoses=HTN), "norm_supply_days") == []


def test_infant_age_written_in_years() -> None:
    """处方审核规范 2018 规范性: 新生儿、婴幼儿写日、月龄; 点评规范 1-4."""
    findings = of_type(rx(item("IBU", 50), age_days=200, age_text="0岁", weight_kg=7.5), "norm_infant_age")
    assert brief(findings) == [("caution", ())]
    assert of_type(rx(item("IBU", 50), age_days=200, age_text="6月", weight_kg=7.5), "norm_infant_age") == []


def test_infant_without_weight() -> None:
    """处方审核规范 2018 规范性: 必要时注明体重."""
    findings = of_type(rx(item("IBU", 50), age_days=20, age_text="20天"), "norm_infant_age")
    assert [(f.severity, f.message) for f in findings] == [("info", "新生儿处方未注明体重")]
    assert of_type(rx(item("IBU", 50), age_years=30), "norm_infant_age") == []


def test_vague_usage_text() -> None:
    """处方审核规范 2018 规范性: 用法用量不得使用"遵医嘱""自用"; 点评规范 1-8."""
    findings = of_type(rx(item("APAP", 500, usage_text="遵医嘱")), "norm_vague_usage")
    assert brief(findings) == [("caution", ("APAP",))]
    assert "遵医嘱" in findings[0].message
    assert of_type(rx(item("APAP", 500, usage_text="发热>38.5℃时服用")), "norm_vague_usage") == []


def test_missing_diagnosis() -> None:
    """《医院处方点评管理规范（试行）》1-10: 开具处方未写临床诊断."""
    assert brief(of_type(rx(item("APAP", 500), diagnoses=()), "norm_diagnosis")) == [("caution", ())]
    assert of_type(rx(item("APAP", 500)), "norm_diagnosis") == []


def test_drug_missing_from_the_knowledge_base_is_reported() -> None:
    """处方审核规范 2018: 信息系统不能审核的部分应由药师人工审核 — the item is named, as 提示 by default."""
    findings = of_type(rx(item("XYZ999", 1, name="某院内制剂")), "unknown_drug")
    assert [(f.severity, f.drug_codes, f.message) for f in findings] == [
        ("info", ("XYZ999",), "某院内制剂（XYZ999）未收录于审方知识库，系统无法审核，需药师人工审核")
    ]
    assert of_type(rx(item("APAP", 500)), "unknown_drug") == []
