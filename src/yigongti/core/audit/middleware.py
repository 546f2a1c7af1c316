"""Puts the requesting user and address into the audit context for the whole request."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from yigongti.core.audit.context import Actor, client_ip, reset_actor, set_actor


def actor_from_request(request: HttpRequest, user: object | None = None) -> Actor:
    user = user if user is not None else getattr(request, "user", None)
    ip = client_ip(request.META, getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0))
    agent = str(request.META.get("HTTP_USER_AGENT", ""))[:300]
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(ip=ip, user_agent=agent)
    describe = getattr(user, "audit_identity", None)
    identity: dict[str, object] = describe() if callable(describe) else {}
    return Actor(
        user_id=getattr(user, "pk", None),
        user_code=str(getattr(user, "username", "")),
        user_name=str(identity.get("name", "")),
        role_names=str(identity.get("roles", "")),
        ip=ip,
        user_agent=agent,
        institution_id=identity.get("institution_id"),  # type: ignore[arg-type]
        institution_name=str(identity.get("institution_name", "")),
        department_name=str(identity.get("department_name", "")),
    )


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = set_actor(lambda: actor_from_request(request))
        try:
            return self.get_response(request)
        finally:
            reset_actor(token)
