"""``workflow_transition``: the one write path of every declared workflow.

In one transaction it locks the record, checks permission, data scope, acting side, state,
approver role, guard, comment and data; changes the state (and the state's time stamp and any
fields the transition's ``effect`` sets); writes one timeline row and one audit row; cancels the
timers of the state left and schedules those of the state entered; and publishes the transition
to the ``on_transition`` receivers after commit. Then it performs the automatic follow-ups: an
approval step switched off (免审) or set to auto-approve for the relevant institution is passed by
the system with its own timeline row.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import uuid
from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from rest_framework import exceptions

from yigongti.core.audit.choices import Category, LogType
from yigongti.core.audit.services import AuditEntry, audit_write, diff, snapshot
from yigongti.core.errors import BusinessError, not_found
from yigongti.core.workflow import error_codes
from yigongti.core.workflow.actors import SYSTEM, audit_actor, identity, is_system
from yigongti.core.workflow.declarations import Transition, Workflow
from yigongti.core.workflow.hooks import TransitionEvent, receivers, transaction_receivers, validate_attachments
from yigongti.core.workflow.models import TimelineEntry
from yigongti.core.workflow.registry import workflow_for
from yigongti.core.workflow.rules import approval_policy, ensure_can_act
from yigongti.core.workflow.timers import cancel_timers, schedule_timers

M = TypeVar("M", bound=models.Model)
MAX_FOLLOW_UPS = 20


@transaction.atomic
def workflow_transition(
    obj: M,
    name: str,
    *,
    actor: Any,
    comment: str = "",
    attachments: Iterable[int] = (),
    data: dict[str, Any] | None = None,
    workflow: type[Workflow] | None = None,
) -> M:
    """Perform transition ``name`` on ``obj`` as ``actor`` (a user, or ``actors.SYSTEM``).

    Returns ``obj``, updated to the row as saved (after any automatic follow-ups).
    Raises 403 ``PERMISSION_DENIED``/``WORKFLOW_NOT_ACTOR``/``WORKFLOW_NOT_APPROVER``, 404 for a
    record outside the actor's data scope, 409 ``INVALID_STATE``, 400 ``WORKFLOW_REFUSED`` (guard),
    ``COMMENT_REQUIRED`` or ``VALIDATION_ERROR`` (attachments, data) — and then writes nothing.
    """
    flow = workflow or workflow_for(type(obj))
    if not flow.has_transition(name):
        raise BusinessError(
            error_codes.UNKNOWN_TRANSITION, f"流程“{flow.label or flow.code}”没有操作“{name}”。", status_code=404
        )
    transition = flow.transition(name)
    model = flow.get_model()
    locked = model._default_manager.select_for_update().filter(pk=obj.pk).first()
    if locked is None:
        raise not_found()
    ensure_can_act(flow, transition, locked, actor)
    comment = (comment or "").strip()
    if transition.requires_comment and not comment:
        raise BusinessError(
            error_codes.COMMENT_REQUIRED,
            f"请填写“{transition.label}”的意见或原因。",
            fields={"comment": ["该项为必填项。"]},
        )
    ids = _attachment_ids(attachments)
    if ids:
        validate_attachments(locked, ids, actor)
    validated = _validated_data(transition, locked, actor, data)
    _apply(flow, transition, locked, actor, comment=comment, attachments=ids, data=validated)
    _follow_up(flow, locked)
    for f in locked._meta.concrete_fields:
        setattr(obj, f.attname, getattr(locked, f.attname))
    return obj


@transaction.atomic
def workflow_start(obj: M, *, actor: Any, comment: str = "", workflow: type[Workflow] | None = None) -> M:
    """Optional first timeline row ("创建") for a record just created in its initial state: stamps
    the state, schedules its timers and runs the follow-ups, like entering it by a transition.
    The center's create service calls it after saving (it audits the creation itself)."""
    flow = workflow or workflow_for(type(obj))
    now = timezone.now()
    state = getattr(obj, flow.state_field)
    declared = flow.state(state)
    if declared.stamp and getattr(obj, declared.stamp) is None:
        setattr(obj, declared.stamp, now)
        obj.save(update_fields=[declared.stamp])
    start = Transition("create", source=[state], target=state, label="创建")
    _timeline(flow, start, obj, actor, source="", at=now, comment=comment, attachments=[], data={})
    schedule_timers(flow, obj, state=state, now=now)
    _follow_up(flow, obj)
    return obj


# -- internals -------------------------------------------------------------------------------
def _attachment_ids(values: Iterable[Any]) -> list[int]:
    ids: list[int] = []
    for value in values or ():
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise exceptions.ValidationError({"attachments": ["附件应为附件编号（正整数）列表。"]})
        if value not in ids:
            ids.append(value)
    return ids


