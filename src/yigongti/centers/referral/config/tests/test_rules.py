"""REF-17: referral rules as data. The seeded defaults reproduce the emergency/referral criteria of
《国家基本公共卫生服务规范（第三版）》 — test vectors of china-standards.md §2.5 (HTN-x, DM-x)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from yigongti.centers.referral.config import services
from yigongti.centers.referral.config.models import ReferralRule
from yigongti.centers.referral.config.rules_engine import condition_errors
from yigongti.core.errors import BusinessError

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _defaults(db: Any) -> None:
    services.rules_seed_defaults()


def evaluate(institution: Any, **visit: Any) -> dict[str, Any]:
    return services.rules_evaluate(institution_id=institution.pk, visit=visit, on=DAY)


def codes(result: dict[str, Any]) -> list[str]:
    return [m["code"] for m in result["matched"]]


HTN = ["I10.x00"]
DM = ["E11.900"]


@pytest.mark.parametrize(
    ("case", "visit", "expected"),
    [
        # §2.5 hypertension vectors: only HTN-5 (refer) and HTN-6/7 (emergency) refer.
        ("HTN-1", {"age": 60, "vitals": {"sbp": 138, "dbp": 88}, "previous_control": "controlled"}, []),
        ("HTN-2", {"age": 60, "vitals": {"sbp": 140, "dbp": 85}}, []),
        ("HTN-3", {"age": 70, "vitals": {"sbp": 148, "dbp": 85}, "previous_control": "uncontrolled"}, []),
        ("HTN-4", {"age": 70, "vitals": {"sbp": 150, "dbp": 80}}, []),
        (
            "HTN-5",
            {"age": 60, "vitals": {"sbp": 150, "dbp": 92}, "previous_control": "uncontrolled"},
            ["HTN_UNCONTROLLED_TWICE"],
        ),
        ("HTN-6", {"age": 60, "vitals": {"sbp": 180, "dbp": 100}}, ["BP_CRISIS"]),
        ("HTN-7", {"age": 60, "vitals": {"sbp": 170, "dbp": 110}}, ["BP_CRISIS"]),
    ],
)
def test_hypertension_vectors_of_the_third_edition(
    api_world: Any, case: str, visit: dict[str, Any], expected: list[str]
) -> None:
    result = evaluate(api_world.home, diagnosis_codes=HTN, **visit)

    assert codes(result) == expected, case
    assert result["refer"] is bool(expected)


@pytest.mark.parametrize(
    ("case", "visit", "expected", "severity"),
    [
        ("DM-1", {"labs": {"FPG": 6.9}}, [], None),
        ("DM-2", {"labs": {"FPG": 7.0}}, [], None),
        ("DM-3", {"labs": {"FPG": 3.9}}, ["GLU_CRITICAL"], "emergency"),
        ("DM-4", {"labs": {"FPG": 16.7}}, ["GLU_CRITICAL"], "emergency"),
        ("DM-5", {"labs": {"FPG": 8.0}, "previous_control": "uncontrolled"}, ["DM_UNCONTROLLED_TWICE"], "urgent"),
    ],
)
def test_diabetes_vectors_of_the_third_edition(
    api_world: Any, case: str, visit: dict[str, Any], expected: list[str], severity: str | None
) -> None:
    result = evaluate(api_world.home, diagnosis_codes=DM, age=58, **visit)

    assert codes(result) == expected, case
    assert result["severity"] == severity


def test_boundaries_follow_the_source_comparators(api_world: Any) -> None:
    # 血糖 ≤3.9 / ≥16.7 inclusive; 心率 and 体温 “超过” exclusive
    assert codes(evaluate(api_world.home, diagnosis_codes=DM, labs={"GLU": 4.0})) == []
    assert codes(evaluate(api_world.home, diagnosis_codes=DM, labs={"GLU": 16.6})) == []
    assert codes(evaluate(api_world.home, diagnosis_codes=DM, vitals={"hr": 100, "temperature": 39})) == []
    assert codes(evaluate(api_world.home, diagnosis_codes=DM, vitals={"hr": 101})) == ["DM_TACHYCARDIA"]
    assert codes(evaluate(api_world.home, diagnosis_codes=DM, vitals={"temperature": 39.1})) == ["DM_FEVER"]
    # the tachycardia criterion is the diabetes one: no diabetes, no match
    assert codes(evaluate(api_world.home, diagnosis_codes=HTN, vitals={"hr": 120})) == []


def test_several_matches_are_ordered_emergency_first_with_evidence_and_source(api_world: Any) -> None:
    result = evaluate(
        api_world.home,
        diagnosis_codes=["I10", "E11.9"],
        age=66,
        vitals={"sbp": 186, "dbp": 96, "consciousness": "confused"},
        flags=["new_complication"],
    )

    assert result["refer"] is True
    assert result["severity"] == "emergency"
    assert result["severity_label"] == "紧急转诊"
    assert codes(result) == ["BP_CRISIS", "CONSCIOUSNESS_CHANGED", "CHRONIC_ADR_COMPLICATION"]
    bp = result["matched"][0]
    assert bp["evidence"] == ["收缩压 186 ≥ 180"]
    assert "国家基本公共卫生服务规范（第三版）" in bp["source"]
    assert "china-standards.md §2.2" in bp["source"]
    assert result["matched"][1]["evidence"] == ["意识状态：意识模糊"]
    assert result["matched"][2]["severity"] == "urgent"


def test_pregnancy_with_high_blood_pressure_is_an_emergency(api_world: Any) -> None:
    assert codes(evaluate(api_world.home, flags=["pregnant"], vitals={"sbp": 142, "dbp": 80})) == ["HTN_PREGNANCY"]
    assert codes(evaluate(api_world.home, flags=["pregnant"], vitals={"sbp": 138, "dbp": 88})) == []


def test_every_seeded_rule_cites_a_source(api_world: Any) -> None:
    defaults = ReferralRule.objects.filter(institution__isnull=True)
    assert defaults.count() == 12
    assert all("china-standards.md §" in r.source for r in defaults)
    assert all(condition_errors(r.condition) == [] for r in defaults)


def test_institution_rule_overrides_the_default_threshold_for_that_institution_only(api_world: Any) -> None:
    default = ReferralRule.objects.get(code="BP_CRISIS", institution__isnull=True)
    services.rule_new_version(rule=default, institution_id=api_world.home.pk, effective_from=DAY, actor=None)
    own = ReferralRule.objects.get(code="BP_CRISIS", institution=api_world.home)
    own.condition = {"any": [{"field": "vitals.sbp", "op": ">=", "value": 170}]}
    own.save()

    home = evaluate(api_world.home, vitals={"sbp": 172})
    other = evaluate(api_world.other, vitals={"sbp": 172})

    assert codes(home) == ["BP_CRISIS"]
    assert home["matched"][0]["institution_rule"] is True
    assert codes(other) == []


def test_versions_apply_by_effective_date(api_world: Any) -> None:
    v1 = ReferralRule.objects.create(
        institution=api_world.home,
        code="SPO2_LOW",
        version=1,
        name="血氧低",
        severity="emergency",
        condition={"field": "vitals.spo2", "op": "<", "value": 90},
        reason="血氧饱和度低",
        source="本院规定",
        effective_from=dt.date(2026, 1, 1),
    )
    v2 = services.rule_new_version(
        rule=v1, institution_id=api_world.home.pk, effective_from=dt.date(2026, 7, 1), actor=None
    )
    v2.condition = {"field": "vitals.spo2", "op": "<", "value": 93}
    v2.save()

    before = services.rules_evaluate(
        institution_id=api_world.home.pk, visit={"vitals": {"spo2": 91}}, on=dt.date(2026, 6, 30)
    )
    after = services.rules_evaluate(
        institution_id=api_world.home.pk, visit={"vitals": {"spo2": 91}}, on=dt.date(2026, 7, 1)
    )

    v1.refresh_from_db()
    assert v1.effective_to == dt.date(2026, 7, 1)
    assert codes(before) == []
    assert codes(after) == ["SPO2_LOW"]
    assert after["matched"][0]["version"] == 2


def test_new_version_must_start_after_the_latest(api_world: Any) -> None:
    default = ReferralRule.objects.get(code="GLU_CRITICAL", institution__isnull=True)
    with pytest.raises(BusinessError) as exc:
        services.rule_new_version(rule=default, institution_id=None, effective_from=dt.date(2016, 1, 1), actor=None)
    assert exc.value.error_code == "REFERRAL_RULE_VERSION_DATE"


def test_inactive_rule_is_not_evaluated(api_world: Any) -> None:
    ReferralRule.objects.filter(code="BP_CRISIS").update(status="inactive")
    assert codes(evaluate(api_world.home, vitals={"sbp": 200})) == []


def test_bad_visit_values_are_a_business_error(api_world: Any) -> None:
    with pytest.raises(BusinessError) as exc:
        services.rules_evaluate(institution_id=api_world.home.pk, visit={"vitals": {"sbp": "high"}, "age": True})
    assert exc.value.error_code == "REFERRAL_RULE_INVALID_VISIT"
    assert set(exc.value.fields) == {"vitals.sbp", "age"}


@pytest.mark.parametrize(
    ("condition", "problem"),
    [
        ({"field": "vitals.bmi", "op": ">=", "value": 28}, "不支持的字段：vitals.bmi"),
        ({"field": "vitals.sbp", "op": "~", "value": 1}, "字段 vitals.sbp 不支持运算符 ~"),
        ({"field": "vitals.sbp", "op": ">=", "value": "180"}, "字段 vitals.sbp 的比较值必须是数字"),
        (
            {"field": "diagnosis", "op": "prefix", "value": ["i10"]},
            "diagnosis 的值必须是 ICD-10 编码前缀列表（大写，如 I10）",
        ),
        ({"any": []}, "any 必须是非空列表"),
        ({"all": [{"field": "age", "op": ">", "value": 1}], "any": []}, "条件组只能包含 all 或 any 之一"),
        ([], "条件必须是对象"),
    ],
)
def test_invalid_conditions_are_explained(condition: Any, problem: str) -> None:
    assert condition_errors(condition) == [problem]
