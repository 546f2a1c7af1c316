"""Data scope (数据权限, PLAT-03): which rows of a model a user may see.

A role carries one of the scopes below. For a request the user's roles are folded into one
``ScopeContext`` (the union of what each role grants). A model declares where its owning
institution, department and owner live with a ``ScopeSpec``; ``apply_scope`` turns the two into a
queryset filter. Every list, detail, update and delete goes through it: the console only hides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


class DataScope(models.TextChoices):
    SELF = "self", "本人"
    DEPARTMENT = "department", "本科室"
    DEPARTMENT_TREE = "department_tree", "本科室及下级"
    INSTITUTION = "institution", "本机构"
    COMMUNITY = "community", "本医共体"
    ALL = "all", "全部"
    CUSTOM = "custom", "自定义机构集"


@dataclass(frozen=True)
class ScopeContext:
    """What one user may see, already resolved to ids."""

    all: bool = False
    community_ids: frozenset[int] = frozenset()
    institution_ids: frozenset[int] = frozenset()
    department_ids: frozenset[int] = frozenset()
    user_id: int | None = None
    staff_id: int | None = None

    @classmethod
    def nothing(cls) -> ScopeContext:
        return cls()


@dataclass(frozen=True)
class ScopeSpec:
    """Paths (ORM lookups) from a model to its owning institution / department / owner.

    ``community`` is only needed where rows can appear in a community without belonging to an
    existing institution (the institutions themselves): 本医共体 scope otherwise resolves to the
    community's institution ids. ``owner`` is a lookup that holds a user id; ``staff`` one that holds a staff id; either lets
    本人 scope see the row.
    """

    institution: str | None = None
    community: str | None = None
    department: str | None = None
    owner: str | None = None
    staff: str | None = None
    shared: str | None = None
    """A lookup that, when true, makes the row readable by everyone (e.g. national reference
    rows with no owning institution); ``"*"`` shares every row. Shared rows are never writable
    through scope alone: writing them needs the 全部 scope."""


class ScopedUser(Protocol):
    is_authenticated: bool

    def scope_context(self) -> ScopeContext: ...

    def has_code(self, code: str) -> bool: ...


def scope_q(spec: ScopeSpec, ctx: ScopeContext, *, for_write: bool = False) -> models.Q | None:
    """The filter for ``ctx`` on a model described by ``spec``; ``None`` means no restriction."""
    if ctx.all:
        return None
    if spec.shared == "*" and not for_write:
        return None
    q = models.Q(pk__in=[])  # matches nothing
    if spec.shared and spec.shared != "*" and not for_write:
        q |= models.Q(**{spec.shared: True})
    if spec.community and ctx.community_ids:
        q |= models.Q(**{f"{spec.community}__in": sorted(ctx.community_ids)})
    if spec.institution and ctx.institution_ids:
        q |= models.Q(**{f"{spec.institution}__in": sorted(ctx.institution_ids)})
    if spec.department and ctx.department_ids:
        q |= models.Q(**{f"{spec.department}__in": sorted(ctx.department_ids)})
    if spec.owner and ctx.user_id is not None:
        q |= models.Q(**{spec.owner: ctx.user_id})
    if spec.staff and ctx.staff_id is not None:
        q |= models.Q(**{spec.staff: ctx.staff_id})
    return q


def apply_scope(
    queryset: models.QuerySet[M], spec: ScopeSpec, ctx: ScopeContext, *, for_write: bool = False
) -> models.QuerySet[M]:
    q = scope_q(spec, ctx, for_write=for_write)
    if q is None:
        return queryset
    needs_distinct = any(
        "__" in (path or "") and _crosses_many(queryset.model, path) for path in (spec.institution, spec.department)
    )
    filtered = queryset.filter(q)
    return filtered.distinct() if needs_distinct else filtered


def _crosses_many(model: type[models.Model], path: str | None) -> bool:
    """True when a lookup path walks a to-many relation (then rows may repeat)."""
    if not path:
        return False
    current = model
    for part in path.split("__")[:-1]:
        try:
            f = current._meta.get_field(part)
        except Exception:
            return False
        if f.many_to_many or f.one_to_many:
            return True
        related = getattr(f, "related_model", None)
        if related is None:
            return False
        current = related
    return False


def model_scope(model: type[models.Model]) -> ScopeSpec:
    spec = getattr(model, "scope_spec", None)
    if not isinstance(spec, ScopeSpec):
        raise TypeError(f"{model.__name__} declares no scope_spec")
    return spec
