"""切换当前机构/角色: a user who works in several institutions or holds several roles chooses which
one is in force; the choice lives in the session and is applied to ``request.user`` on every
request (``SessionSecurityMiddleware``), so permission codes, the data scope (``core.scope``) and
the audit identity all follow it.

The institutions a user holds are the home institution plus the institutions named in the
自定义机构集 of their roles (multi-site practice, 多点执业); the roles are the roles assigned to
them. Without a choice nothing changes: the home institution with every role (the union).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from yigongti.core.errors import BusinessError

SESSION_KEY = "yigongti_identity"


def held_institutions(user: Any) -> list[dict[str, Any]]:
    """``[{id, name, home}]``: the home institution first, then the others by name."""
    from yigongti.platform.org.models import Institution

    ids = {i.pk for role in user.all_roles() for i in role.custom_institutions.all()}
    if user.institution_id:
        ids.add(user.institution_id)
    rows = Institution.objects.filter(pk__in=sorted(ids)).order_by("name").values("id", "name")
    out = [{"id": r["id"], "name": r["name"], "home": r["id"] == user.institution_id} for r in rows]
    return sorted(out, key=lambda r: not r["home"])


def identity_options(user: Any) -> dict[str, Any]:
    """What ``/auth/me`` lists for the switcher, and what is in force now."""
    institution_id, role_id = user.current_identity()
    return {
        "institutions": held_institutions(user),
        "roles": [{"id": r.pk, "code": r.code, "name": r.name} for r in user.all_roles()],
        "current_institution": user.current_institution_id,
        "current_role": role_id,
        "switched": institution_id is not None or role_id is not None,
    }


def problems(user: Any, institution_id: int | None, role_id: int | None) -> dict[str, list[str]]:
    """Field errors of a choice; empty when the user holds both."""
    fields: dict[str, list[str]] = {}
    if institution_id is not None and institution_id not in {i["id"] for i in held_institutions(user)}:
        fields["institution"] = ["您不在该机构任职，不能切换到该机构。"]
    if role_id is not None and role_id not in {r.pk for r in user.all_roles()}:
        fields["role"] = ["您没有该角色，不能切换到该角色。"]
    return fields


def validate(user: Any, institution_id: int | None, role_id: int | None) -> None:
    fields = problems(user, institution_id, role_id)
    if fields:
        raise BusinessError("IDENTITY_NOT_HELD", next(iter(fields.values()))[0], fields=fields)


def normalise(user: Any, institution_id: int | None, role_id: int | None) -> tuple[int | None, int | None]:
    """The home institution is stored as "no choice"."""
    return (None if institution_id == user.institution_id else institution_id), role_id


def apply_from_session(request: HttpRequest, user: Any) -> None:
    """Put the session's choice in force on ``user``; a choice no longer held (roles or custom
    institution sets changed since) is dropped and the user is back to the default."""
    stored = request.session.get(SESSION_KEY)
    if not isinstance(stored, dict):
        return
    institution_id, role_id = stored.get("institution"), stored.get("role")
    if problems(user, institution_id, role_id):
        request.session.pop(SESSION_KEY, None)
        return
    user.apply_identity(institution_id, role_id)
