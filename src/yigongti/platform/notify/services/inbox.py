"""Writes of a user's inbox (read, handle, delete) and sending a message by hand (发件箱)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from yigongti.core.audit.choices import Category, LogType
from yigongti.core.audit.services import AuditEntry, audit_write
from yigongti.core.errors import BusinessError, ConflictError, not_found
from yigongti.platform.notify import error_codes as E
from yigongti.platform.notify.models import Message, MessageRecipient, MessageType
from yigongti.platform.notify.realtime import push_after_commit
from yigongti.platform.notify.selectors import UNREAD
from yigongti.platform.notify.services.delivery import notify
from yigongti.platform.notify.templating import TemplateError


def access_inbox_row(user: Any, recipient_id: Any, *, for_update: bool = False) -> MessageRecipient:
    """One row of ``user``'s own inbox; anything else (another user's, deleted, missing) is 404."""
    try:
        pk = int(recipient_id)
    except (TypeError, ValueError):
        raise not_found() from None
    qs = MessageRecipient.objects.select_related("message", "message__type", "message__type__group", "handled_by")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    row = qs.filter(pk=pk, user_id=user.pk, deleted=False).first()
    if row is None:
        raise not_found()
    return row


@transaction.atomic
def inbox_read(*, user: Any, recipient_id: Any) -> MessageRecipient:
    row = access_inbox_row(user, recipient_id, for_update=True)
    if row.read_at is None:
        row.read_at = timezone.now()
        row.save(update_fields=["read_at"])
        push_after_commit(unread_for=[user.pk])
    return row


@transaction.atomic
def inbox_read_all(*, user: Any) -> int:
    changed = MessageRecipient.objects.filter(UNREAD, user_id=user.pk, deleted=False).update(read_at=timezone.now())
    if changed:
        push_after_commit(unread_for=[user.pk])
    return changed


@transaction.atomic
def inbox_delete(*, user: Any, recipient_id: Any) -> None:
    row = access_inbox_row(user, recipient_id, for_update=True)
    row.deleted = True
    row.save(update_fields=["deleted"])
    push_after_commit(unread_for=[user.pk])


@transaction.atomic
def inbox_handle(*, user: Any, recipient_id: Any) -> MessageRecipient:
    """Mark a message that must be handled as handled. With 唯一处理 the first recipient to handle
    it closes it for everyone (the others get a ``handled`` event); a second attempt is 409."""
    row = access_inbox_row(user, recipient_id, for_update=True)
    message = row.message
    if not message.must_handle:
        raise BusinessError(E.MESSAGE_NOT_HANDLEABLE, "该消息无需处理。")
    now = timezone.now()
    if message.unique_handling:
        rows = list(
            MessageRecipient.objects.select_for_update(of=("self",))
            .filter(message=message)
            .select_related("handled_by")
        )
        done = next((r for r in rows if r.handled_at is not None), None)
        if done is not None:
            who = (done.handled_by.name or done.handled_by.username) if done.handled_by is not None else "他人"
            raise ConflictError(
                E.MESSAGE_ALREADY_HANDLED,
                f"该消息已由{who}于{timezone.localtime(done.handled_at):%Y-%m-%d %H:%M}处理。",
            )
        MessageRecipient.objects.filter(message=message).update(handled_at=now, handled_by=user)
        others = [r.user_id for r in rows if r.user_id != user.pk]
        name = getattr(user, "name", "") or user.username
        push_after_commit(
            events=[(uid, {"type": "handled", "message_id": message.pk, "handled_by": name}) for uid in others],
            unread_for=[r.user_id for r in rows],
        )
    else:
        if row.handled_at is not None:
            raise ConflictError(E.MESSAGE_ALREADY_HANDLED, "该消息已处理。")
        MessageRecipient.objects.filter(pk=row.pk).update(handled_at=now, handled_by=user)
        push_after_commit(unread_for=[user.pk])
    if row.read_at is None:
        MessageRecipient.objects.filter(pk=row.pk).update(read_at=now)
    audit_write(
        AuditEntry(
            log_type=LogType.BUSINESS,
            category=Category.UPDATE,
            action="notify.message.handle",
            project="消息与通知",
            object_type="notify.message",
            object_id=str(message.pk),
            object_repr=message.title[:200],
            content=f"处理消息：{message.title}",
        )
    )
    return access_inbox_row(user, row.pk)


def _role_codes(user: Any) -> set[str]:
    return {r.code for r in user._role_list()} if hasattr(user, "_role_list") else set()


@transaction.atomic
def message_send(
    *, sender: Any, message_type: MessageType, recipients: Iterable[Any], context: Mapping[str, Any]
) -> Message:
    """Send a message by hand (发件箱). The type must name one of the sender's roles among its
    发送角色; recipients were already limited to the sender's data scope by the caller."""
    if not message_type.enabled:
        raise BusinessError(E.MESSAGE_TYPE_DISABLED, f"消息类型“{message_type.name}”已停用。")
    if not sender.is_superuser and not (set(message_type.sender_roles) & _role_codes(sender)):
        raise BusinessError(
            E.MESSAGE_TYPE_NOT_SENDABLE, f"您的角色不能手工发送“{message_type.name}”类消息。", status_code=403
        )
    users = list(recipients)
    if not users:
        raise BusinessError(E.NO_RECIPIENTS, "请选择收件人。", fields={"recipients": ["请至少选择一位收件人。"]})
    try:
        message = notify(
            message_type.code, recipients=users, context=context, sender=sender, institution=sender.institution_id
        )
    except TemplateError as exc:
        raise BusinessError(E.TEMPLATE_CONTEXT_MISSING, str(exc), fields={"context": [str(exc)]}) from None
    if message is None:
        raise BusinessError(E.NO_RECIPIENTS, "收件人均已退订该类消息，或该类消息不保存到收件箱，未发送。")
    audit_write(
        AuditEntry(
            log_type=LogType.BUSINESS,
            category=Category.CREATE,
            action="notify.message.send",
            project="消息与通知",
            object_type="notify.message",
            object_id=str(message.pk),
            object_repr=message.title[:200],
            content=f"发送消息“{message.title}”给 {len(users)} 人",
        )
    )
    return message
