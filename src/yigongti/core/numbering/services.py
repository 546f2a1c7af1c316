"""``next_number``: the one generator of business numbers, safe under concurrency.

The counter row of (rule, institution, period) is incremented with ``UPDATE … SET last_value =
last_value + 1`` and read back in the same transaction. The UPDATE takes the row lock (PostgreSQL)
or the database write lock (SQLite, IMMEDIATE transactions), so two callers never read the same
value. The lock is held until the caller's transaction ends: a rolled-back caller gives its number
back (no gaps), and concurrent callers of the same counter wait for each other — call
``next_number`` late in a transaction, right before saving the row that carries the number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from yigongti.core.errors import BusinessError
from yigongti.core.numbering import choices
from yigongti.core.numbering.models import NumberRule, NumberSequence

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class NumberPreview:
    number: str
    period: str
    sequence: int


def local_date(at: dt.datetime | None = None) -> dt.date:
    """The Asia/Shanghai calendar date of ``at`` (now when omitted; naive values are local time)."""
    moment = at or timezone.now()
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=LOCAL_TZ)
    return moment.astimezone(LOCAL_TZ).date()


def period_key(rule: NumberRule, day: dt.date) -> str:
    pattern = choices.PERIOD_FORMATS[rule.reset]
    return day.strftime(pattern) if pattern else ""


def format_number(rule: NumberRule, *, value: int, day: dt.date, institution_code: str = "") -> str:
    date_pattern = choices.DATE_FORMATS[rule.date_part]
    parts = [
        rule.prefix,
        institution_code if rule.include_institution_code else "",
        day.strftime(date_pattern) if date_pattern else "",
        str(value).zfill(rule.width),
    ]
    return rule.separator.join(p for p in parts if p)


def _rule(rule_code: str) -> NumberRule:
    rule = NumberRule.objects.filter(code=rule_code).first()
    if rule is None:
        raise BusinessError("NUMBER_RULE_NOT_FOUND", f"编号规则「{rule_code}」不存在。")
    if not rule.is_active:
        raise BusinessError("NUMBER_RULE_INACTIVE", f"编号规则「{rule.name}」已停用。")
    return rule


def _counter_owner(rule: NumberRule, institution: Any) -> Any:
    if not rule.include_institution_code:
        return None  # the number does not name the institution: one counter keeps it unique
    if institution is None:
        raise BusinessError(
            "NUMBER_INSTITUTION_REQUIRED",
            f"编号规则「{rule.name}」包含机构编码，生成编号时必须指定机构。",
            fields={"institution": ["请指定机构。"]},
        )
    return institution


def _check_overflow(rule: NumberRule, value: int, period: str) -> None:
    if value >= 10**rule.width:
        when = f"{period} 周期内" if period else ""
        raise BusinessError(
            "NUMBER_SEQUENCE_OVERFLOW",
            f"编号规则「{rule.name}」{when}的流水号已用尽（{rule.width} 位，最大 {10**rule.width - 1}），"
            "请增加流水号位数或联系管理员。",
        )


def next_number(rule_code: str, *, institution: Any = None, at: dt.datetime | None = None) -> str:
    """Issue the next number of ``rule_code`` (consumes it; part of the caller's transaction)."""
    rule = _rule(rule_code)
    owner = _counter_owner(rule, institution)
    day = local_date(at)
    period = period_key(rule, day)
    value = _increment(rule, owner, period)
    if value is None:  # raised outside the atomic block: the caller's transaction stays usable
        _check_overflow(rule, 10**rule.width, period)
    return format_number(rule, value=value or 0, day=day, institution_code=getattr(owner, "code", ""))


def _increment(rule: NumberRule, owner: Any, period: str) -> int | None:
    """The new counter value, or None when the counter is exhausted (nothing is changed then)."""
    counter = NumberSequence.objects.filter(rule=rule, institution=owner, period=period)
    below_max = counter.filter(last_value__lt=10**rule.width - 1)
    # no savepoint on the common path: the UPDATE either applies or changes nothing
    with transaction.atomic(savepoint=False):
        if not below_max.update(last_value=F("last_value") + 1):
            # No row, or the row is at its maximum. Try to create it (a savepoint, first use of a
            # counter only); if it exists — just created by a concurrent caller, or exhausted —
            # the retried UPDATE tells which. (Checking existence first would race the creator.)
            try:
                with transaction.atomic():
                    NumberSequence.objects.create(rule=rule, institution=owner, period=period, last_value=1)
            except IntegrityError:
                if not below_max.update(last_value=F("last_value") + 1):
                    return None
        return counter.values_list("last_value", flat=True).get()


def preview_number(rule: NumberRule, *, institution: Any = None, at: dt.datetime | None = None) -> NumberPreview:
    """The number ``next_number`` would issue now, without consuming it (may be taken meanwhile)."""
    owner = _counter_owner(rule, institution)
    day = local_date(at)
    period = period_key(rule, day)
    last = (
        NumberSequence.objects.filter(rule=rule, institution=owner, period=period)
        .values_list("last_value", flat=True)
        .first()
    )
    value = (last or 0) + 1
    _check_overflow(rule, value, period)
    number = format_number(rule, value=value, day=day, institution_code=getattr(owner, "code", ""))
    return NumberPreview(number=number, period=period, sequence=value)
