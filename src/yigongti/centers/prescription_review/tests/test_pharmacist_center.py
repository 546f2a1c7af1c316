"""Pharmacist center (RX-06…RX-08): the end-to-end acceptance path, FIFO grab, multi-level review,
timeout auto-pass, counters, realtime notice."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from yigongti.centers.prescription_review.models import Prescription, ReviewTask, RxCenterConfig
from yigongti.centers.prescription_review.services_tasks import task_timeout_sweep
from yigongti.centers.prescription_review.tests.conftest import payload
from yigongti.core.outbox.dispatcher import outbox_dispatch
from yigongti.core.outbox.models import OutboxDestination, OutboxMessage
from yigongti.core.outbox.testing import FakeReceiver
from yigongti.core.workflow.models import TimelineEntry
from yigongti.platform.notify.models import Message

pytestmark = pytest.mark.django_db


def _webhook(rx_world: Any, url: str) -> None:
    OutboxDestination.objects.create(code="his-home", name="城关镇卫生院 HIS 回调", url=url, max_attempts=3)
    RxCenterConfig.objects.create(institution=rx_world.world.home, webhook_destination="his-home")


def test_end_to_end_reject_with_double_signature_reaches_the_his_by_poll_and_webhook(
    rx_world: Any, engine_says: Any
) -> None:
    # given a HIS with a callback, an on-duty pharmacist and the prescribing doctor
    engine_says("review", "not_recommended")
    pharmacist, workstation = rx_world.pharmacist()
    doctor, console = rx_world.doctor()
    with FakeReceiver() as his_server:
        _webhook(rx_world, his_server.url)
        # when the HIS submits
        submitted = rx_world.submit().json()
        assert (submitted["status"], submitted["final"]) == ("pending_review", False)
        # the pharmacist grabs it and rejects, allowing a double signature
        claimed = workstation.post("/api/v1/rx/tasks/claim")
        assert claimed.status_code == 200, claimed.content
        task_id = claimed.json()["id"]
        assert (claimed.json()["his_id"], claimed.json()["claimed_by"]) == ("RX0001", pharmacist.pk)
        assert claimed.json()["content"]["diagnoses"][0]["code"] == "I10.x00"
        assert claimed.json()["drug_links"] == [
            {"drug_code": "ASP", "name": "阿司匹林肠溶片", "label_path": "/rx/knowledge/drugs?code=ASP"}
        ]
        rejected = workstation.post(
            f"/api/v1/rx/tasks/{task_id}/reject-allow-double-sign", {"comment": "剂量偏大，请确认"}, format="json"
        )
        assert rejected.status_code == 200, rejected.content
        assert (rejected.json()["status"], rejected.json()["reason"], rejected.json()["reviewer"]) == (
            "rejected_double_sign",
            "剂量偏大，请确认",
            pharmacist.pk,
        )
        poll = rx_world.his.api.get("/api/v1/rx/his/prescriptions/RX0001").json()
        assert (poll["status"], poll["final"], poll["task"]["reason"]) == (
            "rejected_double_sign",
            False,
            "剂量偏大，请确认",
        )
        # the doctor double-signs in the console
        actions = console.get(f"/api/v1/rx/tasks/{task_id}/actions").json()
        assert [a["name"] for a in actions] == ["double_sign"]
        signed = console.post(
            f"/api/v1/rx/tasks/{task_id}/double-sign", {"comment": "患者长期服用，耐受良好"}, format="json"
        )
        assert signed.status_code == 200, signed.content
        # then the HIS polls the final verdict …
        final = rx_world.his.api.get("/api/v1/rx/his/prescriptions/RX0001").json()
        assert (final["status"], final["dispensable"], final["final"]) == ("double_signed", True, True)
        assert (final["task"]["double_sign_doctor"], final["task"]["double_sign_reason"]) == (
            doctor.name,
            "患者长期服用，耐受良好",
        )
        # … and receives both verdicts by webhook through the outbox dispatcher
        report = outbox_dispatch(batch=10)
        assert report.delivered == 2
        bodies = [r.json() for r in his_server.requests]
        assert [(b["his_id"], b["status"], b["dispensable"]) for b in bodies] == [
            ("RX0001", "rejected_double_sign", False),
            ("RX0001", "double_signed", True),
        ]
        rx = Prescription.objects.get()
        assert [r.key for r in his_server.requests] == [
            f"rx-{rx.pk}-v1-rejected_double_sign",
            f"rx-{rx.pk}-v1-double_signed",
        ]
    assert list(
        TimelineEntry.objects.filter(workflow="rx_review").order_by("id").values_list("transition", "actor_name")
    ) == [("create", "系统"), ("reject_allow_double_sign", pharmacist.name), ("double_sign", doctor.name)]


def test_timeout_auto_pass_is_recorded_as_such_and_tells_the_his(rx_world: Any, engine_says: Any) -> None:
    engine_says("review", "caution")
    OutboxDestination.objects.create(code="his-home", name="回调", url="http://127.0.0.1:9/x")
    RxCenterConfig.objects.create(
        institution=rx_world.world.home, webhook_destination="his-home", review_timeout_minutes=3
    )
    rx_world.submit()
    task = ReviewTask.objects.get()
    assert 179 <= (task.due_at - task.created_at).total_seconds() <= 181

    assert task_timeout_sweep(now=task.due_at - dt.timedelta(seconds=1)) == 0
    fired = task_timeout_sweep(now=task.due_at + dt.timedelta(seconds=1))

    assert fired == 1
    task.refresh_from_db()
    assert (task.status, task.reason, task.reviewer_id) == ("auto_passed", "超时自动通过", None)
    rx = Prescription.objects.get()
    assert (rx.status, rx.final_at is not None) == ("auto_passed", True)
    entry = TimelineEntry.objects.filter(workflow="rx_review").latest("id")
    assert (entry.transition, entry.actor_id, entry.actor_name) == ("timeout_pass", None, "系统")
    assert entry.comment == "超过 3 分钟无药师处理，系统自动通过（超时熔断）"
    message = OutboxMessage.objects.get()
    assert (message.event, message.payload["status"], message.payload["dispensable"]) == (
        "rx.verdict",
        "auto_passed",
        True,
    )
    assert task_timeout_sweep(now=task.due_at + dt.timedelta(minutes=5)) == 0


def test_claims_are_fifo_one_at_a_time_and_a_decided_task_frees_the_pharmacist(rx_world: Any, engine_says: Any) -> None:
    engine_says("review", "caution")
    for n in range(3):
        rx_world.submit(payload(f"RX{n}"))
    _, first = rx_world.pharmacist()
    _, second = rx_world.pharmacist()

    a = first.post("/api/v1/rx/tasks/claim").json()
    a_again = first.post("/api/v1/rx/tasks/claim").json()
    b = second.post("/api/v1/rx/tasks/claim").json()

    assert (a["his_id"], a_again["id"], b["his_id"]) == ("RX0", a["id"], "RX1")
    passed = first.post(f"/api/v1/rx/tasks/{a['id']}/approve", {"comment": ""}, format="json")
    assert passed.status_code == 200 and passed.json()["status"] == "passed"
    assert first.post("/api/v1/rx/tasks/claim").json()["his_id"] == "RX2"
    assert first.post("/api/v1/rx/tasks/claim").json()["his_id"] == "RX2"
    refused = second.post(f"/api/v1/rx/tasks/{a['id']}/reject", {"comment": "x"}, format="json")
    assert refused.status_code in (403, 409)
    assert Prescription.objects.get(his_id="RX0").status == "passed"


def test_only_the_claimer_decides_and_a_reject_needs_a_reason(rx_world: Any, engine_says: Any) -> None:
    engine_says("review", "caution")
    rx_world.submit()
    _, holder = rx_world.pharmacist()
    _, other = rx_world.pharmacist()
    task_id = holder.post("/api/v1/rx/tasks/claim").json()["id"]

    by_other = other.post(f"/api/v1/rx/tasks/{task_id}/approve", {"comment": ""}, format="json")
    no_reason = holder.post(f"/api/v1/rx/tasks/{task_id}/reject", {"comment": " "}, format="json")

    assert (by_other.status_code, by_other.json()["code"]) == (403, "WORKFLOW_NOT_ACTOR")
    assert (no_reason.status_code, no_reason.json()["code"]) == (400, "COMMENT_REQUIRED")
    assert ReviewTask.objects.get().status == "pending"
    assert Prescription.objects.get().status == "pending_review"


def test_off_duty_pharmacists_cannot_grab(rx_world: Any, engine_says: Any) -> None:
    engine_says("review", "caution")
    rx_world.submit()
    _, client = rx_world.pharmacist(on_duty=False)

    refused = client.post("/api/v1/rx/tasks/claim")
    on = client.post("/api/v1/rx/duties/on-duty")
    claimed = client.post("/api/v1/rx/tasks/claim")

    assert (refused.status_code, refused.json()["code"]) == (409, "RX_OFF_DUTY")
    assert (on.status_code, on.json()["on_duty"]) == (200, True)
    assert claimed.status_code == 200
    off = client.post("/api/v1/rx/duties/off-duty")
    assert off.json()["on_duty"] is False
    assert ReviewTask.objects.get().claimed_by_id is None


def test_highest_severities_need_a_second_pharmacist(rx_world: Any, engine_says: Any) -> None:
    RxCenterConfig.objects.create(institution=rx_world.world.home, second_review_severity="not_recommended")
    engine_says("review", "not_recommended")
    rx_world.submit()
    first_user, first = rx_world.pharmacist()
    second_user, second = rx_world.pharmacist()
    task_id = first.post("/api/v1/rx/tasks/claim").json()["id"]

    single = first.post(f"/api/v1/rx/tasks/{task_id}/approve", {"comment": ""}, format="json")
    escalated = first.post(f"/api/v1/rx/tasks/{task_id}/approve-first", {"comment": "同意"}, format="json")
    own_again = first.post("/api/v1/rx/tasks/claim")
    taken = second.post("/api/v1/rx/tasks/claim").json()
    final = second.post(f"/api/v1/rx/tasks/{task_id}/approve-second", {"comment": "同意"}, format="json")

    assert (single.status_code, single.json()["code"]) == (400, "WORKFLOW_REFUSED")
    assert (escalated.json()["status"], escalated.json()["first_reviewer"]) == ("second_review", first_user.pk)
    assert own_again.status_code == 204
    assert taken["id"] == task_id
    assert (final.json()["status"], final.json()["reviewer"]) == ("passed", second_user.pk)
    assert Prescription.objects.get().status == "passed"


def test_a_new_task_pops_up_for_on_duty_pharmacists_serving_the_institution(
    rx_world: Any, engine_says: Any, django_capture_on_commit_callbacks: Any
) -> None:
    engine_says("review", "caution")
    on_user, _ = rx_world.pharmacist()
    off_user, _ = rx_world.pharmacist(on_duty=False)

    with django_capture_on_commit_callbacks(execute=True):
        rx_world.submit()

    message = Message.objects.get(type__code="rx.task_new")
    assert message.title == "新处方待审：RX0001（内科）"
    assert sorted(message.recipients.values_list("user_id", flat=True)) == [on_user.pk]
    assert off_user.pk != on_user.pk


def test_counters_per_pharmacist_and_institution(rx_world: Any, engine_says: Any) -> None:
    engine_says("review", "caution")
    for n in range(4):
        rx_world.submit(payload(f"RX{n}"))
    user, client = rx_world.pharmacist()
    for action, comment in (("approve", ""), ("reject", "剂量过大"), ("reject-allow-double-sign", "请双签")):
        task_id = client.post("/api/v1/rx/tasks/claim").json()["id"]
        assert (
            client.post(f"/api/v1/rx/tasks/{task_id}/{action}", {"comment": comment}, format="json").status_code == 200
        )

    counters = client.get("/api/v1/rx/tasks/counters").json()

    assert counters["totals"] == {"pending": 1, "reviewed": 3, "rejected": 2, "double_signed": 0, "auto_passed": 0}
    assert counters["institutions"] == [
        {"institution": rx_world.world.home.pk, "pending": 1, "reviewed": 3, "rejected": 2, "double_signed": 0,
         "auto_passed": 0}
    ]  # fmt: skip
    assert [(p["pharmacist"], p["reviewed"], p["rejected"]) for p in counters["pharmacists"]] == [(user.pk, 3, 2)]
    assert timezone.localdate().isoformat() in counters["since"]
