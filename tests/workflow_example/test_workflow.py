"""The workflow mechanism, proved on the example 请假申请 (``tests.workflow_example``).

Flat given/when/then tests with exact values; every refusal asserts that nothing was written:
no state change, no timeline row, no audit row, no message.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from tests.workflow_example.models import LeaveRequest
from yigongti.core.audit.models import AuditLog
from yigongti.core.errors import BusinessError
from yigongti.core.testing import contract
from yigongti.core.testing.api import assert_error
from yigongti.core.workflow import hooks
from yigongti.core.workflow.hooks import TransitionEvent, disconnect, on_transition
from yigongti.core.workflow.models import ApprovalSetting, TimelineEntry, WorkflowTimer
from yigongti.core.workflow.services import workflow_start, workflow_transition
from yigongti.core.workflow.timers import fire_due_timers
from yigongti.platform.testing import build_world, make_role, make_user

pytestmark = [pytest.mark.urls("tests.workflow_example.urls")]

VIEW, ADD = "workflow_example.leave.view", "workflow_example.leave.add"
SUBMIT, REVIEW, ARRANGE = (
    "workflow_example.leave.submit",
    "workflow_example.leave.review",
    "workflow_example.leave.arrange",
)
URL = "/api/v1/workflow-example/leave-requests"


@pytest.fixture(autouse=True)
def _contract_with_example_urls() -> None:
    """The contract is cached per process; make sure it was built from the URLconf with the example."""
    paths, _ = contract._contract()
    if not any(p.match(f"{URL}/1/submit") for p, _ops in paths):
        contract._contract.cache_clear()
        contract._validators.clear()


@pytest.fixture
def events(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Only this receiver listens (other apps' subscribers, e.g. notify, are tested by their owners)."""
    monkeypatch.setattr(hooks, "_receivers", [])
    received: list[TransitionEvent] = []
    on_transition(received.append)
    yield received
    disconnect(received.append)


def client(user: Any) -> APIClient:
    c = APIClient()
    c.force_login(user)
    return c


def make_leave(owner: Any, **kw: Any) -> LeaveRequest:
    return LeaveRequest.objects.create(institution=owner.institution, owner=owner, title="家中有事", **kw)


def business_audit() -> list[tuple[str, Any, Any]]:
    rows = AuditLog.objects.filter(object_type="workflow_example.leaverequest").order_by("created_at", "id")
    return [(r.action, r.before, r.after) for r in rows]


def rows(leave: LeaveRequest) -> list[tuple[Any, ...]]:
    return [
        (e.transition, e.from_state, e.to_state, e.actor_id, e.actor_name, e.comment, e.attachments, e.data)
        for e in TimelineEntry.objects.filter(object_id=str(leave.pk)).order_by("at", "id")
    ]


def assert_nothing_written(leave: LeaveRequest, status: str, events: list[TransitionEvent]) -> None:
    leave.refresh_from_db()
    assert leave.status == status
    assert TimelineEntry.objects.filter(object_id=str(leave.pk)).count() == 0
    assert business_audit() == []
    assert WorkflowTimer.objects.count() == 0
    assert events == []


