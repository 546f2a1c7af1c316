"""enqueue_on_commit, retries with exponential backoff, failed tasks and their re-run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import transaction
from huey.contrib.djhuey import HUEY

from yigongti.core.audit.models import AuditLog
from yigongti.core.jobs import backoff_delay, enqueue_on_commit, enqueue_once_on_commit
from yigongti.core.outbox.models import FailedTask
from yigongti.core.outbox.services import failed_task_record
from yigongti.core.outbox.tests import sample_tasks
from yigongti.core.testing.api import assert_error

pytestmark = pytest.mark.django_db
URL = "/api/v1/jobs/failed-tasks"
FLAKY = "yigongti.core.outbox.tests.sample_tasks.flaky"


@pytest.fixture(autouse=True)
def _clean_queue() -> Iterator[None]:
    HUEY.flush()
    sample_tasks.CALLS.clear()
    sample_tasks.FAILURES["remaining"] = 0
    yield
    HUEY.flush()


def run_scheduled() -> list[dt.datetime]:
    """Play the consumer: run every scheduled retry now; return their planned times."""
    tasks = HUEY.read_schedule(dt.datetime(2100, 1, 1))
    planned = [t.eta for t in tasks]
    for task in tasks:
        HUEY.execute(task, timestamp=task.eta)  # the consumer runs it once its time has come
    return planned


def test_enqueue_on_commit_waits_for_the_commit(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit(sample_tasks.remember, "a")
        assert sample_tasks.CALLS == []
    assert sample_tasks.CALLS == [("remember", "a")]


def test_nothing_is_enqueued_when_the_transaction_rolls_back(django_capture_on_commit_callbacks: Any) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue_on_commit(sample_tasks.remember, "lost")
        raise RuntimeError("回滚")
    assert callbacks == []
    assert sample_tasks.CALLS == []


def test_enqueue_once_per_transaction(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for value in "abc":
            enqueue_once_on_commit("remember", sample_tasks.remember, value)
    assert len(callbacks) == 1
    assert sample_tasks.CALLS == [("remember", "a")]


def test_backoff_delay() -> None:
    assert [backoff_delay(n, base=30, jitter=0) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff_delay(20, base=30, max_delay=3600, jitter=0) == 3600
    assert 27 <= backoff_delay(1, base=30) <= 33


def test_retries_back_off_then_the_failure_is_recorded() -> None:
    sample_tasks.FAILURES["remaining"] = 10
    start = dt.datetime.now(dt.UTC).replace(tzinfo=None)  # Huey keeps naive UTC times
    sample_tasks.flaky(7, note="转诊单 ZZ-0001")
    (first_eta,) = run_scheduled()  # attempt 1 failed → retry planned after 10 s
    (second_eta,) = run_scheduled()  # attempt 2 failed → after 20 s
    assert run_scheduled() == []  # attempt 3 failed: no retries left
    assert 9 < (first_eta - start).total_seconds() < 12
    assert 19 < (second_eta - start).total_seconds() < 23
    assert len(sample_tasks.CALLS) == 3
    failed = FailedTask.objects.get()
    assert failed.task_name == FLAKY
    assert failed.args == [7] and failed.kwargs == {"note": "转诊单 ZZ-0001"}
    assert failed.rerunnable and failed.retries_used == 2 and not failed.resolved
    assert failed.error == "RuntimeError: 对方系统暂不可用"
    assert "Traceback" in failed.traceback and "flaky" in failed.traceback


def test_a_task_that_recovers_leaves_no_record() -> None:
    sample_tasks.FAILURES["remaining"] = 1
    sample_tasks.flaky(8)
    run_scheduled()
    assert len(sample_tasks.CALLS) == 2
    assert not FailedTask.objects.exists()


def test_arguments_that_are_not_json_are_not_rerunnable() -> None:
    task = SimpleNamespace(args=(dt.date(2026, 11, 25),), kwargs={}, id="abc", retries=0)
    failed = failed_task_record(task=task, exc=ValueError("x"))
    assert failed.rerunnable is False
    assert failed.args == ["2026-11-25"]


def _failed_flaky(api_world: Any) -> FailedTask:
    sample_tasks.FAILURES["remaining"] = 3
    sample_tasks.flaky(9, note="n")
    run_scheduled()
    run_scheduled()
    return FailedTask.objects.get()


def test_rerun_enqueues_the_same_task_and_resolves_it(api_world: Any, django_capture_on_commit_callbacks: Any) -> None:
    failed = _failed_flaky(api_world)
    sample_tasks.CALLS.clear()
    client = api_world.client_for(["jobs.failed_task.view", "jobs.failed_task.rerun"], scope="all")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{URL}/{failed.pk}/rerun")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["rerun_count"] == 1 and body["rerun_by"] == api_world.last_user.username
    assert sample_tasks.CALLS == [("flaky", 9, "n")]  # same arguments
    failed.refresh_from_db()
    assert failed.resolved and failed.resolved_at is not None
    assert FailedTask.objects.count() == 1
    log = AuditLog.objects.get(object_type="outbox.failedtask", category="update")
    assert log.after["rerun_count"] == 1 and log.user_code == api_world.last_user.username
    assert_error(client.post(f"{URL}/{failed.pk}/rerun"), 409, "FAILED_TASK_RESOLVED")


def test_a_rerun_that_fails_again_updates_the_same_row(api_world: Any, django_capture_on_commit_callbacks: Any) -> None:
    failed = _failed_flaky(api_world)
    sample_tasks.FAILURES["remaining"] = 10
    client = api_world.client_for(["jobs.failed_task.rerun"], scope="all")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{URL}/{failed.pk}/rerun").status_code == 200
    run_scheduled()
    run_scheduled()
    assert FailedTask.objects.count() == 1
    failed.refresh_from_db()
    assert failed.rerun_count == 1 and not failed.resolved
    assert failed.failed_at is not None and "对方系统暂不可用" in failed.error


def test_rerun_needs_the_rerun_code_and_the_all_scope(api_world: Any) -> None:
    failed = _failed_flaky(api_world)
    viewer = api_world.client_for(["jobs.failed_task.view"], scope="all")
    assert_error(viewer.post(f"{URL}/{failed.pk}/rerun"), 403, "PERMISSION_DENIED")
    local_admin = api_world.client_for(["jobs.failed_task.view", "jobs.failed_task.rerun"], scope="institution")
    assert local_admin.get(f"{URL}/{failed.pk}").status_code == 200
    assert_error(local_admin.post(f"{URL}/{failed.pk}/rerun"), 404, "NOT_FOUND")
    failed.refresh_from_db()
    assert failed.rerun_count == 0


def test_rerun_refuses_unknown_and_foreign_tasks(api_world: Any) -> None:
    client = api_world.client_for(["jobs.failed_task.rerun"], scope="all")
    common = {"task_id": "x", "error": "e", "failed_at": dt.datetime(2026, 11, 25, tzinfo=dt.UTC)}
    gone = FailedTask.objects.create(task_name="yigongti.core.outbox.tests.sample_tasks.renamed", **common)
    foreign = FailedTask.objects.create(task_name="os.system", **common)
    opaque = FailedTask.objects.create(task_name=FLAKY, rerunnable=False, **common)
    assert_error(client.post(f"{URL}/{gone.pk}/rerun"), 400, "FAILED_TASK_UNKNOWN")
    assert_error(client.post(f"{URL}/{foreign.pk}/rerun"), 400, "FAILED_TASK_UNKNOWN")
    assert_error(client.post(f"{URL}/{opaque.pk}/rerun"), 400, "FAILED_TASK_NOT_RERUNNABLE")
    assert not FailedTask.objects.filter(rerun_count__gt=0).exists()


def test_the_dispatch_jobs_are_registered() -> None:
    import yigongti.core.outbox.tasks
    import yigongti.core.tasks  # noqa: F401 — the consumer imports every app's tasks module

    names = {t.__name__ for t in HUEY._registry._periodic_tasks}
    assert {"outbox_dispatch_periodic", "worker_heartbeat"} <= names
