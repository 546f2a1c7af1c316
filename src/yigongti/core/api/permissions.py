"""Action permission codes (菜单/操作权限): the server checks them on every request."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

ACTION_SUFFIX = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
    "export": "export",
    "import_rows": "import",
    "import_template": "import",
}


def required_code(view: Any, request: Request) -> str | None:
    """The permission code an action needs: ``view.action_codes`` first, then the CRUD suffixes."""
    action = getattr(view, "action", None) or ""
    explicit = getattr(view, "action_codes", {}) or {}
    if action in explicit:
        return explicit[action]
    base = getattr(view, "permission_base", "")
    if (
        action == "list"
        and getattr(request, "accepted_renderer", None) is not None
        and request.accepted_renderer.format == "xlsx"
    ):
        return f"{base}.export" if base else None
    suffix = ACTION_SUFFIX.get(action)
    if not base or suffix is None:
        return None
    return f"{base}.{suffix}"


class ActionPermission(BasePermission):
    message = "没有执行该操作的权限。"

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        code = required_code(view, request)
        if code is None:
            # An action the view did not map is refused rather than silently allowed.
            return bool(getattr(view, "allow_unmapped_actions", False))
        return bool(user.has_code(code))