# -- the happy path through the API -------------------------------------------------------------
def test_each_step_writes_exactly_one_timeline_row_and_audit_row(
    api_world: Any, events: list[TransitionEvent], django_capture_on_commit_callbacks: Any
) -> None:
    # given an owner and a reviewer of the same institution, and a draft
    owner = make_user(api_world.home, [VIEW, ADD, SUBMIT], name="张医生")
    reviewer = make_user(api_world.home, [VIEW, REVIEW, ARRANGE], name="李主任")
    created = client(owner).post(URL, {"institution": api_world.home.pk, "title": "家中有事", "days": 3})
    assert created.status_code == 201, created.content
    leave = LeaveRequest.objects.get(pk=created.json()["id"])
    start = timezone.now() + dt.timedelta(days=1)

    # when the owner sees what they may do, submits, and the reviewer approves, arranges and closes
    assert [a["name"] for a in client(owner).get(f"{URL}/{leave.pk}/actions").json()] == ["submit", "cancel"]
    assert client(reviewer).get(f"{URL}/{leave.pk}/actions").json() == []
    with django_capture_on_commit_callbacks(execute=True):
        submitted = client(owner).post(f"{URL}/{leave.pk}/submit", {"comment": "请批准", "attachments": [7, 9]})
        actions = client(reviewer).get(f"{URL}/{leave.pk}/actions").json()
        approved = client(reviewer).post(f"{URL}/{leave.pk}/approve", {})
        arranged = client(reviewer).post(
            f"{URL}/{leave.pk}/arrange", {"data": {"start_at": start.isoformat(), "handover_to": "王医生"}}
        )
        finished = client(reviewer).post(f"{URL}/{leave.pk}/finish", {"comment": "已返岗"})

    # then every answer is the serialized record in its new state
    assert [r.status_code for r in (submitted, approved, arranged, finished)] == [200, 200, 200, 200]
    assert [r.json()["status"] for r in (submitted, approved, arranged, finished)] == [
        "submitted", "reviewed", "arranged", "closed",
    ]  # fmt: skip
    assert actions == [
        {"name": "approve", "path": "approve", "label": "审核通过", "requires_comment": False, "has_data": False},
        {"name": "reject", "path": "reject", "label": "驳回", "requires_comment": True, "has_data": False},
    ]
    leave.refresh_from_db()
    assert (leave.start_at, leave.handover_to) == (start, "王医生")
    assert leave.submitted_at < leave.reviewed_at < leave.arranged_at < leave.closed_at
    assert leave.updated_by_id == reviewer.pk
    # one timeline row per transition, with who, from, to, comment, attachments and data
    assert rows(leave) == [
        ("submit", "draft", "submitted", owner.pk, "张医生", "请批准", [7, 9], {}),
        ("approve", "submitted", "reviewed", reviewer.pk, "李主任", "", [], {}),
        ("arrange", "reviewed", "arranged", reviewer.pk, "李主任", "", [], {"start_at": timezone.localtime(start).isoformat(), "handover_to": "王医生"}),
        ("finish", "arranged", "closed", reviewer.pk, "李主任", "已返岗", [], {}),
    ]  # fmt: skip
    timeline = client(owner).get(f"{URL}/{leave.pk}/timeline").json()
    assert [(t["transition_label"], t["from_state_label"], t["to_state_label"]) for t in timeline] == [
        ("提交", "草稿", "已提交"), ("审核通过", "已提交", "已审核"), ("安排代班", "已审核", "已安排"), ("销假", "已安排", "已结束"),
    ]  # fmt: skip
    assert {t["actor_institution_name"] for t in timeline} == {"城关镇卫生院"}
    assert not any(t["is_system"] for t in timeline)
    # one audit row (业务日志, 修改) per transition, before/after limited to what changed
    audit = business_audit()
    assert [a for a, _b, _c in audit] == [
        "workflow_example.leaverequest.create",
        "workflow_example.leaverequest.submit",
        "workflow_example.leaverequest.approve",
        "workflow_example.leaverequest.arrange",
        "workflow_example.leaverequest.finish",
    ]
    assert audit[1][1]["status"] == "draft" and audit[1][2]["status"] == "submitted"
    assert audit[1][1]["submitted_at"] is None and audit[1][2]["submitted_at"] == leave.submitted_at.isoformat()
    log = AuditLog.objects.get(action="workflow_example.leaverequest.submit")
    assert (log.log_type, log.category, log.user_code, log.project) == (
        "business",
        "update",
        owner.username,
        "流程示例",
    )
    assert log.content == "提交：家中有事（草稿 → 已提交），意见：请批准"
    # messages fired after commit, in order
    assert [(e.transition, e.message, e.actor_id) for e in events] == [
        ("submit", "leave.submitted", owner.pk),
        ("approve", "leave.approved", reviewer.pk),
        ("arrange", "leave.arranged", reviewer.pk),
        ("finish", "", reviewer.pk),
    ]
    # the timer of "arranged" was scheduled and then cancelled when the state was left
    timer = WorkflowTimer.objects.get()
    assert (timer.state, timer.transition, timer.due_at) == ("arranged", "expire", start + dt.timedelta(hours=2))
    assert timer.cancelled_at is not None and timer.fired_at is None


def test_workflow_start_writes_a_creation_row(api_world: Any) -> None:
    owner = make_user(api_world.home, [VIEW], name="张医生")
    leave = make_leave(owner)
    workflow_start(leave, actor=owner)
    assert rows(leave) == [("create", "", "draft", owner.pk, "张医生", "", [], {})]


