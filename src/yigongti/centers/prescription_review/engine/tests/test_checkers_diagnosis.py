"""适应症, 禁忌症, 病史相关禁忌, 慢病用药."""

from yigongti.centers.prescription_review.engine.tests.helpers import brief, of_type
from yigongti.centers.prescription_review.engine.tests.minikb import item, rx

HTN = (("I10", "原发性高血压"),)


def test_amlodipine_without_hypertension_has_no_indication() -> None:
    """处方审核规范 2018 适宜性: 处方用药与诊断是否相符; 苯磺酸氨氯地平片说明书【适应症】高血压、冠心病."""
    findings = of_type(rx(item("AMLO", 5), diagnoses=(("J06.9", "急性上呼吸道感染"),)), "indication")
    assert brief(findings) == [("not_recommended", ("AMLO",))]
    assert findings[0].message == "苯磺酸氨氯地平片的适应症与临床诊断（急性上呼吸道感染）不符"


def test_amlodipine_for_hypertension_is_indicated() -> None:
    """I10 matches the label's 适应症."""
    assert of_type(rx(item("AMLO", 5), diagnoses=HTN), "indication") == []


def test_class_indication_for_amoxicillin() -> None:
    """《中国国家处方集》阿莫西林【适应症】: 呼吸道感染 (J) — indication declared on the penicillin class."""
    assert of_type(rx(item("AMOX", 500, skin_test="negative")), "indication") == []
    bad = of_type(rx(item("AMOX", 500, skin_test="negative"), diagnoses=HTN), "indication")
    assert brief(bad) == [("not_recommended", ("AMOX",))]


def test_propranolol_in_asthma_is_contraindicated() -> None:
    """盐酸普萘洛尔片说明书【禁忌】: 支气管哮喘禁用."""
    findings = of_type(
        rx(item("PROP", 10, frequency="tid"), diagnoses=(("J45.9", "支气管哮喘"), ("I10", "高血压"))),
        "contraindication",
    )
    assert brief(findings) == [("contraindicated", ("PROP",))]
    assert findings[0].diagnosis_codes == ("J45.9",)


def test_propranolol_without_asthma() -> None:
    """No contraindicated diagnosis → no 禁忌症 finding."""
    assert of_type(rx(item("PROP", 10, frequency="tid"), diagnoses=HTN), "contraindication") == []


def test_aspirin_with_ulcer_history_text() -> None:
    """阿司匹林肠溶片说明书【禁忌】: 活动性消化性溃疡 — found in 既往史 text."""
    findings = of_type(rx(item("ASP", 100), history=["胃溃疡病史3年"]), "history_contra")
    assert brief(findings) == [("contraindicated", ("ASP",))]
    assert findings[0].patient_data == {"history": "胃溃疡"}


def test_aspirin_with_coded_ulcer_history() -> None:
    """History coded as ICD-10 K25 (胃溃疡)."""
    assert brief(of_type(rx(item("ASP", 100), history=["K25.7"]), "history_contra")) == [("contraindicated", ("ASP",))]


def test_aspirin_without_ulcer_history() -> None:
    """No matching history → no 病史相关禁忌."""
    assert of_type(rx(item("ASP", 100), history=["高血压"]), "history_contra") == []


def test_chronic_long_prescription_beyond_12_weeks() -> None:
    """《长期处方管理规范（试行）》(2021): 长期处方最长不超过12周 (84 天)."""
    findings = of_type(rx(item("AMLO", 5, days=90), diagnoses=HTN), "chronic")
    assert brief(findings) == [("not_recommended", ("AMLO",))]


def test_chronic_drug_long_supply_without_chronic_diagnosis() -> None:
    """《长期处方管理规范（试行）》(2021): 长期处方适用于诊断明确的慢性病患者."""
    findings = of_type(rx(item("AMLO", 5, days=28), diagnoses=(("R51", "头痛"),)), "chronic")
    assert brief(findings) == [("caution", ("AMLO",))]


def test_chronic_drug_four_weeks_for_hypertension_is_fine() -> None:
    """4 weeks of amlodipine for I10 is a regular 长期处方."""
    assert of_type(rx(item("AMLO", 5, days=28), diagnoses=HTN), "chronic") == []
