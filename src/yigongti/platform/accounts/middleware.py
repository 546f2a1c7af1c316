"""Idle timeout (30 minutes by default), the online-session record, the current institution/role
chosen in the session (``accounts.identity``) and the forced password change (SEC-03)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse

from yigongti.platform.accounts.policy import idle_timeout_seconds

ACTIVITY_KEY = "yigongti_last_activity"
TOUCH_EVERY_SECONDS = 60
PASSIVE_HEADER = "HTTP_X_PASSIVE_REQUEST"  # polling that must not count as user activity


class SessionSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            last = request.session.get(ACTIVITY_KEY)
            limit = idle_timeout_seconds()
            if last is not None and now - float(last) > limit:
                from yigongti.platform.accounts.services import session_end_idle

                session_end_idle(request=request, user=user)
                logout(request)
                return JsonResponse(
                    {
                        "code": "SESSION_IDLE_TIMEOUT",
                        "message": f"超过 {limit // 60} 分钟未操作，已自动退出，请重新登录。",
                        "fields": {},
                    },
                    status=401,
                )
            passive = request.META.get(PASSIVE_HEADER) == "1"
            if not passive and (last is None or now - float(last) >= TOUCH_EVERY_SECONDS):
                request.session[ACTIVITY_KEY] = now
                from yigongti.platform.accounts.services import session_touch

                session_touch(request=request, user=user)
            from yigongti.platform.accounts.identity import apply_from_session

            apply_from_session(request, user)
        return self.get_response(request)


# Paths a user who must change the password may still call (the login flow, who am I, change it).
PASSWORD_CHANGE_ALLOWED = ("/api/v1/auth/", "/api/v1/health")


class PasswordChangeRequiredMiddleware:
    """While the password is an initial/reset one or has expired, every API except the auth
    endpoints answers 403 ``PASSWORD_CHANGE_REQUIRED``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith("/api/") and not path.startswith(PASSWORD_CHANGE_ALLOWED):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                from yigongti.platform.accounts.policy import (
                    PASSWORD_CHANGE_REQUIRED,
                    password_change_message,
                    password_change_required,
                )

                if password_change_required(user):
                    return JsonResponse(
                        {"code": PASSWORD_CHANGE_REQUIRED, "message": password_change_message(user), "fields": {}},
                        status=403,
                    )
        return self.get_response(request)
