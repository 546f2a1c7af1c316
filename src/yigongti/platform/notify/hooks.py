"""Where messages come from without anyone calling ``notify()`` by hand.

* **Workflow transitions** (``core.workflow.hooks.on_transition``): a transition declared with
  ``message="referral.submitted"`` sends that type after its transaction commits. The center says
  who receives it with ``register_recipient_resolver`` (keyed by the message type code, or by the
  workflow code for all its messages); without a resolver the type's 接收角色 are used, limited to
  users whose work covers the record's institution.
* **Account lockout** (django-axes ``user_locked_out``): ``security.account_locked`` to the
  security administrators when an existing account is locked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone

from yigongti.core.workflow.hooks import TransitionEvent
from yigongti.platform.notify.templating import VARIABLE_NAME

logger = logging.getLogger("yigongti.notify")


@dataclass
class Delivery:
    """What a resolver returns: who gets the message, extra template variables, the institution."""

    recipients: Iterable[Any] | None
    context: dict[str, Any] = field(default_factory=dict)
    institution_id: int | None = None


Resolver = Callable[[TransitionEvent, Any, models.Model | None], Delivery | None]
_resolvers: dict[str, Resolver] = {}


def register_recipient_resolver(key: str, resolver: Resolver) -> None:
    """``resolver(event, message_type, record)`` → ``Delivery`` (or ``None`` to send nothing).
    ``key`` is a message type code (``referral.submitted``) or a workflow code (``referral``);
    the message type code wins. The message type's 接收方 (申请方/审核方/接收方) tell the
    resolver which parties to resolve."""
    _resolvers[key] = resolver


def unregister_recipient_resolver(key: str) -> None:
    _resolvers.pop(key, None)


def _record(event: TransitionEvent) -> models.Model | None:
    try:
        model = apps.get_model(event.object_type)
    except (LookupError, ValueError):
        return None
    return model._default_manager.filter(pk=event.object_id).first()


def _institution_of(record: models.Model | None) -> int | None:
    from yigongti.core.workflow.declarations import follow

    spec = getattr(record, "scope_spec", None)
    path = getattr(spec, "institution", None)
    if record is None or not path:
        return None
    try:
        return follow(record, path)
    except Exception:  # a path through a to-many relation: no single institution
        return None


def transition_context(event: TransitionEvent, record: models.Model | None) -> dict[str, Any]:
    context: dict[str, Any] = {
        key: value for key, value in (event.data or {}).items() if isinstance(key, str) and VARIABLE_NAME.match(key)
    }
    context.update(
        {
            "workflow": event.workflow,
            "transition": event.transition_label,
            "actor": event.actor_name,
            "comment": event.comment,
            "record": str(record) if record is not None else "",
            "record_id": event.object_id,
            "from_state": event.from_state,
            "to_state": event.to_state,
            "at": f"{timezone.localtime(event.at):%Y-%m-%d %H:%M}",
        }
    )
    return context


def on_workflow_transition(event: TransitionEvent) -> None:
    """Receiver registered with ``core.workflow.hooks.on_transition`` (runs after commit)."""
    if not event.message:
        return
    from yigongti.platform.accounts.models import User
    from yigongti.platform.notify.models import MessageType
    from yigongti.platform.notify.services.delivery import notify

    mtype = MessageType.objects.filter(code=event.message, enabled=True).first()
    if mtype is None:
        return
    record = _record(event)
    resolver = _resolvers.get(event.message) or _resolvers.get(event.workflow)
    delivery = resolver(event, mtype, record) if resolver is not None else Delivery(recipients=None)
    if delivery is None:
        return
    sender = User.objects.filter(pk=event.actor_id).first() if event.actor_id else None
    institution_id = delivery.institution_id or _institution_of(record)
    notify(
        event.message,
        recipients=delivery.recipients,
        context={**transition_context(event, record), **delivery.context},
        related=record,
        sender=sender,
        institution=institution_id,
        data={"workflow": event.workflow, "transition": event.transition, "timeline_id": event.timeline_id},
    )


def on_user_locked_out(sender: Any, request: Any = None, username: str | None = None, **kwargs: Any) -> None:
    """axes ``user_locked_out``: only the failure that locks the account (not attempts while locked),
    only for accounts that exist. Never lets a notification problem break the login answer."""
    if request is None or getattr(request, "axes_failures_since_start", None) is None or not username:
        return
    from yigongti.platform.accounts.models import User
    from yigongti.platform.accounts.policy import lockout_minutes
    from yigongti.platform.notify.services.delivery import notify

    try:
        user = User.objects.select_related("institution").filter(username=username).first()
        if user is None:
            return
        notify(
            "security.account_locked",
            context={
                "username": user.username,
                "name": user.name or user.username,
                "institution": user.institution.name if user.institution is not None else "无",
                "ip": kwargs.get("ip_address") or "未知",
                "failures": request.axes_failures_since_start,
                "minutes": lockout_minutes(),
                "locked_at": f"{timezone.localtime():%Y-%m-%d %H:%M}",
            },
            related=user,
            institution=user.institution_id,
        )
    except Exception:
        logger.exception("账号锁定通知发送失败：%s", username)
