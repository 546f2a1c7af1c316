"""Reads of the mechanism: what a user may do now, and a record's timeline."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from rest_framework.exceptions import APIException

from yigongti.core.workflow.declarations import Transition, Workflow
from yigongti.core.workflow.models import TimelineEntry
from yigongti.core.workflow.registry import workflow_for
from yigongti.core.workflow.rules import ApprovalPolicy, ensure_can_act


def available_transitions(obj: Any, actor: Any, *, workflow: type[Workflow] | None = None) -> list[Transition]:
    """The transitions ``actor`` may perform on ``obj`` now (the caller has checked that the
    actor sees ``obj``). System-only transitions are never offered."""
    flow = workflow or workflow_for(type(obj))
    policies: dict[str, ApprovalPolicy] = {}
    allowed = []
    for transition in flow.transitions:
        if transition.system_only:
            continue
        try:
            ensure_can_act(flow, transition, obj, actor, visible_checked=True, policies=policies)
        except APIException:
            continue
        allowed.append(transition)
    return allowed


def timeline(obj: models.Model, *, workflow: type[Workflow] | None = None) -> models.QuerySet[TimelineEntry]:
    flow = workflow or workflow_for(type(obj))
    return TimelineEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), workflow=flow.code
    ).order_by("at", "id")
