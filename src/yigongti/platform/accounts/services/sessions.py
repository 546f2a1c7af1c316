"""Online sessions (在线用户): activity, end, idle timeout, forced logout (SEC-03)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from yigongti.core.audit.choices import Category
from yigongti.core.audit.context import client_ip
from yigongti.core.audit.middleware import actor_from_request
from yigongti.core.errors import BusinessError
from yigongti.platform.accounts.choices import SessionEndReason
from yigongti.platform.accounts.models import UserSession
from yigongti.platform.accounts.policy import idle_timeout_seconds
from yigongti.platform.accounts.services.common import user_log


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
                "ip": client_ip(request.META, getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0)),
                "user_agent": str(request.META.get("HTTP_USER_AGENT", ""))[:300],
                "last_seen": now,
                "ended_at": None,
                "end_reason": "",
            },
        )


def session_end(*, session_key: str | None, reason: str) -> int:
    if not session_key:
        return 0
    return UserSession.objects.filter(session_key=session_key, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason=reason
    )


def session_rekey(*, old_key: str | None, new_key: str | None) -> None:
    """The Django session changed its key (password change): keep the online row pointing at it."""
    if old_key and new_key and old_key != new_key:
        UserSession.objects.filter(session_key=old_key, ended_at__isnull=True).update(session_key=new_key)


def session_end_idle(*, request: HttpRequest, user: Any) -> None:
    session_end(session_key=request.session.session_key, reason=SessionEndReason.IDLE)
    user_log(
        category=Category.LOGOUT,
        action="accounts.session.idle",
        content=f"超过 {idle_timeout_seconds() // 60} 分钟未操作，自动退出",
        actor=actor_from_request(request, user),
        target=user,
    )


def _session_store(session_key: str) -> Any:
    engine = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(session_key=session_key)


@transaction.atomic
def session_force_logout(*, user_session: UserSession, actor: Any, current_key: str | None = None) -> UserSession:
    """End another client's session: its Django session is deleted, so its next request is 401."""
    locked = UserSession.objects.select_for_update().select_related("user").get(pk=user_session.pk)
    if locked.ended_at is not None:
        raise BusinessError("SESSION_ALREADY_ENDED", "该会话已结束。")
    if current_key and locked.session_key == current_key:
        raise BusinessError("SESSION_IS_CURRENT", "不能强制下线自己当前的会话，请使用“退出登录”。")
    _session_store(locked.session_key).delete()
    locked.ended_at = timezone.now()
    locked.end_reason = SessionEndReason.FORCED
    locked.save(update_fields=["ended_at", "end_reason", "updated_at"])
    user_log(
        category=Category.FORCED_LOGOUT,
        action="accounts.session.force_logout",
        content=f"强制下线用户 {locked.user.username}（{locked.user.name}）的会话，IP {locked.ip or '未知'}",
        target=locked.user,
    )
    return locked


def sessions_end_for_user(*, user: Any, reason: str) -> int:
    """End every open session of ``user`` (password reset, account disabled)."""
    keys = list(UserSession.objects.filter(user=user, ended_at__isnull=True).values_list("session_key", flat=True))
    for key in keys:
        _session_store(key).delete()
    return UserSession.objects.filter(user=user, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason=reason
    )
