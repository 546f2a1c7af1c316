"""``notify()``: the one way any part of the platform sends a message.

It renders the type's templates, works out each recipient's delivery from the type and the
recipient's subscription (switched off, channels, silent hours), writes the message and its inbox
rows in the caller's transaction, and schedules the side effects after commit: the realtime push
(unread count, popup) and the SMS (queued as rows, sent by a background task).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from yigongti.platform.accounts.models import User
from yigongti.platform.notify.choices import Channel, DisplayMode
from yigongti.platform.notify.models import Message, MessageRecipient, MessageType, Subscription
from yigongti.platform.notify.realtime import push_after_commit
from yigongti.platform.notify.selectors import subscriptions_for, users_covering
from yigongti.platform.notify.services.sms import is_mobile, sms_queue
from yigongti.platform.notify.templating import render, variables_in

logger = logging.getLogger("yigongti.notify")


@dataclass(frozen=True)
class Plan:
    """How one recipient gets one message."""

    user: User
    inbox: bool
    popup: bool
    display: str
    sound: str | None
    sms_at: dt.datetime | None


def silent_until(start: dt.time | None, end: dt.time | None, now: dt.datetime) -> dt.datetime | None:
    """The end of the silent window ``[start, end)`` (local time, may cross midnight) when ``now``
    falls inside it, else ``None``."""
    if start is None or end is None or start == end:
        return None
    local = timezone.localtime(now)
    t = local.time()
    inside = start <= t < end if start < end else (t >= start or t < end)
    if not inside:
        return None
    until = local.replace(hour=end.hour, minute=end.minute, second=end.second, microsecond=0)
    if until <= local:
        until += dt.timedelta(days=1)
    return until


def plan_for(mtype: MessageType, user: User, sub: Subscription | None, now: dt.datetime) -> Plan | None:
    """``None`` when the user switched the type off (and it is neither urgent nor to be handled).

    Urgent messages ignore subscriptions and silent hours entirely. A switched-off message that must
    be handled still reaches the inbox and the unread count, without popup, sound or SMS. During
    silent hours popups and sounds are held back and SMS waits for the end of the window.
    """
    urgent = mtype.urgent
    opted_out = sub is not None and not sub.enabled and not urgent
    if opted_out and not mtype.must_handle:
        return None
    channels = set(mtype.channels)
    if sub is not None and sub.channels and not urgent:
        channels &= {Channel.IN_APP, *sub.channels}
    quiet = None if (urgent or sub is None) else silent_until(sub.silent_start, sub.silent_end, now)
    display = (sub.display_mode if sub is not None and sub.display_mode and not urgent else "") or mtype.display_mode
    wants_sound = sub.sound if sub is not None and sub.sound is not None and not urgent else mtype.sound
    popup = (
        Channel.REALTIME in channels and (urgent or display != DisplayMode.INBOX) and not opted_out and quiet is None
    )
    sms_at = None
    if Channel.SMS in channels and not opted_out and is_mobile(user.phone):
        sms_at = quiet or now
    return Plan(
        user=user,
        inbox=mtype.persisted,
        popup=popup,
        display=DisplayMode.POPUP if urgent else display,
        sound=(mtype.sound_name or "default") if wants_sound and popup else None,
        sms_at=sms_at,
    )


def _recipients(mtype: MessageType, recipients: Iterable[Any] | None, institution_id: int | None) -> list[User]:
    if recipients is None:
        if not mtype.recipient_roles:
            return []
        return list(users_covering(mtype.recipient_roles, institution_id))
    ids = {r if isinstance(r, int) else r.pk for r in recipients}
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def _sender(sender: Any) -> User | None:
    return sender if isinstance(sender, User) and sender.pk is not None else None


def popup_payload(
    message: Message | None, mtype: MessageType, title: str, body: str, plan: Plan, **extra: Any
) -> dict[str, Any]:
    return {
        "type": "popup",
        "message": {
            "id": extra.get("recipient_id"),
            "message_id": message.pk if message is not None else None,
            "type": mtype.code,
            "type_name": mtype.name,
            "title": title,
            "body": body,
            "display_mode": plan.display,
            "urgent": mtype.urgent,
            "must_handle": mtype.must_handle,
            "sender_name": message.sender_name if message is not None else extra.get("sender_name", "系统"),
            "created_at": (message.created_at if message is not None else timezone.now()).isoformat(),
            "related_type": extra.get("related_type", ""),
            "related_id": extra.get("related_id", ""),
        },
        "sound": plan.sound,
    }


def notify(
    type_code: str,
    *,
    recipients: Iterable[Any] | None = None,
    context: Mapping[str, Any] | None = None,
    related: models.Model | None = None,
    sender: Any = None,
    institution: Any = None,
    data: Mapping[str, Any] | None = None,
) -> Message | None:
    """Send a message of type ``type_code`` to ``recipients`` (users or user ids).

    Without ``recipients`` the type's 接收角色 are used: holders of those roles whose work covers
    ``institution``. ``context`` fills the templates (a missing variable raises ``TemplateError``);
    ``related`` links the message to a business record; ``sender`` is a user, or ``None`` for the
    system. Returns the stored message, or ``None`` when nothing was stored (unknown or disabled
    type, nobody to send to, or a type that is not persisted).
    """
    mtype = MessageType.objects.select_related("group").filter(code=type_code).first()
    if mtype is None:
        logger.warning("消息类型 %s 不存在，未发送", type_code)
        return None
    if not mtype.enabled:
        return None
    ctx = dict(context or {})
    title = render(mtype.title_template, ctx, label="标题模板")[:200]
    body = render(mtype.body_template, ctx, label="内容模板")
    wants_sms = Channel.SMS in mtype.channels
    sms_text = render(mtype.sms_template, ctx, label="短信内容模板")[:500] if wants_sms else ""
    sms_params = {name: str(ctx[name]) for name in variables_in(mtype.sms_template)} if wants_sms else {}
    sending_user = _sender(sender)
    institution_id = getattr(institution, "pk", institution)
    if institution_id is None and sending_user is not None:
        institution_id = sending_user.institution_id
    users = _recipients(mtype, recipients, institution_id)
    now = timezone.now()
    subs = subscriptions_for([u.pk for u in users], type_id=mtype.pk, topic=mtype.topic)
    plans = [p for u in users if (p := plan_for(mtype, u, subs.get(u.pk), now)) is not None]
    if not plans:
        return None
    related_type = ContentType.objects.get_for_model(related) if related is not None else None
    related_label = f"{related_type.app_label}.{related_type.model}" if related_type is not None else ""
    related_id = str(related.pk) if related is not None else ""
    with transaction.atomic():
        message: Message | None = None
        rows: dict[int, MessageRecipient] = {}
        if mtype.persisted:
            message = Message.objects.create(
                type=mtype,
                title=title,
                body=body,
                data=dict(data or {}),
                sender=sending_user,
                sender_name=(sending_user.name or sending_user.username) if sending_user is not None else "系统",
                content_type=related_type,
                object_id=related_id,
                institution_id=institution_id,
                channels=list(mtype.channels),
                display_mode=mtype.display_mode,
                must_handle=mtype.must_handle,
                unique_handling=mtype.unique_handling,
                urgent=mtype.urgent,
            )
            created = MessageRecipient.objects.bulk_create(
                [MessageRecipient(message=message, user=p.user) for p in plans if p.inbox]
            )
            if any(r.pk is None for r in created):  # backends that cannot return ids
                created = list(MessageRecipient.objects.filter(message=message))
            rows = {r.user_id: r for r in created}
        events = [
            (
                p.user.pk,
                popup_payload(
                    message,
                    mtype,
                    title,
                    body,
                    p,
                    recipient_id=rows[p.user.pk].pk if p.user.pk in rows else None,
                    related_type=related_label,
                    related_id=related_id,
                ),
            )
            for p in plans
            if p.popup
        ]
        push_after_commit(events=events, unread_for=list(rows))
        if wants_sms:
            for p in plans:
                if p.sms_at is not None:
                    sms_queue(
                        phone=p.user.phone,
                        text=sms_text,
                        template_code=mtype.sms_template_code,
                        params=sms_params,
                        user=p.user,
                        message=message,
                        institution_id=institution_id if institution_id is not None else p.user.institution_id,
                        scheduled_at=p.sms_at,
                    )
    return message
