"""质子泵抑制剂, 抗菌药, 麻醉药品, 精神药品, 用药警示."""

from yigongti.centers.prescription_review.engine.tests.helpers import brief, of_type
from yigongti.centers.prescription_review.engine.tests.minikb import item, rx

GERD = (("K21.0", "胃食管反流病"),)


def test_ppi_without_indication_or_risk() -> None:
    """《质子泵抑制剂临床应用指导原则（2020年版）》: 无适应症不应使用 PPI."""
    findings = of_type(rx(item("OME", 20), diagnoses=(("J06.9", "上呼吸道感染"),)), "ppi")
    assert brief(findings) == [("not_recommended", ("OME",))]


def test_ppi_for_gerd_or_with_nsaid_prophylaxis_is_fine() -> None:
    """指导原则: GERD 为适应症; NSAID 相关消化道损伤的预防为合理用药."""
    assert of_type(rx(item("OME", 20), diagnoses=GERD), "ppi") == []
    assert of_type(rx(item("OME", 20), item("IBU", 300, frequency="tid"), diagnoses=(("M79.1", "肌痛"),)), "ppi") == []


def test_two_ppis_at_once() -> None:
    """《质子泵抑制剂临床应用指导原则（2020年版）》: 避免两种 PPI 联用."""
    findings = of_type(rx(item("OME", 20), item("PANT", 40, route="ivgtt"), diagnoses=GERD), "ppi")
    assert ("not_recommended", ("OME", "PANT")) in brief(findings)


def test_intravenous_ppi_in_outpatient_without_bleeding() -> None:
    """指导原则: 能口服者首选口服 PPI; 静脉用于消化道出血等."""
    findings = of_type(rx(item("PANT", 40, route="ivgtt"), diagnoses=GERD), "ppi")
    assert brief(findings) == [("caution", ("PANT",))]
    assert of_type(rx(item("PANT", 40, route="ivgtt"), diagnoses=(("K92.2", "消化道出血"),)), "ppi") == []


def test_restricted_antibiotic_needs_restricted_privilege() -> None:
    """《抗菌药物临床应用管理办法》(2012): 医师按级别取得抗菌药物处方权 — 限制使用级 needs level 2."""
    findings = of_type(rx(item("CPZS", 2, unit="g", route="ivgtt", frequency="bid"), antibiotic_level=1), "antibiotic")
    assert brief(findings) == [("contraindicated", ("CPZS",))]
    assert findings[0].patient_data == {"grade": 2, "privilege": 1}
    assert (
        of_type(rx(item("CPZS", 2, unit="g", route="ivgtt", frequency="bid"), antibiotic_level=2), "antibiotic") == []
    )


def test_special_grade_antibiotic_is_barred_in_outpatient() -> None:
    """《抗菌药物临床应用管理办法》(2012): 特殊使用级抗菌药物不得在门诊使用."""
    findings = of_type(rx(item("IMI", 1, unit="g", route="ivgtt", frequency="q8h"), antibiotic_level=3), "antibiotic")
    assert brief(findings) == [("contraindicated", ("IMI",))]
    inpatient = rx(item("IMI", 1, unit="g", route="ivgtt", frequency="q8h"), antibiotic_level=3, kind="inpatient")
    assert of_type(inpatient, "antibiotic") == []


def test_narcotic_without_privilege() -> None:
    """《处方管理办法》第十一条: 取得麻醉药品和第一类精神药品处方权的医师方可开具."""
    findings = of_type(rx(item("MOR_SR", 30, frequency="q12h", days=3), narcotic_privilege=False), "narcotic")
    assert brief(findings) == [("contraindicated", ("MOR_SR",))]


def test_narcotic_controlled_release_supply_limits() -> None:
    """《处方管理办法》第二十三条: 控缓释制剂不得超过7日常用量; 第二十四条: 癌痛患者不得超过15日."""
    over = of_type(rx(item("MOR_SR", 30, frequency="q12h", days=10), narcotic_privilege=True), "narcotic")
    assert brief(over) == [("not_recommended", ("MOR_SR",))]
    cancer = rx(item("MOR_SR", 30, frequency="q12h", days=10), narcotic_privilege=True, diagnoses=(("C34.9", "肺癌"),))
    assert of_type(cancer, "narcotic") == []


def test_narcotic_injection_is_one_dose_in_outpatient() -> None:
    """《处方管理办法》第二十三条: 门（急）诊麻醉药品注射剂每张处方为一次常用量."""
    findings = of_type(rx(item("MOR_INJ", 10, route="ih", days=2), narcotic_privilege=True), "narcotic")
    assert brief(findings) == [("not_recommended", ("MOR_INJ",))]
    assert findings[0].patient_data == {"days": 2, "limit_days": 1}


def test_second_class_psychotropic_beyond_7_days() -> None:
    """《处方管理办法》第二十三条: 第二类精神药品一般每张处方不得超过7日常用量，延长应注明理由."""
    assert brief(of_type(rx(item("ESTAZ", 1, frequency="qn", days=14)), "psychotropic")) == [
        ("not_recommended", ("ESTAZ",))
    ]
    assert of_type(rx(item("ESTAZ", 1, frequency="qn", days=14), long_supply_reason="慢性失眠"), "psychotropic") == []
    assert of_type(rx(item("ESTAZ", 1, frequency="qn", days=7)), "psychotropic") == []


def test_allopurinol_hla_warning_and_high_alert() -> None:
    """别嘌醇片说明书【警示语】HLA-B*5801; 《中国高警示药品推荐目录（2019版）》华法林."""
    assert brief(of_type(rx(item("ALLOP", 100)), "warning")) == [("caution", ("ALLOP",))]
    assert brief(of_type(rx(item("WARF", 3)), "warning")) == [("info", ("WARF",))]
    assert of_type(rx(item("AMLO", 5)), "warning") == []
