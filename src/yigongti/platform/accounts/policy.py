"""Login-security parameters (SEC-03) read through functions, so the parameter centre (codes app)
can later answer them from 系统参数 instead of settings without touching the callers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

PASSWORD_CHANGE_REQUIRED = "PASSWORD_CHANGE_REQUIRED"
ACCOUNT_LOCKED = "ACCOUNT_LOCKED"


def password_max_age_days() -> int:
    """Days a password stays valid (密码有效期); ``0`` means it never expires."""
    return int(getattr(settings, "YIGONGTI_PASSWORD_MAX_AGE_DAYS", 90))


def lockout_minutes() -> int:
    hours = getattr(settings, "AXES_COOLOFF_TIME", 0.25)
    return round(float(hours) * 60) if isinstance(hours, (int, float)) else 15


def idle_timeout_seconds() -> int:
    return int(getattr(settings, "SESSION_IDLE_TIMEOUT_SECONDS", 1800))


def password_expired(user: Any, *, now: dt.datetime | None = None) -> bool:
    """True when the password is older than the maximum age. Accounts that never changed their
    password count from the day they were created."""
    days = password_max_age_days()
    if days <= 0:
        return False
    changed = getattr(user, "password_changed_at", None) or getattr(user, "date_joined", None)
    if changed is None:
        return False
    return (now or timezone.now()) - changed > dt.timedelta(days=days)


def password_change_required(user: Any) -> bool:
    return bool(getattr(user, "must_change_password", False)) or password_expired(user)


def password_change_message(user: Any) -> str:
    if getattr(user, "must_change_password", False):
        return "首次登录或密码已被重置，请先修改密码。"
    return f"密码已超过 {password_max_age_days()} 天未修改，请先修改密码。"


def locked_message() -> str:
    return f"连续登录失败次数过多，账号已锁定，请 {lockout_minutes()} 分钟后再试或联系管理员解锁。"


def locked_payload() -> dict[str, Any]:
    return {"code": ACCOUNT_LOCKED, "message": locked_message(), "fields": {}}


def lockout_response(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the lockout answer in the API's one error shape."""
    return JsonResponse(locked_payload(), status=403, json_dumps_params={"ensure_ascii": False})
