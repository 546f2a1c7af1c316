"""REF-18: 转诊路径 ranking — exact diagnosis, then prefix (longer first), then department-only; then
configured priority; then free capacity at the target."""

from __future__ import annotations

from typing import Any

import pytest

from yigongti.centers.referral.config import services
from yigongti.centers.referral.config.models import ReferralPath
from yigongti.centers.referral.config.tests.helpers import make_slot
from yigongti.platform.testing import make_department, make_institution

pytestmark = pytest.mark.django_db


@pytest.fixture
def targets(api_world: Any) -> dict[str, Any]:
    county = make_institution(api_world.community, name="县人民医院", type="county_hospital")
    tcm = make_institution(api_world.community, name="县中医院", type="county_hospital")
    return {
        "county": county,
        "tcm": tcm,
        "cardio": make_department(county, name="心内科", code="CARD"),
        "tcm_cardio": make_department(tcm, name="心病科", code="XB"),
    }


def path(world: Any, target: Any, **kw: Any) -> ReferralPath:
    return ReferralPath.objects.create(institution=world.home, target_institution=target, **kw)


def names(result: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(r["target_institution_name"], r["match"]) for r in result]


def test_exact_before_prefix_before_department(api_world: Any, targets: dict[str, Any]) -> None:
    path(api_world, targets["tcm"], department_code="QK", priority=1)
    path(api_world, targets["county"], diagnosis_code="I21", target_department=targets["cardio"], priority=50)
    path(api_world, targets["tcm"], diagnosis_code="I21.0", target_department=targets["tcm_cardio"], priority=90)
    path(api_world, targets["county"], diagnosis_code="I2", priority=10)

    result = services.paths_recommend(
        from_institution_id=api_world.home.pk, diagnosis_code="i21.0", department_code="QK"
    )

    assert [(r["target_department_name"], r["match"]) for r in result] == [
        ("心病科", "exact"),
        ("心内科", "prefix"),
        ("", "prefix"),
        ("", "department"),
    ]
    assert [r["rank"] for r in result] == [1, 2, 3, 4]
    assert [r["diagnosis_code"] for r in result] == ["I21.0", "I21", "I2", ""]


def test_same_level_orders_by_priority_then_free_slots(api_world: Any, targets: dict[str, Any]) -> None:
    path(api_world, targets["county"], diagnosis_code="I10", priority=20)
    path(api_world, targets["tcm"], diagnosis_code="I10", priority=20)
    third = make_institution(api_world.community, name="县第二人民医院")
    path(api_world, third, diagnosis_code="I10", priority=5)
    make_slot(targets["tcm"], targets["tcm_cardio"], capacity=8, booked=2)
    make_slot(targets["county"], targets["cardio"], capacity=3, booked=0)

    result = services.paths_recommend(from_institution_id=api_world.home.pk, diagnosis_code="I10", department_code="")

    assert names(result) == [("县第二人民医院", "exact"), ("县中医院", "exact"), ("县人民医院", "exact")]
    assert [r["free_slots"] for r in result] == [0, 6, 3]


def test_department_only_paths_need_the_department_and_other_diagnoses_do_not_match(
    api_world: Any, targets: dict[str, Any]
) -> None:
    path(api_world, targets["county"], department_code="QK")
    path(api_world, targets["tcm"], diagnosis_code="E11")

    assert (
        services.paths_recommend(from_institution_id=api_world.home.pk, diagnosis_code="I10", department_code="EK")
        == []
    )
    assert names(
        services.paths_recommend(from_institution_id=api_world.home.pk, diagnosis_code="I10", department_code="QK")
    ) == [("县人民医院", "department")]


def test_a_target_appears_once_and_inactive_paths_or_other_institutions_paths_are_ignored(
    api_world: Any, targets: dict[str, Any]
) -> None:
    path(api_world, targets["county"], diagnosis_code="I21")
    path(api_world, targets["county"], diagnosis_code="I2")
    path(api_world, targets["tcm"], diagnosis_code="I21", is_active=False)
    ReferralPath.objects.create(institution=api_world.other, target_institution=targets["tcm"], diagnosis_code="I21")

    result = services.paths_recommend(from_institution_id=api_world.home.pk, diagnosis_code="I21.9", department_code="")

    assert names(result) == [("县人民医院", "prefix")]
    assert result[0]["diagnosis_code"] == "I21"