def _validated_data(transition: Transition, obj: Any, actor: Any, data: Any) -> dict[str, Any] | None:
    if transition.data_serializer is None:
        if not data:
            return None
        if not is_system(actor) or not isinstance(data, dict):
            raise exceptions.ValidationError({"data": [f"“{transition.label}”不接受附加数据。"]})
        return dict(data)
    if data is not None and not isinstance(data, dict):
        raise exceptions.ValidationError({"data": ["应为对象。"]})
    # ScopedRelatedField limits choices to the actor's data scope through context["request"].user.
    context = {"request": SimpleNamespace(user=actor), "actor": actor, "object": obj}
    serializer = transition.data_serializer(data=data or {}, context=context)
    if not serializer.is_valid():
        raise exceptions.ValidationError({"data": serializer.errors})
    return dict(serializer.validated_data)


def _plain(value: Any) -> Any:
    """JSON for the timeline: model instances by id, times as ISO text."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset, models.QuerySet)):
        return [_plain(v) for v in value]
    return value


def _apply(
    flow: type[Workflow],
    transition: Transition,
    obj: models.Model,
    actor: Any,
    *,
    comment: str,
    attachments: list[int],
    data: dict[str, Any] | None,
) -> TimelineEntry:
    now = timezone.now()
    before = snapshot(obj)
    source = getattr(obj, flow.state_field)
    fields = {flow.state_field}
    if transition.effect is not None and data is not None:
        fields.update(transition.effect(obj, data, actor) or ())
    setattr(obj, flow.state_field, transition.target)
    entering = source != transition.target
    stamp = flow.state(transition.target).stamp
    if stamp and entering:
        setattr(obj, stamp, now)
        fields.add(stamp)
    names = {f.name: f for f in obj._meta.concrete_fields}
    by_attname = {f.attname: f.name for f in obj._meta.concrete_fields}
    fields = {by_attname.get(name, name) for name in fields}
    if getattr(names.get("updated_at"), "auto_now", False):
        fields.add("updated_at")
    if "updated_by" in names and not is_system(actor):
        obj.updated_by_id = actor.pk  # type: ignore[attr-defined]
        fields.add("updated_by")
    obj.full_clean(exclude=[n for n in names if n not in fields])
    obj.save(update_fields=sorted(fields))

    entry = _timeline(
        flow, transition, obj, actor, source=source, at=now, comment=comment, attachments=attachments, data=data
    )
    meta = obj._meta
    label = f"{meta.app_label}.{meta.model_name}"
    old, new = diff(before, snapshot(obj))
    text = f"{transition.label}：{obj}（{flow.state_label(source)} → {flow.state_label(transition.target)}）"
    audit_write(
        AuditEntry(
            log_type=LogType.BUSINESS,
            category=Category.UPDATE,
            action=f"{label}.{transition.name}",
            project=flow.project or str(meta.app_config.verbose_name if meta.app_config else ""),
            object_type=label,
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            content=f"{text}，意见：{comment}" if comment else text,
            before=old,
            after=new,
            actor=audit_actor(actor, identity(actor)),
        )
    )
    if entering:
        cancel_timers(flow, obj, state=source, now=now)
        schedule_timers(flow, obj, state=transition.target, now=now)
    return entry


def _timeline(
    flow: type[Workflow],
    transition: Transition,
    obj: models.Model,
    actor: Any,
    *,
    source: str,
    at: dt.datetime,
    comment: str,
    attachments: list[int],
    data: dict[str, Any] | None,
) -> TimelineEntry:
    who = identity(actor)
    entry = TimelineEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        workflow=flow.code,
        transition=transition.name,
        transition_label=transition.label,
        from_state=source,
        to_state=transition.target,
        actor_id=None if is_system(actor) else actor.pk,
        actor_name=who["name"][:150],
        actor_institution_id=who["institution_id"],
        actor_institution_name=who["institution_name"][:200],
        at=at,
        comment=comment,
        attachments=attachments,
        data=_plain(data or {}),
    )
    event = TransitionEvent(
        workflow=flow.code,
        transition=transition.name,
        transition_label=transition.label,
        message=transition.message,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        from_state=source,
        to_state=transition.target,
        actor_id=entry.actor_id,
        actor_name=entry.actor_name,
        at=at,
        timeline_id=entry.pk,
        comment=comment,
        attachments=tuple(attachments),
        data=entry.data,
    )
    for receiver in transaction_receivers():
        receiver(event)  # part of the transition: commits or rolls back with it
    for receiver in receivers():
        # robust: a failing subscriber is logged and never undoes or blocks the committed transition
        transaction.on_commit(functools.partial(receiver, event), robust=True)
    return entry


def _follow_up(flow: type[Workflow], obj: models.Model) -> None:
    """Pass approval steps that are switched off or auto-approved for the object's institution."""
    for _ in range(MAX_FOLLOW_UPS):
        step = flow.step_waiting_in(getattr(obj, flow.state_field))
        if step is None:
            return
        policy = approval_policy(flow, step, obj)
        if not policy.automatic:
            return
        approve = flow.transition(step.approve)
        if approve.guard is not None and approve.guard(obj, SYSTEM):
            return  # the guard wants a person to look at it: stay in the review state
        _apply(flow, approve, obj, SYSTEM, comment=policy.auto_comment, attachments=[], data=None)
