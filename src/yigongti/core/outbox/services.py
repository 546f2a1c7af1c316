"""Writes of the outbox app: publishing, administrator actions on messages and failed tasks.

``outbox_publish`` is what business code calls (inside its own transaction); the dispatcher that
delivers the messages lives in ``dispatcher.py``.
"""

from __future__ import annotations

import importlib
import json
import re
import traceback as tb
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yigongti.core.audit.choices import Category
from yigongti.core.audit.services import audit_model_change, snapshot
from yigongti.core.errors import BusinessError, ConflictError
from yigongti.core.jobs import enqueue_once_on_commit
from yigongti.core.outbox.choices import MessageStatus
from yigongti.core.outbox.models import FailedTask, OutboxDestination, OutboxMessage, OutboxSequence

RERUN_PREFIX = "rerun-"
_HEADER_VALUE = re.compile(r"^[\x21-\x7e]+$")
_EVENT = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")


# -- publishing -------------------------------------------------------------------------------
def _json_roundtrip(value: Any) -> Any:
    try:
        return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    except (TypeError, ValueError):
        raise BusinessError("OUTBOX_PAYLOAD_INVALID", "外发内容无法转换为 JSON。") from None


def _kick_dispatcher() -> None:
    """Enqueue one dispatch after commit, however many messages this transaction published."""
    from yigongti.core.outbox.tasks import outbox_dispatch_task

    enqueue_once_on_commit("outbox.dispatch", outbox_dispatch_task)


def outbox_publish(*, destination: str, event: str, payload: Any, key: str) -> OutboxMessage:
    """Store a message for ``destination`` in the caller's transaction; deliver after commit.

    Idempotent on (destination, key): publishing the same key again returns the stored message
    (a different event or payload under a used key is refused). The sequence number is taken from
    the destination's counter row, which stays locked until the caller commits, so messages of one
    destination become visible in sequence order.
    """
    # both travel as HTTP headers (Idempotency-Key, X-Outbox-Event): printable ASCII only
    if not key or len(key) > 200 or not _HEADER_VALUE.match(key):
        raise BusinessError("OUTBOX_KEY_INVALID", "幂等键不能为空，不超过 200 个字符，且只能包含可打印的 ASCII 字符。")
    if not _EVENT.match(event):
        raise BusinessError("OUTBOX_EVENT_INVALID", "事件类型只能包含字母、数字和 . _ : -，且不超过 100 个字符。")
    data = _json_roundtrip(payload)
    with transaction.atomic():
        target = OutboxDestination.objects.filter(code=destination).first()
        if target is None:
            raise BusinessError("OUTBOX_UNKNOWN_DESTINATION", f"外发目的地「{destination}」不存在。")
        counter = _lock_counter(target)
        existing = OutboxMessage.objects.filter(destination=target, key=key).first()
        if existing is not None:
            if existing.event != event or existing.payload != data:
                raise ConflictError(
                    "OUTBOX_KEY_REUSED", f"幂等键「{key}」已用于另一条内容不同的消息（目的地 {destination}）。"
                )
            return existing
        counter.last_sequence += 1
        counter.save(update_fields=["last_sequence"])
        message = OutboxMessage.objects.create(
            destination=target, key=key, event=event, payload=data, sequence=counter.last_sequence
        )
        _kick_dispatcher()
    return message


def _lock_counter(target: OutboxDestination) -> OutboxSequence:
    """Lock (creating on first use) the destination's counter row until the caller commits."""
    OutboxSequence.objects.bulk_create([OutboxSequence(destination=target)], ignore_conflicts=True)
    return OutboxSequence.objects.select_for_update().get(destination=target)


# -- administrator actions on messages ----------------------------------------------------------
@transaction.atomic
def outbox_message_retry(*, message: OutboxMessage, actor: Any) -> OutboxMessage:
    """Send a failed or dead message again now, with a fresh attempt budget."""
    locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if locked.status not in (MessageStatus.FAILED, MessageStatus.DEAD):
        raise ConflictError("OUTBOX_NOT_RETRYABLE", f"消息当前状态为「{locked.get_status_display()}」，不能重发。")
    before = snapshot(locked)
    locked.status, locked.attempts, locked.next_attempt_at = MessageStatus.PENDING, 0, None
    locked.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit_model_change(
        category=Category.UPDATE,
        instance=locked,
        before=before,
        after=snapshot(locked),
        content=f"重发外发消息：{locked}",
    )
    _kick_dispatcher()
    return locked


