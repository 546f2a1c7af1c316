"""No two pharmacists ever receive the same task (PostgreSQL, threads with their own connections)."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import pytest
from django.db import connection

from yigongti.centers.prescription_review.models import ReviewTask
from yigongti.centers.prescription_review.services_tasks import task_claim_next, task_decide
from yigongti.centers.prescription_review.tests.conftest import payload
from yigongti.platform.accounts.models import User

PHARMACISTS, TASKS = 20, 100


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_pharmacists_grabbing_a_hundred_tasks_get_each_exactly_once(rx_world: Any, engine_says: Any) -> None:
    engine_says("review", "caution")
    for n in range(TASKS):
        assert rx_world.submit(payload(f"RX{n:03d}")).status_code == 201
    users = [rx_world.pharmacist()[0].pk for _ in range(PHARMACISTS)]
    got: dict[int, list[int]] = {u: [] for u in users}
    errors: list[BaseException] = []
    start = threading.Barrier(PHARMACISTS)

    def work(user_id: int) -> None:
        try:
            user = User.objects.get(pk=user_id)
            start.wait()
            while True:
                task = task_claim_next(actor=user)
                if task is None:
                    return
                got[user_id].append(task.pk)
                task_decide(task=task, action="approve", actor=user)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert errors == []
    claimed = [pk for pks in got.values() for pk in pks]
    assert len(claimed) == TASKS
    assert Counter(claimed).most_common(1)[0][1] == 1
    assert set(claimed) == set(ReviewTask.objects.values_list("pk", flat=True))
    assert ReviewTask.objects.filter(status="passed").count() == TASKS
    assert sum(1 for pks in got.values() if pks) > 1  # the work was really shared
