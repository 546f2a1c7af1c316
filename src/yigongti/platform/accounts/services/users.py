"""Accounts and roles: create, passwords, role assignment with 三员分立, unlock, role delete."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils import timezone

from yigongti.core.audit.choices import Category, LogType
from yigongti.core.audit.services import AuditEntry, audit_model_change, audit_write, snapshot
from yigongti.core.errors import BusinessError, ConflictError
from yigongti.core.scope import DataScope
from yigongti.platform.accounts.choices import AdminKind, SessionEndReason
from yigongti.platform.accounts.models import PasswordHistory, Role, User
from yigongti.platform.accounts.services.common import PROJECT, user_log
from yigongti.platform.accounts.services.sessions import sessions_end_for_user

HISTORY_KEPT = 10  # rows of PasswordHistory kept per user (the policy checks the last 5)


def check_password_policy(password: str, user: Any, *, field: str) -> None:
    """Run ``AUTH_PASSWORD_VALIDATORS``; a failure is a field error with the Chinese messages."""
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise DjangoValidationError({field: exc.messages}) from None


def password_set(*, user: User, raw_password: str, must_change: bool) -> None:
    """Store a new password (already validated) and remember it in the history."""
    user.set_password(raw_password)
    user.must_change_password = must_change
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    PasswordHistory.objects.create(user=user, password=user.password)
    stale = list(user.password_history.order_by("-created_at", "-id").values_list("id", flat=True)[HISTORY_KEPT:])
    if stale:
        PasswordHistory.objects.filter(id__in=stale).delete()


def _ensure_writable(user: User, visible: models.QuerySet[Any]) -> None:
    if not visible.filter(pk=user.pk).exists():
        raise BusinessError("OUT_OF_SCOPE", "无权在该机构或科室下保存此记录（超出您的数据权限）。", status_code=403)


@transaction.atomic
def user_create(*, data: dict[str, Any], password: str, actor: Any, visible: models.QuerySet[Any]) -> User:
    """A new account with an initial password that must be changed at the first login."""
    user = User(**data)
    user.must_change_password = True
    check_password_policy(password, user, field="password")
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.full_clean()
    user.save()
    PasswordHistory.objects.create(user=user, password=user.password)
    _ensure_writable(user, visible)
    audit_model_change(category=Category.CREATE, instance=user, before=None, after=snapshot(user), project=PROJECT)
    return user


def _separation_problem(user: User, roles: Sequence[Role]) -> str | None:
    """三员分立 (等保三级): the reason ``roles`` may not be held together, or ``None``."""
    admin_roles = [r for r in roles if r.admin_kind]
    if len(admin_roles) > 1:
        names = "、".join(r.name for r in admin_roles)
        return f"三员分立：一个账号最多只能拥有一个管理员角色（系统管理员、安全保密管理员、安全审计员），不能同时拥有{names}。"
    if any(r.admin_kind == AdminKind.AUDITOR for r in roles) and len(roles) > 1:
        return "三员分立：安全审计员不能同时拥有其他任何角色。"
    if any(r.admin_kind and r.admin_kind != AdminKind.AUDITOR for r in roles) and any(
        any(str(c).startswith("audit.") for c in r.permission_codes) for r in roles
    ):
        return "三员分立：系统管理员和安全保密管理员不能拥有审计日志权限。"
    return None


@transaction.atomic
def user_set_roles(*, user: User, roles: Sequence[Role], actor: Any) -> User:
    """Replace the roles of ``user`` (分配角色), enforcing 三员分立 and no self-grant."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    roles = list(dict.fromkeys(roles))
    if actor is not None and actor.pk == locked.pk:
        raise BusinessError("ROLE_SELF_GRANT", "不能修改自己的角色，请由其他安全保密管理员操作。")
    if any(r.admin_kind for r in roles) and not actor.scope_context().all:
        raise BusinessError(
            "ROLE_ADMIN_GRANT",
            "只有拥有“全部”数据权限的管理员才能分配三员角色。",
            fields={"roles": ["无权分配三员角色。"]},
        )
    foreign = [r for r in roles if r.institution_id is not None and r.institution_id != locked.institution_id]
    if foreign:
        message = f"角色“{foreign[0].name}”属于其他机构，不能分配给该用户。"
        raise BusinessError("ROLE_OTHER_INSTITUTION", message, fields={"roles": [message]})
    problem = _separation_problem(locked, roles)
    if problem:
        raise BusinessError("ROLE_SEPARATION", problem, fields={"roles": [problem]})
    before = sorted(locked.roles.values_list("code", flat=True))
    locked.roles.set(roles)
    after = sorted(r.code for r in roles)
    for attr in ("_roles_cache", "_codes_cache", "_scope_cache"):
        locked.__dict__.pop(attr, None)
        user.__dict__.pop(attr, None)
    audit_write(
        AuditEntry(
            log_type=LogType.DATA,
            category=Category.GRANT,
            action="accounts.user.grant",
            project=PROJECT,
            object_type="accounts.user",
            object_id=str(locked.pk),
            object_repr=str(locked),
            content=f"为用户 {locked.username} 分配角色：{'、'.join(r.name for r in roles) or '（无）'}",
            before={"roles": before},
            after={"roles": after},
        )
    )
    return locked


