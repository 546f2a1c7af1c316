"""Cross-module guard: every API endpoint declares who may call it and how rows are scoped.

A new center that forgets a permission code or a data scope fails here, before any data leaks.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.permissions import AllowAny

from yigongti.core.api.viewsets import ReadOnlyResourceViewSet
from yigongti.core.scope import ScopeSpec

# Endpoints that must answer without a session: health probes, the login steps, and logout (a no-op
# without a session, so an expired console can always clear itself).
PUBLIC = {"HealthView", "LoginView", "OtpView", "LogoutView"}


def _api_views() -> Iterator[tuple[str, Any]]:
    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[tuple[str, Any]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                view = getattr(p.callback, "cls", None)
                if view is not None and prefix.startswith("api/v1/"):
                    yield prefix + str(p.pattern), view

    yield from walk(get_resolver().url_patterns, "")


def test_the_inventory_is_not_empty() -> None:
    views = {cls.__name__ for _, cls in _api_views()}
    assert {"InstitutionViewSet", "StaffViewSet", "AuditLogViewSet"} <= views


def test_every_resource_declares_permission_codes_and_a_scoped_model() -> None:
    problems = []
    for route, cls in _api_views():
        if not issubclass(cls, ReadOnlyResourceViewSet):
            continue
        if not cls.permission_base and not cls.action_codes:
            problems.append(f"{route}: {cls.__name__} has no permission_base")
        model = cls.queryset.model if cls.queryset is not None else None
        if model is None or not isinstance(getattr(model, "scope_spec", None), ScopeSpec):
            problems.append(f"{route}: {cls.__name__} model declares no scope_spec")
    assert not problems, "\n".join(problems)


def test_only_the_login_steps_and_health_are_public() -> None:
    public = sorted(
        {cls.__name__ for _, cls in _api_views() if any(p is AllowAny for p in getattr(cls, "permission_classes", []))}
    )
    assert set(public) <= PUBLIC, public
