"""过敏史, 皮试, 年龄, 儿童, 性别, 妊娠期, 哺乳期, 肝功能不全, 肾功能不全, 检验结果用药禁忌."""

from yigongti.centers.prescription_review.engine.tests.helpers import brief, of_type
from yigongti.centers.prescription_review.engine.tests.minikb import item, rx
from yigongti.centers.prescription_review.engine.types import Allergy, LabResult


def test_coded_penicillin_allergy_forbids_amoxicillin() -> None:
    """处方审核规范 2018 适宜性: 用药禁忌（过敏史）; 阿莫西林说明书【禁忌】青霉素过敏者禁用."""
    findings = of_type(
        rx(item("AMOX", 500, frequency="tid", skin_test="negative"), allergies=(Allergy(code="penicillin"),)), "allergy"
    )
    assert brief(findings) == [("contraindicated", ("AMOX",))]
    assert findings[0].allergy == "青霉素类"


def test_free_text_penicillin_allergy_is_recognised() -> None:
    """过敏史 written as text by the doctor ("青霉素过敏") still matches the class keyword."""
    findings = of_type(
        rx(item("AMOX", 500, frequency="tid", skin_test="negative"), allergies=(Allergy(text="青霉素过敏"),)), "allergy"
    )
    assert brief(findings) == [("contraindicated", ("AMOX",))]


def test_penicillin_allergy_gives_cephalosporin_cross_caution() -> None:
    """《中国国家处方集》头孢菌素类【注意事项】: 青霉素过敏者慎用（交叉过敏）."""
    findings = of_type(
        rx(item("CEFTR", 1, unit="g", route="ivgtt", group="1"), allergies=(Allergy(code="penicillin"),)), "allergy"
    )
    assert brief(findings) == [("caution", ("CEFTR",))]


def test_sulfonamide_allergy_does_not_touch_amlodipine() -> None:
    """An unrelated allergy produces no 过敏史 finding."""
    assert of_type(rx(item("AMLO", 5), allergies=(Allergy(text="磺胺过敏"),)), "allergy") == []


def test_amoxicillin_without_skin_test_result() -> None:
    """处方审核规范 2018 适宜性: 规定必须做皮试的药品，是否注明过敏试验及结果的判定."""
    assert brief(of_type(rx(item("AMOX", 500, frequency="tid")), "skin_test")) == [("caution", ("AMOX",))]


def test_positive_skin_test_forbids_and_negative_passes() -> None:
    """皮试阳性禁用; 皮试阴性已注明 → no finding (处方审核规范 2018 适宜性)."""
    assert brief(of_type(rx(item("AMOX", 500, skin_test="positive")), "skin_test")) == [("contraindicated", ("AMOX",))]
    assert of_type(rx(item("AMOX", 500, skin_test="negative")), "skin_test") == []


def test_elderly_on_benzodiazepine_is_not_recommended() -> None:
    """AGS Beers Criteria 2023: 老年人避免使用苯二氮䓬类."""
    findings = of_type(rx(item("ESTAZ", 1, frequency="qn"), age_years=78), "age")
    assert brief(findings) == [("not_recommended", ("ESTAZ",))]
    assert findings[0].source == "AGS Beers Criteria 2023 Table 2"


def test_benzodiazepine_at_60_is_not_an_age_finding() -> None:
    """Beers criteria apply from 65 years."""
    assert of_type(rx(item("ESTAZ", 1, frequency="qn"), age_years=60), "age") == []


def test_levofloxacin_in_a_child_is_contraindicated() -> None:
    """左氧氟沙星片说明书【儿童用药】: 18岁以下患者禁用."""
    findings = of_type(rx(item("LEVO", 500), age_years=10), "child")
    assert brief(findings) == [("contraindicated", ("LEVO",))]
    assert "10岁" in findings[0].message


def test_levofloxacin_in_an_adult_is_not_a_child_finding() -> None:
    """左氧氟沙星片说明书: adults (≥18 years) are not restricted."""
    assert of_type(rx(item("LEVO", 500), age_years=18.1), "child") == []


def test_finasteride_for_a_woman() -> None:
    """处方审核规范 2018 适宜性: 性别禁忌; 非那雄胺片说明书【适应症】仅用于男性."""
    assert brief(of_type(rx(item("FIN", 5), sex="F"), "sex")) == [("contraindicated", ("FIN",))]
    assert of_type(rx(item("FIN", 5), sex="M"), "sex") == []