@transaction.atomic
def user_reset_password(*, user: User, new_password: str, actor: Any) -> User:
    """An administrator sets a new password; the user must change it at the next login and every
    session of the user ends."""
    if actor is not None and actor.pk == user.pk:
        raise BusinessError("RESET_OWN_PASSWORD", "不能重置自己的密码，请使用“修改密码”。")
    locked = User.objects.select_for_update().get(pk=user.pk)
    check_password_policy(new_password, locked, field="new_password")
    password_set(user=locked, raw_password=new_password, must_change=True)
    sessions_end_for_user(user=locked, reason=SessionEndReason.FORCED)
    user_log(
        category=Category.PASSWORD,
        action="accounts.user.reset_password",
        content=f"重置用户 {locked.username}（{locked.name}）的密码，下次登录须修改",
        target=locked,
    )
    return locked


@transaction.atomic
def user_unlock(*, user: User, actor: Any) -> int:
    """Clear the login failures of the account (解除锁定); returns the number of records removed."""
    removed = axes_reset(username=user.get_username())
    user_log(
        category=Category.LOCKED,
        action="accounts.user.unlock",
        content=f"解除用户 {user.username}（{user.name}）的登录锁定，清除 {removed} 条失败记录",
        target=user,
    )
    return removed


@transaction.atomic
def role_delete(*, role: Role, actor: Any) -> None:
    if role.is_builtin:
        raise BusinessError("ROLE_BUILTIN", "内置角色不能删除。")
    holders = role.users.count()
    if holders:
        raise ConflictError("IN_USE", f"该角色已分配给 {holders} 个用户，请先取消分配后再删除。")
    before = snapshot(role)
    pk = role.pk
    role.delete()
    role.pk = pk
    audit_model_change(category=Category.DELETE, instance=role, before=before, after=None, project=PROJECT)


_SCOPE_RANK = {
    DataScope.SELF: 0, DataScope.DEPARTMENT: 1, DataScope.DEPARTMENT_TREE: 2, DataScope.INSTITUTION: 3,
    DataScope.CUSTOM: 3, DataScope.COMMUNITY: 4, DataScope.ALL: 5,
}  # fmt: skip


def scope_rank(scope: str) -> int:
    """How wide a data scope is (a custom set is limited to institutions the grantor can see)."""
    return _SCOPE_RANK.get(scope, 0)  # type: ignore[call-overload]


def actor_scope_rank(actor: Any) -> int:
    if getattr(actor, "is_superuser", False):
        return scope_rank(DataScope.ALL)
    return max((scope_rank(r.data_scope) for r in actor._role_list()), default=0)
