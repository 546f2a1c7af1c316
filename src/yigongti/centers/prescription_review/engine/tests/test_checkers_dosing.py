"""超剂量, 超常规用量, 给药频次, 给药途径, 疗程."""

from yigongti.centers.prescription_review.engine.tests.helpers import brief, of_type
from yigongti.centers.prescription_review.engine.tests.minikb import item, rx


def test_ibuprofen_above_daily_maximum() -> None:
    """《中国国家处方集》布洛芬: 成人一日最大 2.4 g — 0.8 g q6h = 3.2 g/d; 点评规范 1-9 超剂量未注明原因."""
    findings = of_type(rx(item("IBU", 800, frequency="q6h")), "dose_over")
    assert brief(findings) == [("not_recommended", ("IBU",))]
    assert findings[0].message == "布洛芬片日剂量3200mg超过每日最大剂量2400mg，未注明超剂量理由"


def test_ibuprofen_over_dose_with_reason_is_only_caution() -> None:
    """《医院处方点评管理规范（试行）》1-9: 超剂量应注明原因并再次签名 — with a reason the finding is softened."""
    findings = of_type(rx(item("IBU", 800, frequency="q6h"), over_dose_reason="类风湿关节炎急性期"), "dose_over")
    assert brief(findings) == [("caution", ("IBU",))]


def test_ibuprofen_usual_dose_is_fine() -> None:
    """0.4 g tid = 1.2 g/d is within the 《中国国家处方集》 range."""
    rx_in = rx(item("IBU", 400, frequency="tid"))
    assert of_type(rx_in, "dose_over") == []
    assert of_type(rx_in, "dose_unusual") == []


def test_ibuprofen_600_mg_is_above_usual_single_dose() -> None:
    """《中国国家处方集》布洛芬: 成人一次 0.2-0.4 g — 0.6 g is 超常规用量 but below the maximum."""
    assert brief(of_type(rx(item("IBU", 0.6, unit="g", frequency="tid")), "dose_unusual")) == [("caution", ("IBU",))]


def test_paediatric_ibuprofen_by_weight() -> None:
    """《中国国家处方集》布洛芬: 儿童一日最大 40 mg/kg — 15 kg child, 200 mg qid = 800 mg > 600 mg."""
    findings = of_type(rx(item("IBU", 200, frequency="qid"), age_years=4, weight_kg=15.0), "dose_over")
    assert brief(findings) == [("not_recommended", ("IBU",))]
    assert "按体重计算" in findings[0].message


def test_paediatric_ibuprofen_without_weight_is_not_checked() -> None:
    """Per-kg limits need the weight; without it no dose finding is produced (规范性 asks for weight)."""
    assert of_type(rx(item("IBU", 200, frequency="qid"), age_years=4), "dose_over") == []


def test_metformin_below_minimum_daily_dose_is_info() -> None:
    """盐酸二甲双胍片说明书【用法用量】: 起始 0.5 g/d — 250 mg/d is below the usual minimum."""
    assert brief(of_type(rx(item("MET", 250)), "dose_unusual")) == [("info", ("MET",))]


def test_amlodipine_tid_is_a_wrong_frequency() -> None:
    """苯磺酸氨氯地平片说明书【用法用量】: 每日一次."""
    assert brief(of_type(rx(item("AMLO", 5, frequency="tid")), "frequency")) == [("not_recommended", ("AMLO",))]
    assert of_type(rx(item("AMLO", 5, frequency="QD")), "frequency") == []


def test_amlodipine_intravenous_is_a_wrong_route() -> None:
    """处方审核规范 2018 适宜性: 剂型与给药途径 — a tablet cannot be given by 静脉滴注."""
    assert brief(of_type(rx(item("AMLO", 5, route="静滴")), "route")) == [("not_recommended", ("AMLO",))]
    assert of_type(rx(item("AMLO", 5, route="口服")), "route") == []


def test_ketorolac_beyond_five_days() -> None:
    """酮咯酸氨丁三醇片说明书【用法用量】: 疗程不超过5天."""
    findings = of_type(rx(item("KETO", 10, frequency="qid", days=7)), "course")
    assert brief(findings) == [("caution", ("KETO",))]
    assert findings[0].source == "酮咯酸氨丁三醇片说明书【用法用量】: 疗程不超过5天"
    assert of_type(rx(item("KETO", 10, frequency="qid", days=5)), "course") == []