# -- refusals write nothing ---------------------------------------------------------------------
def test_wrong_state_is_409_and_writes_nothing(api_world: Any, events: list[TransitionEvent]) -> None:
    owner = make_user(api_world.home, [VIEW, SUBMIT, ARRANGE])
    leave = make_leave(owner)
    response = client(owner).post(f"{URL}/{leave.pk}/finish", {})
    body = assert_error(response, 409, "INVALID_STATE")
    assert body["message"] == "当前状态（草稿）不允许执行“销假”"
    assert_nothing_written(leave, "draft", events)


def test_missing_permission_is_403_and_writes_nothing(api_world: Any, events: list[TransitionEvent]) -> None:
    owner = make_user(api_world.home, [VIEW])
    leave = make_leave(owner)
    assert_error(client(owner).post(f"{URL}/{leave.pk}/submit", {}), 403, "PERMISSION_DENIED")
    assert client(owner).get(f"{URL}/{leave.pk}/actions").json() == []
    with pytest.raises(Exception, match="权限"):
        workflow_transition(leave, "submit", actor=owner)
    assert_nothing_written(leave, "draft", events)


def test_colleague_who_is_not_the_owner_may_not_submit(api_world: Any, events: list[TransitionEvent]) -> None:
    owner = make_user(api_world.home, [VIEW, SUBMIT])
    colleague = make_user(api_world.home, [VIEW, SUBMIT])
    leave = make_leave(owner)
    body = assert_error(client(colleague).post(f"{URL}/{leave.pk}/submit", {}), 403, "WORKFLOW_NOT_ACTOR")
    assert body["message"] == "您不能对该记录执行“提交”。"
    assert_nothing_written(leave, "draft", events)


def test_system_only_transition_has_no_endpoint_and_is_refused_to_people(
    api_world: Any, events: list[TransitionEvent]
) -> None:
    owner = make_user(api_world.home, [VIEW, SUBMIT, REVIEW, ARRANGE])
    leave = make_leave(owner, status="arranged")
    assert_error(client(owner).post(f"{URL}/{leave.pk}/expire", {}), 404, "NOT_FOUND")
    with pytest.raises(Exception, match="由系统自动执行"):
        workflow_transition(leave, "expire", actor=owner)
    assert_nothing_written(leave, "arranged", events)


def test_outsider_institution_gets_404_and_writes_nothing(api_world: Any, events: list[TransitionEvent]) -> None:
    owner = make_user(api_world.home, [VIEW, SUBMIT])
    outsider = make_user(api_world.other, [VIEW, SUBMIT, REVIEW])
    leave = make_leave(owner)
    for path in ("submit", "approve"):
        body = assert_error(client(outsider).post(f"{URL}/{leave.pk}/{path}", {}), 404, "NOT_FOUND")
        assert body["message"] == "记录不存在或无权访问。"
    assert_error(client(outsider).get(f"{URL}/{leave.pk}/timeline"), 404, "NOT_FOUND")
    assert_error(client(outsider).get(f"{URL}/{leave.pk}/actions"), 404, "NOT_FOUND")
    with pytest.raises(Exception, match="不存在或无权访问"):
        workflow_transition(leave, "submit", actor=outsider)
    assert_nothing_written(leave, "draft", events)


def test_guard_refusal_is_a_chinese_400_and_writes_nothing(api_world: Any, events: list[TransitionEvent]) -> None:
    owner = make_user(api_world.home, [VIEW, SUBMIT])
    leave = make_leave(owner, days=31)
    body = assert_error(client(owner).post(f"{URL}/{leave.pk}/submit", {}), 400, "WORKFLOW_REFUSED")
    assert body["message"] == "请假天数超过 30 天，不能提交"
    assert [a["name"] for a in client(owner).get(f"{URL}/{leave.pk}/actions").json()] == ["cancel"]
    assert_nothing_written(leave, "draft", events)


