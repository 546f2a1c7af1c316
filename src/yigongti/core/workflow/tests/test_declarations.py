"""Declaration rules: mistakes fail at import time, model mismatches in ``manage.py check``."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from yigongti.core.workflow import hooks
from yigongti.core.workflow.checks import check_workflows
from yigongti.core.workflow.declarations import ApprovalStep, Param, State, Timer, Transition, Workflow
from yigongti.core.workflow.registry import get_workflow, unregister
from yigongti.core.workflow.timers import due_at

STATES = [State("draft", "草稿"), State("done", "完成", final=True)]
DONE = Transition("finish", ["draft"], "done", "完成", permission="x.y.finish")


def declare(**attrs: Any) -> type[Workflow]:
    body = {"code": "throwaway", "model": "workflow_example.LeaveRequest", "states": STATES, "transitions": [DONE]}
    try:
        return type("Throwaway", (Workflow,), body | attrs)
    finally:
        unregister("throwaway")


def test_a_valid_declaration_registers_and_offers_lookups() -> None:
    flow = declare()
    assert flow.state_label("done") == "完成"
    assert flow.state_choices() == [("draft", "草稿"), ("done", "完成")]
    assert flow.catalog_actions("x.y") == (("finish", "完成"),)
    assert flow.transition("finish").path == "finish"
    assert get_workflow("throwaway") is None  # unregistered again by the helper


@pytest.mark.parametrize(
    ("attrs", "message"),
    [
        ({"model": "LeaveRequest"}, "app_label.ModelName"),
        ({"states": [*STATES, State("draft", "重复")]}, "duplicate state"),
        ({"transitions": [Transition("finish", ["nowhere"], "done", "完成")]}, "unknown states"),
        ({"transitions": [Transition("actions", ["draft"], "done", "完成")]}, "snake_case"),
        ({"transitions": [DONE, Transition("reopen", ["done"], "draft", "重开")]}, "leaves final states"),
        ({"transitions": [Transition("finish", ["draft"], "done", "完成", actor_scope="nobody")]}, "undeclared scope"),
        ({"transitions": [Transition("finish", ["draft"], "done", "完成", approval_step="x")]}, "approval step"),
        ({"approval_steps": [ApprovalStep("x", "审核", "draft", "finish", "institution_id")]}, "must leave"),
        ({"timers": [Timer("done", dt.timedelta(hours=1), "finish")]}, "timer on 'done'"),
        ({"transitions": [Transition("finish", ["draft"], "done", "完成", effect=lambda o, d, a: [])]}, "effect"),
    ],
)
def test_declaration_mistakes_fail_at_import(attrs: dict[str, Any], message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        declare(**attrs)


def test_a_code_cannot_be_declared_by_two_classes() -> None:
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        type("Another", (Workflow,), {"code": "leave", "model": "a.B", "states": STATES, "transitions": [DONE]})


def test_registered_workflows_match_their_models() -> None:
    assert check_workflows() == []


def test_model_mismatches_are_reported_by_check() -> None:
    flow = type(
        "Broken",
        (Workflow,),
        {"code": "broken", "model": "workflow_example.LeaveRequest", "state_field": "title",
         "states": [State("draft", "草稿", stamp="days"), State("done", "完成", final=True)],
         "transitions": [Transition("finish", ["draft"], "done", "完成", permission="nope.nope.finish")]},
    )  # fmt: skip
    try:
        ids = sorted(m.id for m in check_workflows() if "Broken" in m.msg)
    finally:
        unregister(flow.code)
    assert ids == ["workflow.E004", "workflow.W001"]


def test_param_timer_reads_the_parameter_through_the_registered_resolver() -> None:
    entered = dt.datetime(2026, 5, 1, 8, 0, tzinfo=dt.UTC)
    obj = SimpleNamespace(institution_id=7, planned_at=dt.datetime(2026, 5, 2, 9, 0, tzinfo=dt.UTC))
    timer = Timer(
        "draft", Param("leave.grace_hours", unit="hours", default=1, base=lambda o: o.planned_at,
                       institution="institution_id"), "finish",
    )  # fmt: skip
    assert due_at(timer, obj, entered) == dt.datetime(2026, 5, 2, 10, 0, tzinfo=dt.UTC)  # default without resolver
    seen: list[tuple[str, int | None]] = []
    hooks.register_parameter_resolver(lambda code, inst: seen.append((code, inst)) or 4)
    try:
        assert due_at(timer, obj, entered) == dt.datetime(2026, 5, 2, 13, 0, tzinfo=dt.UTC)
    finally:
        hooks.register_parameter_resolver(None)
    assert seen == [("leave.grace_hours", 7)]
    assert due_at(Timer("draft", dt.timedelta(minutes=30), "finish"), obj, entered) == entered + dt.timedelta(
        minutes=30
    )
    with pytest.raises(ImproperlyConfigured, match="unit"):
        Param("x", unit="fortnights")


def test_the_example_declaration_is_found_by_its_model() -> None:
    from tests.workflow_example.flows import LeaveFlow
    from tests.workflow_example.models import LeaveRequest

    from yigongti.core.workflow.registry import workflow_for

    assert workflow_for(LeaveRequest) is LeaveFlow
