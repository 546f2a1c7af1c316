"""Login-security parameters (SEC-03). A value an administrator set in 参数配置 (codes app,
``security.*`` parameters) wins; otherwise the deployment's setting (environment) applies."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

PASSWORD_CHANGE_REQUIRED = "PASSWORD_CHANGE_REQUIRED"
ACCOUNT_LOCKED = "ACCOUNT_LOCKED"


_CACHE_SECONDS = 60
_cache: dict[str, tuple[float, int | None]] = {}


def _configured(code: str) -> int | None:
    """The platform value of parameter ``code`` in force now, if an administrator set one (cached
    for a minute: it is read on every request)."""
    now = time.monotonic()
    hit = _cache.get(code)
    if hit is not None and now - hit[0] < _CACHE_SECONDS:
        return hit[1]
    from yigongti.platform.codes.choices import ValueSource
    from yigongti.platform.codes.selectors import param_resolve

    try:
        resolved = param_resolve(code)
        value = int(resolved.value) if resolved.source != ValueSource.DEFAULT else None
    except Exception:  # unknown parameter or codes not migrated yet: fall back to settings
        value = None
    _cache[code] = (now, value)
    return value


def clear_cache() -> None:
    _cache.clear()


def password_max_age_days() -> int:
    """Days a password stays valid (密码有效期); ``0`` means it never expires."""
    configured = _configured("security.password_max_age_days")
    return configured if configured is not None else int(getattr(settings, "YIGONGTI_PASSWORD_MAX_AGE_DAYS", 90))


def lockout_minutes() -> int:
    hours = getattr(settings, "AXES_COOLOFF_TIME", 0.25)
    return round(float(hours) * 60) if isinstance(hours, (int, float)) else 15


def idle_timeout_seconds() -> int:
    configured = _configured("security.idle_timeout_minutes")
    return configured * 60 if configured is not None else int(getattr(settings, "SESSION_IDLE_TIMEOUT_SECONDS", 1800))


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
