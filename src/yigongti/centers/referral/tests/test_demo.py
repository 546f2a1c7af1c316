"""The demo contribution of 双向转诊: referrals in every branch, made through the services."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from yigongti.centers.referral.demo import seed_referrals
from yigongti.centers.referral.models import Referral
from yigongti.core.workflow.models import TimelineEntry
from yigongti.demo.accounts import create_demo_users
from yigongti.demo.org_builder import OrgBuilder
from yigongti.demo.residents import create_residents

pytestmark = pytest.mark.django_db


def test_demo_referrals_cover_the_workflow_with_timelines(db: Any) -> None:
    today = timezone.localdate()
    org = OrgBuilder(random.Random(1), today).build()
    create_demo_users(org=org, rng=random.Random(2), staff_accounts=True)
    create_residents(org=org, count=150, rng=random.Random(3), today=today)

    counts = seed_referrals(org, random.Random(4), today, count=60)

    referrals: list[Any] = list(Referral.objects.all())
    assert counts == {"referrals": 60} and len(referrals) == 60
    statuses = Counter(r.status for r in referrals)
    assert {"draft", "submitted", "arranged", "closed"} <= set(statuses)
    assert len(statuses) >= 8
    content_type = ContentType.objects.get_for_model(Referral)
    timeline = Counter(TimelineEntry.objects.filter(content_type=content_type).values_list("object_id", flat=True))
    assert all(timeline[str(r.pk)] >= 1 for r in referrals)
    closed = [r for r in referrals if r.status == "closed"]
    assert all(r.submitted_at < r.arranged_at < r.received_at < r.closed_at <= timezone.now() for r in closed)
    assert all(r.planned_at > timezone.now() for r in referrals if r.status == "arranged")
    assert {(r.direction, r.from_institution_id != r.to_institution_id) for r in referrals} == {
        ("up", True),
        ("down", True),
    }
    assert min(r.submitted_at for r in closed) < timezone.now() - dt.timedelta(days=1)
