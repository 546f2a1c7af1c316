"""Small helpers shared by the account services."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from yigongti.core.audit.choices import LogType
from yigongti.core.audit.context import Actor, client_ip
from yigongti.core.audit.middleware import actor_from_request
from yigongti.core.audit.services import AuditEntry, audit_write

PROJECT = "用户与权限"


def attempt_actor(request: HttpRequest, username: str, user: Any | None) -> Actor:
    """Who tried to log in: the account when it exists, else just the name that was typed."""
    if user is not None:
        return actor_from_request(request, user)
    from django.conf import settings

    return Actor(
        user_code=username[:150],
        ip=client_ip(request.META, getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0)),
        user_agent=str(request.META.get("HTTP_USER_AGENT", ""))[:300],
    )


def user_log(
    *,
    category: str,
    action: str,
    content: str,
    actor: Actor | None = None,
    success: bool = True,
    target: Any | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """One 用户日志 row (login, logout, lock, 2FA, password, session events)."""
    audit_write(
        AuditEntry(
            log_type=LogType.USER,
            category=category,
            action=action,
            project=PROJECT,
            content=content,
            actor=actor,
            success=success,
            object_type="accounts.user" if target is not None else "",
            object_id=str(target.pk) if target is not None else "",
            object_repr=str(target)[:200] if target is not None else "",
            before=before,
            after=after,
        )
    )