def test_required_comment(api_world: Any, events: list[TransitionEvent]) -> None:
    owner = make_user(api_world.home, [VIEW])
    reviewer = make_user(api_world.home, [VIEW, REVIEW])
    leave = make_leave(owner, status="submitted")
    body = assert_error(client(reviewer).post(f"{URL}/{leave.pk}/reject", {"comment": "  "}), 400, "COMMENT_REQUIRED")
    assert body == {
        "code": "COMMENT_REQUIRED",
        "message": "请填写“驳回”的意见或原因。",
        "fields": {"comment": ["该项为必填项。"]},
    }
    assert_nothing_written(leave, "submitted", events)

    response = client(reviewer).post(f"{URL}/{leave.pk}/reject", {"comment": "科室人手不足"})
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert rows(leave) == [("reject", "submitted", "rejected", reviewer.pk, reviewer.name, "科室人手不足", [], {})]


def test_invalid_transition_data_is_400_and_writes_nothing(api_world: Any, events: list[TransitionEvent]) -> None:
    reviewer = make_user(api_world.home, [VIEW, ARRANGE])
    leave = make_leave(reviewer, status="reviewed")
    body = assert_error(
        client(reviewer).post(f"{URL}/{leave.pk}/arrange", {"data": {"handover_to": "王医生"}}), 400, "VALIDATION_ERROR"
    )
    assert list(body["fields"]["data"]) == ["start_at"]
    assert_nothing_written(leave, "reviewed", events)


# -- approval settings per institution ----------------------------------------------------------
def test_disabled_review_step_is_passed_by_the_system(
    api_world: Any, events: list[TransitionEvent], django_capture_on_commit_callbacks: Any
) -> None:
    # given the home institution switched its review off (免审); the other institution did not
    ApprovalSetting.objects.create(workflow="leave", step="review", institution=api_world.home, enabled=False)
    owner = make_user(api_world.home, [VIEW, SUBMIT], name="张医生")
    leave = make_leave(owner)
    # when the owner submits
    with django_capture_on_commit_callbacks(execute=True):
        response = client(owner).post(f"{URL}/{leave.pk}/submit", {})
    # then the system approved it at once, with its own timeline row and message
    assert response.status_code == 200 and response.json()["status"] == "reviewed"
    assert rows(leave) == [
        ("submit", "draft", "submitted", owner.pk, "张医生", "", [], {}),
        ("approve", "submitted", "reviewed", None, "系统", "免审，自动通过", [], {}),
    ]
    assert [t["is_system"] for t in client(owner).get(f"{URL}/{leave.pk}/timeline").json()] == [False, True]
    assert [(e.message, e.system) for e in events] == [("leave.submitted", False), ("leave.approved", True)]
    assert AuditLog.objects.get(action="workflow_example.leaverequest.approve").user_code == "system"
    # and a request of the other institution still waits for review
    elsewhere = make_user(api_world.other, [VIEW, SUBMIT])
    other_leave = make_leave(elsewhere)
    assert workflow_transition(other_leave, "submit", actor=elsewhere).status == "submitted"


def test_auto_approve_keeps_the_step_but_the_system_passes_it(api_world: Any) -> None:
    ApprovalSetting.objects.create(workflow="leave", step="review", institution=api_world.home, auto_approve=True)
    owner = make_user(api_world.home, [VIEW, SUBMIT])
    leave = workflow_transition(make_leave(owner), "submit", actor=owner)
    assert leave.status == "reviewed"
    assert [r[:6] for r in rows(leave)][1] == ("approve", "submitted", "reviewed", None, "系统", "自动审批通过")


def test_approver_role_is_enforced(api_world: Any, events: list[TransitionEvent]) -> None:
    # given the review step may only be decided by holders of the 科主任 role
    head = make_role([VIEW, REVIEW], name="科主任")
    ApprovalSetting.objects.create(workflow="leave", step="review", institution=api_world.home, approver_role=head)
    owner = make_user(api_world.home, [VIEW])
    plain_reviewer = make_user(api_world.home, [VIEW, REVIEW])
    chief = make_user(api_world.home, None)
    chief.roles.add(head)
    leave = make_leave(owner, status="submitted")
    # when someone with the permission but without the role tries
    body = assert_error(client(plain_reviewer).post(f"{URL}/{leave.pk}/approve", {}), 403, "WORKFLOW_NOT_APPROVER")
    assert body["message"] == "您不是本机构“科室审核”环节的审批人。"
    assert client(plain_reviewer).get(f"{URL}/{leave.pk}/actions").json() == []
    assert_nothing_written(leave, "submitted", events)
    # then only the role holder may decide
    assert [a["name"] for a in client(chief).get(f"{URL}/{leave.pk}/actions").json()] == ["approve", "reject"]
    assert client(chief).post(f"{URL}/{leave.pk}/approve", {}).json()["status"] == "reviewed"


