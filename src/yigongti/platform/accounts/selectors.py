"""Reads for accounts; the data-scope resolution every selector in the platform relies on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from yigongti.core.scope import DataScope, ScopeContext

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from yigongti.platform.accounts.models import User, UserSession


def _department_tree(department_id: int) -> set[int]:
    from yigongti.platform.org.models import Department

    institution_id = Department.objects.filter(pk=department_id).values_list("institution_id", flat=True).first()
    if institution_id is None:
        return set()
    children: dict[int | None, list[int]] = {}
    for pk, parent in Department.objects.filter(institution_id=institution_id).values_list("id", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, stack = set(), [department_id]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(children.get(current, []))
    return found


def build_scope_context(user: User) -> ScopeContext:
    """Fold the data scopes of the user's roles in force into one context (the union). 本机构 and
    本医共体 are those of the current institution (``User.current_institution_id``: the home one
    unless the user switched, ``accounts.identity``); 本科室 applies in the home institution only."""
    from yigongti.platform.org.models import Institution

    base: dict[str, Any] = {"user_id": user.pk, "staff_id": user.staff_id}
    if not user.is_active:
        return ScopeContext()
    if user.is_superuser:
        return ScopeContext(all=True, **base)
    institution_id, department_id = user.current_institution_id, user.current_department_id
    communities: set[int] = set()
    institutions: set[int] = set()
    departments: set[int] = set()
    for role in user._role_list():
        scope = role.data_scope
        if scope == DataScope.ALL:
            return ScopeContext(all=True, **base)
        if scope == DataScope.COMMUNITY and institution_id:
            community = Institution.objects.filter(pk=institution_id).values_list("community_id", flat=True)
            communities.update(community)
            institutions.update(Institution.objects.filter(community_id__in=community).values_list("id", flat=True))
        elif scope == DataScope.INSTITUTION and institution_id:
            institutions.add(institution_id)
        elif scope == DataScope.CUSTOM:
            institutions.update(i.pk for i in role.custom_institutions.all())
        elif scope == DataScope.DEPARTMENT and department_id:
            departments.add(department_id)
        elif scope == DataScope.DEPARTMENT_TREE and department_id:
            departments.update(_department_tree(department_id))
    return ScopeContext(
        community_ids=frozenset(communities),
        institution_ids=frozenset(institutions),
        department_ids=frozenset(departments),
        **base,
    )


def menu_tree_for(user: User) -> list[dict[str, object]]:
    """The catalogue's groups → menus, keeping the menus whose ``.view`` code the user holds."""
    from yigongti.core.catalog import tree

    codes = user.permission_code_set()
    groups: list[dict[str, object]] = []
    for group in tree():
        children = [
            {"code": menu["code"], "name": menu["name"], "path": menu["path"]}
            for menu in group["children"]  # type: ignore[attr-defined]
            if f"{menu['code']}.view" in codes
        ]
        if children:
            groups.append({"code": group["code"], "name": group["name"], "children": children})
    return groups


def me_summary(user: User) -> dict[str, object]:
    """What the console needs about the signed-in user (``GET /auth/me``)."""
    from django_otp import user_has_device

    from yigongti.platform.accounts.policy import idle_timeout_seconds, password_expired

    def named(obj: object | None) -> dict[str, object] | None:
        return {"id": obj.pk, "name": obj.name} if obj is not None else None  # type: ignore[attr-defined]

    from yigongti.platform.accounts.identity import identity_options

    options = identity_options(user)
    current = next((i for i in options["institutions"] if i["id"] == user.current_institution_id), None)
    return {
        "id": user.pk,
        "username": user.username,
        "name": user.name,
        "institution": {"id": current["id"], "name": current["name"]} if current else named(user.institution),
        "department": named(user.department) if user.current_department_id else None,
        "roles": [{"code": r.code, "name": r.name} for r in user._role_list()],
        "permissions": sorted(user.permission_code_set()),
        "menus": menu_tree_for(user),
        "must_change_password": user.must_change_password,
        "password_expired": password_expired(user),
        "idle_timeout_seconds": idle_timeout_seconds(),
        "otp_enabled": user_has_device(user, confirmed=True),
        "identity": options,
    }


def online_sessions() -> QuerySet[UserSession]:
    """Sessions not ended and active within the idle timeout (在线用户)."""
    import datetime as dt

    from django.utils import timezone

    from yigongti.platform.accounts.models import UserSession
    from yigongti.platform.accounts.policy import idle_timeout_seconds

    since = timezone.now() - dt.timedelta(seconds=idle_timeout_seconds())
    return UserSession.objects.filter(ended_at__isnull=True, last_seen__gte=since)