def test_enalapril_in_pregnancy() -> None:
    """马来酸依那普利片说明书【孕妇及哺乳期妇女用药】: 妊娠期禁用."""
    assert brief(of_type(rx(item("ENAL", 10), sex="F", pregnant=True), "pregnancy")) == [("contraindicated", ("ENAL",))]
    assert of_type(rx(item("ENAL", 10), sex="F", pregnant=False), "pregnancy") == []


def test_levofloxacin_during_lactation() -> None:
    """左氧氟沙星片说明书【孕妇及哺乳期妇女用药】: 哺乳期妇女禁用."""
    assert brief(of_type(rx(item("LEVO", 500), sex="F", lactating=True), "lactation")) == [
        ("contraindicated", ("LEVO",))
    ]
    assert of_type(rx(item("AMLO", 5), sex="F", lactating=True), "lactation") == []


def test_paracetamol_in_child_pugh_c_is_contraindicated() -> None:
    """对乙酰氨基酚片说明书【禁忌】: 严重肝功能不全禁用 (Child-Pugh C)."""
    findings = of_type(rx(item("APAP", 500, frequency="tid"), child_pugh="C"), "hepatic")
    assert brief(findings) == [("contraindicated", ("APAP",))]
    assert findings[0].patient_data == {"child_pugh": "C"}


def test_paracetamol_dose_limit_in_child_pugh_b() -> None:
    """《中国国家处方集》对乙酰氨基酚: 肝功能不全日剂量不超过 2 g — 1 g tid = 3 g/d exceeds, 0.5 g tid passes."""
    assert brief(of_type(rx(item("APAP", 1000, frequency="tid"), child_pugh="B"), "hepatic")) == [
        ("caution", ("APAP",))
    ]
    assert of_type(rx(item("APAP", 500, frequency="tid"), child_pugh="B"), "hepatic") == []
    assert of_type(rx(item("APAP", 1000, frequency="tid"), child_pugh=""), "hepatic") == []


def test_metformin_below_egfr_30_is_contraindicated() -> None:
    """二甲双胍临床应用专家共识（2023版）: eGFR<30 ml/min/1.73m² 禁用."""
    findings = of_type(rx(item("MET", 500, frequency="bid"), egfr=25.0, diagnoses=(("E11.9", "2型糖尿病"),)), "renal")
    assert brief(findings) == [("contraindicated", ("MET",))]
    assert findings[0].patient_data == {"renal_function": 25.0, "measure": "eGFR"}


def test_metformin_dose_cap_between_egfr_30_and_45() -> None:
    """二甲双胍临床应用专家共识（2023版）: eGFR 30-45 最大剂量 1000 mg/d."""
    high = of_type(rx(item("MET", 1000, frequency="bid"), egfr=40.0), "renal")
    assert brief(high) == [("caution", ("MET",))]
    assert of_type(rx(item("MET", 500, frequency="bid"), egfr=40.0), "renal") == []
    assert of_type(rx(item("MET", 1000, frequency="bid"), egfr=60.0), "renal") == []


def test_renal_function_from_serum_creatinine_by_ckd_epi() -> None:
    """KDIGO 2024: CKD-EPI 2021 — a 70-year-old man with Scr 250 µmol/L has eGFR ≈ 22 → metformin contraindicated."""
    findings = of_type(
        rx(item("MET", 500, frequency="bid"), age_years=70, labs=(LabResult("SCR", "肌酐", 250.0, "umol/L"),)), "renal"
    )
    assert brief(findings) == [("contraindicated", ("MET",))]
    assert findings[0].patient_data["measure"] == "eGFR(CKD-EPI)"
    assert 20 < findings[0].patient_data["renal_function"] < 24


def test_spironolactone_with_high_potassium() -> None:
    """螺内酯片说明书【禁忌】: 高钾血症禁用 (K > 5.5 mmol/L)."""
    findings = of_type(rx(item("SPIRO", 20), labs=(LabResult("k+", "血钾", 5.9, "mmol/L"),)), "lab_contra")
    assert brief(findings) == [("contraindicated", ("SPIRO",))]
    assert findings[0].lab_codes == ("k+",)


def test_spironolactone_with_normal_potassium() -> None:
    """K 4.2 mmol/L is within range: no 检验结果用药禁忌."""
    assert of_type(rx(item("SPIRO", 20), labs=(LabResult("k+", "血钾", 4.2, "mmol/L"),)), "lab_contra") == []