# -- timers -------------------------------------------------------------------------------------
def arranged_leave(api_world: Any, start: dt.datetime) -> tuple[LeaveRequest, Any]:
    reviewer = make_user(api_world.home, [VIEW, REVIEW, ARRANGE])
    leave = make_leave(reviewer, status="reviewed")
    leave = workflow_transition(
        leave, "arrange", actor=reviewer, data={"start_at": start.isoformat(), "handover_to": "王医生"}
    )
    return leave, reviewer


def test_timer_fires_the_declared_transition_when_due(
    api_world: Any, events: list[TransitionEvent], django_capture_on_commit_callbacks: Any
) -> None:
    # given an arranged leave whose start is in an hour: the timer is due 2 hours after the start
    start = timezone.now() + dt.timedelta(hours=1)
    leave, _ = arranged_leave(api_world, start)
    timer = WorkflowTimer.objects.get()
    assert (timer.workflow, timer.state, timer.transition, timer.due_at) == (
        "leave", "arranged", "expire", start + dt.timedelta(hours=2),
    )  # fmt: skip
    # when the timers run before the due time, nothing happens
    assert str(fire_due_timers()) == "执行 0 个，关闭 0 个（已不适用），失败 0 个，跳过 0 个"
    # when the due time has passed and the command runs
    WorkflowTimer.objects.filter(pk=timer.pk).update(due_at=timezone.now() - dt.timedelta(minutes=1))
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("workflow-timers", "--once", stdout=out)
    # then the system performed the transition, with its own timeline row and message
    assert out.getvalue().strip() == "流程定时器：执行 1 个，关闭 0 个（已不适用），失败 0 个，跳过 0 个。"
    leave.refresh_from_db()
    assert leave.status == "expired"
    assert rows(leave)[-1] == (
        "expire",
        "arranged",
        "expired",
        None,
        "系统",
        "超过计划开始时间未销假，自动作废",
        [],
        {},
    )
    timer.refresh_from_db()
    assert (timer.attempts, timer.cancelled_at, timer.last_error) == (1, None, "")
    assert timer.fired_at is not None
    assert [e.message for e in events] == ["leave.expired"]
    # and running again is a no-op (idempotent)
    call_command("workflow-timers", "--once", stdout=io.StringIO())
    assert len(rows(leave)) == 2


def test_timer_is_cancelled_when_the_state_is_left_first(api_world: Any) -> None:
    leave, reviewer = arranged_leave(api_world, timezone.now() + dt.timedelta(hours=1))
    workflow_transition(leave, "finish", actor=reviewer)
    WorkflowTimer.objects.update(due_at=timezone.now() - dt.timedelta(minutes=1))
    report = fire_due_timers()
    assert (report.fired, report.closed, report.failed) == (0, 0, 0)
    leave.refresh_from_db()
    assert leave.status == "closed"
    assert WorkflowTimer.objects.get().cancelled_at is not None


def test_timer_whose_transition_no_longer_applies_is_closed_without_error(api_world: Any) -> None:
    # given a stale open timer (e.g. left behind by a repair) for a request that is already closed
    owner = make_user(api_world.home, [VIEW])
    leave = make_leave(owner, status="closed")
    from django.contrib.contenttypes.models import ContentType

    timer = WorkflowTimer.objects.create(
        content_type=ContentType.objects.get_for_model(LeaveRequest), object_id=str(leave.pk), workflow="leave",
        state="arranged", transition="expire", due_at=timezone.now() - dt.timedelta(minutes=1),
    )  # fmt: skip
    report = fire_due_timers()
    assert (report.fired, report.closed, report.failed) == (0, 1, 0)
    timer.refresh_from_db()
    assert timer.fired_at is None and timer.cancelled_at is not None
    assert timer.last_error == "当前状态（已结束）不允许执行“逾期作废”"
    assert rows(leave) == []


def test_periodic_task_fires_due_timers(api_world: Any) -> None:
    from yigongti.core.workflow.tasks import workflow_fire_timers

    leave, _ = arranged_leave(api_world, timezone.now() - dt.timedelta(hours=3))
    workflow_fire_timers.call_local()
    leave.refresh_from_db()
    assert leave.status == "expired"


