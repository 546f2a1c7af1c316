"""The demo contribution of 双向转诊配置: schedules, slots and paths for the demo county."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from yigongti.centers.referral.config import services
from yigongti.centers.referral.config.demo import seed_referral_config
from yigongti.centers.referral.config.models import ReferralPath, ReferralSlot
from yigongti.demo.org_builder import OrgBuilder

pytestmark = pytest.mark.django_db


def test_demo_county_gets_slots_and_paths_that_recommend(db: Any) -> None:
    today = dt.date.today()
    org = OrgBuilder(random.Random(1), today).build()

    counts = seed_referral_config(org, random.Random(2), today)

    lead = org.nodes["lead"].institution
    town = next(n.institution for n in org.nodes.values() if n.tier == "township")
    assert counts["referral_slots"] == ReferralSlot.objects.count() > 0
    assert counts["referral_paths"] == ReferralPath.objects.count()
    assert all(0 <= s.booked <= s.capacity // 2 for s in ReferralSlot.objects.all())
    ranked = services.paths_recommend(from_institution_id=town.pk, diagnosis_code="I21.900", department_code="0100")
    assert [(r["target_institution"], r["target_department_name"], r["match"]) for r in ranked][:3] == [
        (lead.pk, "急诊科", "prefix"),
        (lead.pk, "心血管内科", "prefix"),
        (lead.pk, "", "department"),
    ]
