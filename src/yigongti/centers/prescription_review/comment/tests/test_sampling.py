"""Sampling (RX-11): reproducible from the seed, and the 1‰ / 100 张 floor of
《医院处方点评管理规范（试行）》第十二条 (china-standards.md §5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from yigongti.centers.prescription_review.comment.choices import SampleMode
from yigongti.centers.prescription_review.comment.models import SamplingPolicy, Visit, VisitPrescription
from yigongti.centers.prescription_review.comment.services.sampling import Minimum, draw, minimum_for, sample_task
from yigongti.centers.prescription_review.comment.tests.helpers import TZ, make_task
from yigongti.core.errors import BusinessError
from yigongti.platform.testing import make_user


def test_minimum_is_one_per_mille_but_at_least_100_per_month() -> None:
    rule = Minimum(Decimal("0.001"), 100)
    assert rule.of(250_000) == 250  # 1‰ above 100
    assert rule.of(100_001) == 101  # ⌈100.001⌉
    assert rule.of(20_000) == 100  # 1‰ = 20 < 100
    assert rule.of(60) == 60  # a stratum smaller than 100 is taken whole


def test_inpatient_floor_is_one_percent_and_30() -> None:
    assert minimum_for(1, "inpatient", {}).of(5000) == 50
    assert minimum_for(1, "inpatient", {}).of(1000) == 30
    assert minimum_for(1, "outpatient", {}).of(1000) == 100


def _groups() -> dict[tuple[int, str, str], list[int]]:
    return {
        (1, "2026-03", "outpatient"): list(range(1, 301)),  # 300 → 100
        (1, "2026-04", "outpatient"): list(range(301, 351)),  # 50 → 50
        (2, "2026-03", "outpatient"): list(range(1001, 1401)),  # 400 → 100
    }


def test_standard_mode_takes_the_floor_per_institution_and_month() -> None:
    ids = draw(_groups(), mode=SampleMode.STANDARD, seed=7, size=None, rate=None, policies={})
    assert len(ids) == 250
    assert len(set(ids)) == 250
    assert sum(1 for i in ids if i <= 300) == 100
    assert sum(1 for i in ids if 301 <= i <= 350) == 50
    assert sum(1 for i in ids if i >= 1001) == 100


def test_same_seed_same_sample_and_another_seed_another_sample() -> None:
    first = draw(_groups(), mode=SampleMode.STANDARD, seed=20260301, size=None, rate=None, policies={})
    again = draw(_groups(), mode=SampleMode.STANDARD, seed=20260301, size=None, rate=None, policies={})
    other = draw(_groups(), mode=SampleMode.STANDARD, seed=20260302, size=None, rate=None, policies={})
    assert first == again
    assert first != other


def test_rate_mode_never_goes_below_the_floor() -> None:
    ids = draw(_groups(), mode=SampleMode.RATE, seed=1, size=None, rate=Decimal("0.5"), policies={})
    # 300 × 0.5 = 150 ; 50 → max(25, 50) = 50 ; 400 × 0.5 = 200
    assert len(ids) == 400


def test_count_mode_refuses_n_below_the_floor_and_fills_the_rest_at_random() -> None:
    with pytest.raises(BusinessError) as refused:
        draw(_groups(), mode=SampleMode.COUNT, seed=1, size=249, rate=None, policies={})
    assert refused.value.error_code == "RX_COMMENT_SAMPLE_CONFIG"
    assert "250" in refused.value.message
    ids = draw(_groups(), mode=SampleMode.COUNT, seed=1, size=260, rate=None, policies={})
    assert len(ids) == 260 and len(set(ids)) == 260
    assert ids == draw(_groups(), mode=SampleMode.COUNT, seed=1, size=260, rate=None, policies={})


@pytest.mark.django_db
def test_institution_policy_raises_its_own_floor(api_world: Any) -> None:
    policy = SamplingPolicy.objects.create(institution=api_world.home, outpatient_min_monthly=120)
    groups = {
        (api_world.home.pk, "2026-03", "outpatient"): list(range(1, 301)),
        (api_world.other.pk, "2026-03", "outpatient"): list(range(1001, 1301)),
    }
    ids = draw(groups, mode=SampleMode.STANDARD, seed=3, size=None, rate=None, policies={api_world.home.pk: policy})
    assert sum(1 for i in ids if i <= 300) == 120  # the home institution's own floor
    assert sum(1 for i in ids if i > 1000) == 100  # the other keeps the default


def _bulk_prescriptions(institution: Any, n: int, month: int) -> None:
    visits = Visit.objects.bulk_create(
        Visit(institution=institution, visit_no=f"V{month}-{i}", visit_type="outpatient",
              visit_time=dt.datetime(2026, month, 1 + i % 28, 9, tzinfo=TZ))
        for i in range(n)
    )  # fmt: skip
    VisitPrescription.objects.bulk_create(
        VisitPrescription(visit=v, institution=institution, rx_no=f"R{v.visit_no}", kind="outpatient",
                          prescribed_at=v.visit_time)
        for v in visits
    )  # fmt: skip


@pytest.mark.django_db
def test_task_sample_from_the_database_is_reproducible(api_world: Any) -> None:
    _bulk_prescriptions(api_world.home, 130, 3)
    _bulk_prescriptions(api_world.home, 40, 4)
    _bulk_prescriptions(api_world.other, 10, 3)  # not in the task's institutions
    task = make_task(api_world.home, [make_user(api_world.home, [])], start="2026-03-01", end="2026-04-30")

    population, ids = sample_task(task, seed=99)
    _, again = sample_task(task, seed=99)

    assert population == 170
    assert len(ids) == 140  # 100 of March's 130 + all 40 of April
    assert ids == again
    assert set(VisitPrescription.objects.filter(pk__in=ids).values_list("institution_id", flat=True)) == {
        api_world.home.pk
    }