# -- messages only after commit -----------------------------------------------------------------
def test_messages_are_published_only_after_commit(
    api_world: Any, events: list[TransitionEvent], django_capture_on_commit_callbacks: Any
) -> None:
    owner = make_user(api_world.home, [VIEW, SUBMIT])
    leave = make_leave(owner)
    with django_capture_on_commit_callbacks() as callbacks:
        workflow_transition(leave, "submit", actor=owner, comment="请批准")
        assert events == []  # not before the commit
    for callback in callbacks:
        callback()
    assert [(e.workflow, e.transition, e.message, e.from_state, e.to_state, e.comment) for e in events] == [
        ("leave", "submit", "leave.submitted", "draft", "submitted", "请批准")
    ]
    assert events[0].timeline_id == TimelineEntry.objects.get().pk
    assert events[0].object_type == "workflow_example.leaverequest" and events[0].object_id == str(leave.pk)


def test_rolled_back_transition_publishes_nothing_and_writes_nothing(
    api_world: Any, events: list[TransitionEvent], django_capture_on_commit_callbacks: Any
) -> None:
    owner = make_user(api_world.home, [VIEW, SUBMIT])
    leave = make_leave(owner)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        workflow_transition(leave, "submit", actor=owner)
        raise RuntimeError("the caller's transaction fails later")
    assert callbacks == []
    assert_nothing_written(leave, "draft", events)


# -- concurrency (PostgreSQL) -------------------------------------------------------------------
def race(call: Any, times: int = 2) -> list[Any]:
    """Run ``call`` in ``times`` threads released together; each outcome or error code."""
    barrier, outcomes = threading.Barrier(times), []

    def run() -> None:
        try:
            barrier.wait()
            outcomes.append(call())
        except BusinessError as exc:
            outcomes.append(exc.error_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_succeeds_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only meaningful on PostgreSQL")
    owner = make_user(build_world().home, [VIEW, SUBMIT])
    leave = make_leave(owner)
    outcomes = race(lambda: workflow_transition(LeaveRequest.objects.get(pk=leave.pk), "submit", actor=owner).status)
    assert sorted(outcomes) == ["INVALID_STATE", "submitted"]
    assert TimelineEntry.objects.filter(object_id=str(leave.pk)).count() == 1
    assert AuditLog.objects.filter(action="workflow_example.leaverequest.submit").count() == 1
    leave.refresh_from_db()
    assert leave.status == "submitted"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_timer_runs_fire_a_timer_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only meaningful on PostgreSQL")
    world = SimpleNamespace(home=build_world().home)
    leave, _ = arranged_leave(world, timezone.now() - dt.timedelta(hours=3))
    reports = race(fire_due_timers, times=3)
    assert sum(r.fired for r in reports) == 1 and sum(r.failed + r.closed for r in reports) == 0
    assert [r[0] for r in rows(leave)] == ["arrange", "expire"]
    leave.refresh_from_db()
    assert leave.status == "expired"


# -- in-transaction receivers -------------------------------------------------------------------
def test_in_transaction_receiver_failure_undoes_the_transition_and_success_sees_the_row(
    api_world: Any, events: list[TransitionEvent], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hooks, "_transaction_receivers", [])
    owner = make_user(api_world.home, [VIEW, SUBMIT])
    refused = make_leave(owner)

    def refuse(event: TransitionEvent) -> None:
        raise RuntimeError("下游写入失败")

    hooks.on_transition_in_transaction(refuse)
    with pytest.raises(RuntimeError, match="下游写入失败"):
        workflow_transition(refused, "submit", actor=owner)
    assert_nothing_written(refused, "draft", events)
    hooks.disconnect(refuse)
    assert hooks.transaction_receivers() == []

    seen: list[tuple[str, bool, bool]] = []

    def record(event: TransitionEvent) -> None:
        in_block = not transaction.get_autocommit()
        seen.append((event.transition, in_block, TimelineEntry.objects.filter(pk=event.timeline_id).exists()))

    hooks.on_transition_in_transaction(record)
    leave = make_leave(owner)
    workflow_transition(leave, "submit", actor=owner)
    assert seen == [("submit", True, True)]
    leave.refresh_from_db()
    assert leave.status == "submitted"
