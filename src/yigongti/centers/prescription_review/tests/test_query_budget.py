"""The hot path stays a handful of queries whatever the prescription (guards against N+1)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yigongti.centers.prescription_review.services_submit import prescription_submit
from yigongti.centers.prescription_review.tests.conftest import payload

pytestmark = pytest.mark.django_db


def _count(rx_world: Any, body: dict[str, Any]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        prescription_submit(institution_id=rx_world.world.home.pk, payload=body, actor=None)
    return len(ctx.captured_queries)


def test_a_passing_prescription_costs_the_same_few_queries_with_one_or_ten_items(
    rx_world: Any, engine_says: Any
) -> None:
    engine_says("pass", None)
    _count(rx_world, payload("WARM"))  # fills the per-process staff/department/config caches

    one = _count(rx_world, payload("RX1"))
    ten = _count(rx_world, payload("RX10", items=[{"drug_code": f"D{i}", "dose": 1, "unit": "片"} for i in range(10)]))

    assert one == ten
    assert one <= 13, one  # lock-or-insert (with its savepoint), version, check, audit row (chain head lock)
