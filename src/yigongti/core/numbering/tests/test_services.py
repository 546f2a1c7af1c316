"""next_number: formats, period resets in Asia/Shanghai, per-institution counters, overflow."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from yigongti.core.errors import BusinessError
from yigongti.core.numbering.models import NumberRule, NumberSequence
from yigongti.core.numbering.services import next_number, preview_number
from yigongti.platform.testing import make_community, make_institution

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def rule(**kw: Any) -> NumberRule:
    defaults: dict[str, Any] = {
        "code": "referral",
        "name": "转诊单号",
        "prefix": "ZZ",
        "include_institution_code": True,
        "date_part": "YYYYMMDD",
        "width": 4,
        "reset": "daily",
        "separator": "-",
    }
    r = NumberRule(**(defaults | kw))
    r.full_clean()
    r.save()
    return r


@pytest.fixture
def hospitals() -> tuple[Any, Any]:
    community = make_community()
    return (
        make_institution(community, code="3209230001", name="县人民医院"),
        make_institution(community, code="3209230002", name="城关镇卫生院"),
    )


def test_full_format_and_consecutive_numbers(hospitals: tuple[Any, Any]) -> None:
    rule()
    at = utc(2026, 11, 25, 2, 0)
    numbers = [next_number("referral", institution=hospitals[0], at=at) for _ in range(7)]
    assert numbers[0] == "ZZ-3209230001-20261125-0001"
    assert numbers[-1] == "ZZ-3209230001-20261125-0007"
    seq = NumberSequence.objects.get()
    assert (seq.institution_id, seq.period, seq.last_value) == (hospitals[0].pk, "20261125", 7)


def test_formats_without_parts() -> None:
    rule(code="barcode", prefix="", include_institution_code=False, date_part="none", reset="never", width=8)
    rule(code="batch", prefix="PC", include_institution_code=False, date_part="YYYYMM", reset="monthly", separator="")
    rule(code="year", prefix="Y", include_institution_code=False, date_part="YYYY", reset="yearly", separator="/")
    at = utc(2026, 3, 1, 1)
    assert next_number("barcode", at=at) == "00000001"
    assert next_number("batch", at=at) == "PC2026030001"
    assert next_number("year", at=at) == "Y/2026/0001"


def test_daily_reset_follows_the_shanghai_date() -> None:
    rule(include_institution_code=False)
    # 2026-11-24 15:59:59 UTC is 23:59:59 in Shanghai; one second later it is the 25th there.
    assert next_number("referral", at=utc(2026, 11, 24, 15, 59, 59)) == "ZZ-20261124-0001"
    assert next_number("referral", at=utc(2026, 11, 24, 15, 59, 59)) == "ZZ-20261124-0002"
    assert next_number("referral", at=utc(2026, 11, 24, 16, 0, 0)) == "ZZ-20261125-0001"
    assert next_number("referral", at=utc(2026, 11, 25, 3)) == "ZZ-20261125-0002"
    # a naive time is Shanghai local time
    assert next_number("referral", at=dt.datetime(2026, 11, 25, 23, 59)) == "ZZ-20261125-0003"
    assert next_number("referral", at=dt.datetime(2026, 11, 26, 0, 0)) == "ZZ-20261126-0001"


def test_monthly_and_yearly_resets() -> None:
    rule(code="m", prefix="M", include_institution_code=False, date_part="YYYYMMDD", reset="monthly")
    rule(code="y", prefix="Y", include_institution_code=False, date_part="YYYYMM", reset="yearly")
    assert next_number("m", at=utc(2026, 11, 1, 0)) == "M-20261101-0001"
    assert next_number("m", at=utc(2026, 11, 30, 15, 59)) == "M-20261130-0002"  # same month: continues
    assert next_number("m", at=utc(2026, 11, 30, 16, 0)) == "M-20261201-0001"  # 1 Dec in Shanghai
    assert next_number("y", at=utc(2026, 1, 5)) == "Y-202601-0001"
    assert next_number("y", at=utc(2026, 12, 31, 15, 59)) == "Y-202612-0002"
    assert next_number("y", at=utc(2026, 12, 31, 16, 0)) == "Y-202701-0001"
    assert set(NumberSequence.objects.values_list("period", flat=True)) == {"202611", "202612", "2026", "2027"}


def test_never_reset_keeps_counting_across_years() -> None:
    rule(code="n", prefix="N", include_institution_code=False, date_part="YYYY", reset="never")
    assert next_number("n", at=utc(2026, 12, 31, 12)) == "N-2026-0001"
    assert next_number("n", at=utc(2027, 1, 1, 12)) == "N-2027-0002"
    assert NumberSequence.objects.get().period == ""


def test_counters_are_per_institution(hospitals: tuple[Any, Any]) -> None:
    county, town = hospitals
    rule()
    at = utc(2026, 11, 25, 2)
    assert next_number("referral", institution=county, at=at) == "ZZ-3209230001-20261125-0001"
    assert next_number("referral", institution=town, at=at) == "ZZ-3209230002-20261125-0001"
    assert next_number("referral", institution=county, at=at) == "ZZ-3209230001-20261125-0002"
    assert NumberSequence.objects.count() == 2


def test_rule_without_institution_code_shares_one_counter(hospitals: tuple[Any, Any]) -> None:
    rule(code="lab", prefix="TM", include_institution_code=False)
    at = utc(2026, 11, 25, 2)
    assert next_number("lab", institution=hospitals[0], at=at) == "TM-20261125-0001"
    assert next_number("lab", institution=hospitals[1], at=at) == "TM-20261125-0002"
    seq = NumberSequence.objects.get()
    assert seq.institution_id is None and seq.last_value == 2


def test_institution_is_required_when_the_number_names_it() -> None:
    rule()
    with pytest.raises(BusinessError) as info:
        next_number("referral")
    assert info.value.error_code == "NUMBER_INSTITUTION_REQUIRED"
    assert "机构" in info.value.message
    assert not NumberSequence.objects.exists()


def test_overflow_is_a_chinese_error_and_consumes_nothing() -> None:
    rule(code="small", prefix="S", include_institution_code=False, width=2)
    at = utc(2026, 11, 25, 2)
    numbers = [next_number("small", at=at) for _ in range(99)]
    assert numbers[-1] == "S-20261125-99"
    with pytest.raises(BusinessError) as info:
        next_number("small", at=at)
    assert info.value.error_code == "NUMBER_SEQUENCE_OVERFLOW"
    assert "流水号已用尽" in info.value.message
    assert NumberSequence.objects.get().last_value == 99
    assert next_number("small", at=utc(2026, 11, 26, 2)) == "S-20261126-01"  # a new day starts again


def test_a_rolled_back_caller_gives_its_number_back() -> None:
    rule(include_institution_code=False)
    at = utc(2026, 11, 25, 2)
    assert next_number("referral", at=at) == "ZZ-20261125-0001"
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number("referral", at=at) == "ZZ-20261125-0002"
        raise RuntimeError("保存单据失败")
    assert next_number("referral", at=at) == "ZZ-20261125-0002"


def test_unknown_and_inactive_rules() -> None:
    with pytest.raises(BusinessError) as info:
        next_number("nope")
    assert info.value.error_code == "NUMBER_RULE_NOT_FOUND"
    rule(is_active=False, include_institution_code=False)
    with pytest.raises(BusinessError) as info:
        next_number("referral")
    assert info.value.error_code == "NUMBER_RULE_INACTIVE"


def test_preview_does_not_consume(hospitals: tuple[Any, Any]) -> None:
    r = rule()
    at = utc(2026, 11, 25, 2)
    assert preview_number(r, institution=hospitals[0], at=at).number == "ZZ-3209230001-20261125-0001"
    assert preview_number(r, institution=hospitals[0], at=at).number == "ZZ-3209230001-20261125-0001"
    next_number("referral", institution=hospitals[0], at=at)
    preview = preview_number(r, institution=hospitals[0], at=at)
    assert (preview.number, preview.period, preview.sequence) == ("ZZ-3209230001-20261125-0002", "20261125", 2)
    assert NumberSequence.objects.get().last_value == 1


def test_date_part_must_not_be_coarser_than_the_reset() -> None:
    with pytest.raises(ValidationError) as info:
        rule(date_part="YYYYMM", reset="daily")
    assert "日期部分" in str(info.value.message_dict["date_part"])
    rule(code="ok", date_part="YYYYMMDD", reset="yearly")  # finer date than reset is fine


def test_reset_and_institution_setting_are_frozen_once_used(hospitals: tuple[Any, Any]) -> None:
    r = rule()
    r.reset = "yearly"
    r.full_clean()  # not used yet: may change
    r.reset = "daily"
    next_number("referral", institution=hospitals[0])
    r.reset = "yearly"
    with pytest.raises(ValidationError) as info:
        r.full_clean()
    assert "reset" in info.value.message_dict
    r.reset, r.include_institution_code = "daily", False
    with pytest.raises(ValidationError) as info:
        r.full_clean()
    assert "include_institution_code" in info.value.message_dict
    r.include_institution_code, r.width, r.prefix = True, 6, "ZD"
    r.full_clean()  # the look may change
