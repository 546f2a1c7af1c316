"""Factories for the 双向转诊配置 tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from yigongti.centers.referral.config.models import ReferralSchedule, ReferralSlot


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def make_slot(institution: Any, department: Any, **kw: Any) -> ReferralSlot:
    defaults: dict[str, Any] = {
        "institution": institution,
        "department": department,
        "date": tomorrow(),
        "period": "am",
        "start_time": dt.time(8, 0),
        "end_time": dt.time(11, 30),
        "capacity": 2,
        "kind": "outpatient",
    }
    return ReferralSlot.objects.create(**(defaults | kw))


def make_schedule(institution: Any, department: Any, **kw: Any) -> ReferralSchedule:
    defaults: dict[str, Any] = {
        "institution": institution,
        "department": department,
        "weekdays": [0, 2, 4],
        "start_date": timezone.localdate(),
        "period": "am",
        "start_time": dt.time(8, 0),
        "end_time": dt.time(11, 30),
        "capacity": 5,
        "kind": "outpatient",
    }
    return ReferralSchedule.objects.create(**(defaults | kw))
