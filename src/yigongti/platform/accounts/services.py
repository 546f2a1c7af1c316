"""Writes for accounts: sessions, logins, passwords, roles (every one audited)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from yigongti.core.audit.choices import Category, LogType
from yigongti.core.audit.context import client_ip
from yigongti.core.audit.middleware import actor_from_request
from yigongti.core.audit.services import AuditEntry, audit_write
from yigongti.platform.accounts.choices import SessionEndReason
from yigongti.platform.accounts.models import UserSession


def session_touch(*, request: HttpRequest, user: Any) -> None:
    """Record activity on the user's session (throttled by the middleware)."""
    key = request.session.session_key
    if not key:
        return
    now = timezone.now()
    updated = UserSession.objects.filter(session_key=key, ended_at__isnull=True).update(last_seen=now)
    if not updated:
        UserSession.objects.update_or_create(
            session_key=key,
            defaults={
                "user": user,
                "ip": client_ip(request.META),
                "user_agent": str(request.META.get("HTTP_USER_AGENT", ""))[:300],
                "last_seen": now,
                "ended_at": None,
                "end_reason": "",
            },
        )


def session_end(*, session_key: str | None, reason: str) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key, ended_at__isnull=True).update(
            ended_at=timezone.now(), end_reason=reason
        )


def session_end_idle(*, request: HttpRequest, user: Any) -> None:
    session_end(session_key=request.session.session_key, reason=SessionEndReason.IDLE)
    audit_write(
        AuditEntry(
            log_type=LogType.USER,
            category=Category.LOGOUT,
            action="accounts.session.idle",
            project="系统管理",
            content="空闲超时，自动退出",
            actor=actor_from_request(request, user),
        )
    )
