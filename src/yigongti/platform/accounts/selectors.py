"""Reads for accounts; the data-scope resolution every selector in the platform relies on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from yigongti.core.scope import DataScope, ScopeContext

if TYPE_CHECKING:
    from yigongti.platform.accounts.models import User


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
    """Fold the data scopes of all of a user's roles into one context (the union)."""
    from yigongti.platform.org.models import Institution

    base = {"user_id": user.pk, "staff_id": user.staff_id}
    if not user.is_active:
        return ScopeContext()
    if user.is_superuser:
        return ScopeContext(all=True, **base)
    communities: set[int] = set()
    institutions: set[int] = set()
    departments: set[int] = set()
    for role in user._role_list():
        scope = role.data_scope
        if scope == DataScope.ALL:
            return ScopeContext(all=True, **base)
        if scope == DataScope.COMMUNITY and user.institution_id:
            community = Institution.objects.filter(pk=user.institution_id).values_list("community_id", flat=True)
            communities.update(community)
            institutions.update(Institution.objects.filter(community_id__in=community).values_list("id", flat=True))
        elif scope == DataScope.INSTITUTION and user.institution_id:
            institutions.add(user.institution_id)
        elif scope == DataScope.CUSTOM:
            institutions.update(i.pk for i in role.custom_institutions.all())
        elif scope == DataScope.DEPARTMENT and user.department_id:
            departments.add(user.department_id)
        elif scope == DataScope.DEPARTMENT_TREE and user.department_id:
            departments.update(_department_tree(user.department_id))
    return ScopeContext(
        community_ids=frozenset(communities),
        institution_ids=frozenset(institutions), department_ids=frozenset(departments), **base
    )