@transaction.atomic
def outbox_message_discard(*, message: OutboxMessage, actor: Any) -> OutboxMessage:
    """Give up a failed or dead message: it is never sent and no longer blocks later messages."""
    locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if locked.status not in (MessageStatus.FAILED, MessageStatus.DEAD):
        raise ConflictError("OUTBOX_NOT_DISCARDABLE", f"消息当前状态为「{locked.get_status_display()}」，不能作废。")
    before = snapshot(locked)
    locked.status, locked.next_attempt_at = MessageStatus.DISCARDED, None
    locked.save(update_fields=["status", "next_attempt_at"])
    audit_model_change(
        category=Category.UPDATE,
        instance=locked,
        before=before,
        after=snapshot(locked),
        content=f"作废外发消息：{locked}",
    )
    _kick_dispatcher()
    return locked


# -- failed tasks ---------------------------------------------------------------------------------
def task_name_of(task: Any) -> str:
    cls = type(task)
    return f"{cls.__module__}.{cls.__name__}"


def rerun_target(task_id: str) -> int | None:
    """The FailedTask id a re-run task id refers to (``rerun-<pk>-<n>``), else None."""
    if not task_id.startswith(RERUN_PREFIX):
        return None
    head = task_id[len(RERUN_PREFIX) :].split("-", 1)[0]
    return int(head) if head.isdigit() else None


def failed_task_record(*, task: Any, exc: BaseException) -> FailedTask:
    """Store a task whose retries are exhausted (called from Huey's error signal)."""
    args, kwargs = list(task.args or ()), dict(task.kwargs or {})
    kwargs.pop("task", None)  # the context-task instance injected by Huey
    try:
        saved_args, saved_kwargs = _json_roundtrip(args), _json_roundtrip(kwargs)
        rerunnable = saved_args == args and saved_kwargs == kwargs
    except BusinessError:
        saved_args, saved_kwargs, rerunnable = [repr(a) for a in args], {k: repr(v) for k, v in kwargs.items()}, False
    fields = {
        "task_name": task_name_of(task)[:200],
        "task_id": str(task.id)[:64],
        "args": saved_args,
        "kwargs": saved_kwargs,
        "rerunnable": rerunnable,
        "error": f"{type(exc).__name__}: {exc}"[:5000],
        "traceback": "".join(tb.format_exception(type(exc), exc, exc.__traceback__))[-20000:],
        "failed_at": timezone.now(),
        "retries_used": int(getattr(type(task), "default_retries", 0) or 0),
        "resolved": False,
        "resolved_at": None,
    }
    with transaction.atomic():
        target = rerun_target(str(task.id))
        if target is not None and FailedTask.objects.filter(pk=target).update(**fields):
            return FailedTask.objects.get(pk=target)  # a re-run failed again: same row, new error
        return FailedTask.objects.create(**fields)


def failed_task_resolve_rerun(*, task: Any) -> None:
    """A re-run task completed: mark its failed-task row resolved (Huey's complete signal)."""
    target = rerun_target(str(task.id))
    if target is not None:
        FailedTask.objects.filter(pk=target).update(resolved=True, resolved_at=timezone.now())


def _task_class(name: str) -> Any:
    from huey.contrib.djhuey import HUEY

    module, _, _cls = name.rpartition(".")
    if not module.startswith("yigongti."):
        raise BusinessError("FAILED_TASK_UNKNOWN", f"任务「{name}」不是本平台的任务，不能重新执行。")
    try:
        importlib.import_module(module)  # registers the module's tasks in this process
        return HUEY._registry.string_to_task(name)
    except Exception:
        raise BusinessError(
            "FAILED_TASK_UNKNOWN", f"任务「{name}」已不存在（可能已改名或删除），不能重新执行。"
        ) from None


@transaction.atomic
def failed_task_rerun(*, failed: FailedTask, actor: Any) -> FailedTask:
    """Enqueue the same task with the same arguments (after commit) and mark the row re-run."""
    from huey.contrib.djhuey import HUEY

    locked = FailedTask.objects.select_for_update().get(pk=failed.pk)
    if not locked.rerunnable:
        raise BusinessError(
            "FAILED_TASK_NOT_RERUNNABLE", "该任务的参数无法原样保存，不能重新执行，请在业务中重新发起。"
        )
    if locked.resolved:
        raise ConflictError("FAILED_TASK_RESOLVED", "该任务已重新执行成功，无需再次执行。")
    task_class = _task_class(locked.task_name)
    before = snapshot(locked)
    FailedTask.objects.filter(pk=locked.pk).update(
        rerun_count=F("rerun_count") + 1, rerun_at=timezone.now(), rerun_by=getattr(actor, "username", "")[:150]
    )
    locked.refresh_from_db()
    task = task_class(
        args=tuple(locked.args), kwargs=dict(locked.kwargs), id=f"{RERUN_PREFIX}{locked.pk}-{locked.rerun_count}"
    )
    transaction.on_commit(lambda: HUEY.enqueue(task))
    audit_model_change(
        category=Category.UPDATE,
        instance=locked,
        before=before,
        after=snapshot(locked),
        project="后台任务",
        content=f"重新执行失败任务：{locked.task_name}",
    )
    return locked
