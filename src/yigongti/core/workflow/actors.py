"""Who performs a transition: a user (any object following ``ScopedUser``) or the system."""

from __future__ import annotations

from typing import Any

from yigongti.core.audit.context import SYSTEM_ACTOR, Actor, current_actor
from yigongti.core.scope import ScopeContext


class SystemActor:
    """The mechanism itself (timers, 免审 follow-ups). It passes permission and scope checks;
    state checks and guards still apply."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    pk = None
    id = None
    name = "系统"
    username = "system"

    def has_code(self, code: str) -> bool:
        return True

    def scope_context(self) -> ScopeContext:
        return ScopeContext(all=True)

    def __repr__(self) -> str:
        return "<SystemActor>"


SYSTEM = SystemActor()


def is_system(actor: Any) -> bool:
    return isinstance(actor, SystemActor)


def identity(actor: Any) -> dict[str, Any]:
    """Name and institution of ``actor`` for the timeline snapshot (``audit_identity`` when the
    user model offers it, as ``accounts.User`` does)."""
    if is_system(actor):
        return {"name": "系统", "roles": "", "institution_id": None, "institution_name": "", "department_name": ""}
    describe = getattr(actor, "audit_identity", None)
    found: dict[str, Any] = describe() if callable(describe) else {}
    return {
        "name": str(found.get("name") or getattr(actor, "get_username", lambda: str(actor))()),
        "roles": str(found.get("roles", "")),
        "institution_id": found.get("institution_id"),
        "institution_name": str(found.get("institution_name", "")),
        "department_name": str(found.get("department_name", "")),
    }


def audit_actor(actor: Any, who: dict[str, Any]) -> Actor:
    """The audit log's actor: the request's (with address) when it is the same user."""
    if is_system(actor):
        return SYSTEM_ACTOR
    current = current_actor()
    return Actor(
        user_id=actor.pk,
        user_code=str(getattr(actor, "username", "")),
        user_name=who["name"],
        role_names=who["roles"],
        ip=current.ip if current.user_id == actor.pk else "",
        user_agent=current.user_agent if current.user_id == actor.pk else "",
        institution_id=who["institution_id"],
        institution_name=who["institution_name"],
        department_name=who["department_name"],
    )


def holds_role(actor: Any, role_id: int) -> bool:
    """Whether ``actor`` holds the role (through the user's ``roles`` relation)."""
    if is_system(actor):
        return True
    roles = getattr(actor, "roles", None)
    if roles is None:
        return False
    return bool(roles.filter(pk=role_id).exists())
