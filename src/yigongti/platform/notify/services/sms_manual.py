"""手工发送短信 (guide §3.7.6): an operator sends a text to chosen users or numbers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from yigongti.core.audit.choices import Category, LogType
from yigongti.core.audit.services import AuditEntry, audit_write
from yigongti.core.errors import BusinessError
from yigongti.platform.notify import error_codes as E
from yigongti.platform.notify.services.sms import is_mobile, sms_queue


@transaction.atomic
def sms_send_manual(
    *,
    actor: Any,
    text: str,
    users: Iterable[Any] = (),
    phones: Iterable[str] = (),
    template_code: str = "",
    params: dict[str, str] | None = None,
) -> tuple[int, list[str]]:
    """Queue one SMS per distinct number; returns (queued, names of users without a mobile)."""
    targets: dict[str, Any] = {}
    skipped: list[str] = []
    for user in users:
        if is_mobile(user.phone):
            targets.setdefault(user.phone.strip(), user)
        else:
            skipped.append(user.name or user.username)
    for phone in phones:
        targets.setdefault(phone.strip(), None)
    if not targets:
        raise BusinessError(E.SMS_NO_PHONE, "所选接收人都没有有效的手机号，未发送。")
    for phone, user in targets.items():
        sms_queue(
            phone=phone,
            text=text,
            template_code=template_code,
            params=params,
            user=user,
            institution_id=(user.institution_id if user is not None else None) or actor.institution_id,
            sent_by=actor,
        )
    audit_write(
        AuditEntry(
            log_type=LogType.BUSINESS,
            category=Category.CREATE,
            action="notify.sms.send",
            project="消息与通知",
            object_type="notify.smsmessage",
            content=f"手工发送短信 {len(targets)} 条：{text[:50]}",
        )
    )
    return len(targets), skipped
