"""Demo contribution: a few hundred visits and one finished comment project."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from yigongti.centers.prescription_review.comment.demo_data import VISITS, build
from yigongti.centers.prescription_review.comment.models import CommentSample, CommentTask, Visit, VisitPrescription
from yigongti.demo.contributions import contributions
from yigongti.demo.org_builder import OrgBuilder

pytestmark = pytest.mark.django_db


def test_demo_builds_visits_and_one_finished_project() -> None:
    today = dt.date(2026, 4, 15)
    org = OrgBuilder(random.Random(1), today).build()

    counts = build(org, random.Random(2), today)

    assert counts == {"rx_comment_visits": VISITS, "rx_comment_prescriptions": VISITS, "rx_comment_samples": 120}
    assert Visit.objects.count() == VISITS
    assert VisitPrescription.objects.filter(prescribed_at__date__gte=dt.date(2026, 3, 1),
                                            prescribed_at__date__lte=dt.date(2026, 3, 31)).count() == VISITS  # fmt: skip
    task = CommentTask.objects.get()
    assert task.status == "finished"
    samples = CommentSample.objects.filter(task=task)
    assert samples.filter(status="judged").count() == 120
    assert samples.filter(precheck_status="done").count() == 120
    assert (
        samples.filter(result="unreasonable", prescription__drug_count__gt=5).count()
        == samples.filter(prescription__drug_count__gt=5).count()
    )
    assert "rx_comment" in [c.name for c in contributions()]
