"""Users, roles with permission codes and data scope, password history, online sessions (PLAT-03)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from yigongti.core.catalog import all_codes
from yigongti.core.models import TimeStampedModel, TrackedModel
from yigongti.core.scope import DataScope, ScopeContext, ScopeSpec
from yigongti.platform.accounts.choices import AdminKind, SessionEndReason


class Role(TrackedModel):
    institution = models.ForeignKey(
        "org.Institution",
        verbose_name="所属机构",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="roles",
        help_text="为空表示全平台通用角色",
    )
    code = models.CharField("角色编码", max_length=50, unique=True)
    name = models.CharField("角色名称", max_length=50)
    admin_kind = models.CharField("三员类别", max_length=16, choices=AdminKind.choices, blank=True, default="")
    data_scope = models.CharField("数据权限", max_length=20, choices=DataScope.choices, default=DataScope.SELF)
    custom_institutions = models.ManyToManyField(
        "org.Institution", verbose_name="自定义机构集", blank=True, related_name="+"
    )
    permission_codes = models.JSONField("菜单与操作权限", default=list, blank=True)
    requires_otp = models.BooleanField("要求双因素认证", default=False)
    description = models.CharField("说明", max_length=200, blank=True)
    is_builtin = models.BooleanField("内置", default=False, editable=False)

    scope_spec = ScopeSpec(institution="institution_id", shared="institution__isnull")

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = verbose_name
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        codes = self.permission_codes or []
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise ValidationError({"permission_codes": "权限应为权限编码列表。"})
        unknown = sorted(set(codes) - all_codes())
        if unknown:
            raise ValidationError({"permission_codes": f"未知的权限编码：{'、'.join(unknown[:5])}"})
        if self.admin_kind == AdminKind.AUDITOR:
            other = [c for c in codes if not c.startswith("audit.")]
            if other:
                raise ValidationError({"permission_codes": "安全审计员只能拥有审计日志相关权限。"})
        elif any(c.startswith("audit.") for c in codes) and self.admin_kind:
            raise ValidationError({"permission_codes": "只有安全审计员可以查看审计日志。"})


class User(AbstractUser):
    """A login account, linked to a staff record and a home institution."""

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    name = models.CharField("姓名", max_length=50, blank=True)
    staff = models.OneToOneField(
        "org.Staff", verbose_name="对应人员", null=True, blank=True, on_delete=models.PROTECT, related_name="user"
    )
    institution = models.ForeignKey(
        "org.Institution",
        verbose_name="所属机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    department = models.ForeignKey(
        "org.Department", verbose_name="所属科室", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    phone = models.CharField("手机号", max_length=20, blank=True)
    roles = models.ManyToManyField(Role, verbose_name="角色", blank=True, related_name="users")
    must_change_password = models.BooleanField("下次登录须修改密码", default=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    scope_spec = ScopeSpec(institution="institution_id", department="department_id", owner="id")

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = verbose_name
        ordering = ["username"]

    def __str__(self) -> str:
        return f"{self.name or self.username}"

    # -- current identity (切换机构/角色) ----------------------------------------------------------
    # Set per request from the session (``accounts.identity``); never saved on the row.
    def apply_identity(self, institution_id: int | None, role_id: int | None) -> None:
        """Work as a member of ``institution_id`` (None: the home institution) with only the role
        ``role_id`` (None: every role). The caller has validated both (``identity.validate``)."""
        self._identity = (institution_id, role_id)
        for attr in ("_codes_cache", "_scope_cache"):
            self.__dict__.pop(attr, None)

    def current_identity(self) -> tuple[int | None, int | None]:
        identity: tuple[int | None, int | None] | None = getattr(self, "_identity", None)
        return identity if identity is not None else (None, None)

    @property
    def current_institution_id(self) -> int | None:
        """The institution the user works in now: 本机构 of the data scope, new records' owner."""
        chosen, _ = self.current_identity()
        return chosen if chosen is not None else self.institution_id

    @property
    def current_department_id(self) -> int | None:
        """The home department counts only while working in the home institution."""
        return self.department_id if self.current_institution_id == self.institution_id else None

    # -- permissions --------------------------------------------------------------------------
    def all_roles(self) -> list[Role]:
        cached = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = list(self.roles.prefetch_related("custom_institutions")) if self.pk else []
            self._roles_cache = cached
        return cached

    def _role_list(self) -> list[Role]:
        """The roles in force: all of them, or only the one chosen with ``apply_identity``."""
        roles = self.all_roles()
        _, role_id = self.current_identity()
        return roles if role_id is None else [r for r in roles if r.pk == role_id]

    def permission_code_set(self) -> frozenset[str]:
        cached: frozenset[str] | None = getattr(self, "_codes_cache", None)
        if cached is None:
            if self.is_superuser:
                cached = frozenset(all_codes())
            else:
                cached = frozenset(code for role in self._role_list() for code in role.permission_codes)
            self._codes_cache = cached
        return cached

    def has_code(self, code: str) -> bool:
        return self.is_active and code in self.permission_code_set()

    def admin_kinds(self) -> set[str]:
        return {r.admin_kind for r in self._role_list() if r.admin_kind}

    def requires_otp(self) -> bool:
        return bool(self.admin_kinds()) or any(r.requires_otp for r in self._role_list())

    def scope_context(self) -> ScopeContext:
        cached: ScopeContext | None = getattr(self, "_scope_cache", None)
        if cached is None:
            from yigongti.platform.accounts.selectors import build_scope_context

            cached = build_scope_context(self)
            self._scope_cache = cached
        return cached

    def _current_institution_name(self) -> str:
        current = self.current_institution_id
        if current is None or current == self.institution_id:
            return self.institution.name if self.institution is not None else ""
        from yigongti.platform.org.models import Institution

        return Institution.objects.filter(pk=current).values_list("name", flat=True).first() or ""

    def audit_identity(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "roles": "、".join(r.name for r in self._role_list()),
            "institution_id": self.current_institution_id,
            "institution_name": self._current_institution_name(),
            "department_name": self.department.name if self.department is not None else "",
        }


class PasswordHistory(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "历史密码"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class UserSession(TimeStampedModel):
    """One login session: the 在线用户 list and forced logout."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField("会话", max_length=40, unique=True)
    ip = models.CharField("IP", max_length=64, blank=True)
    user_agent = models.CharField("客户端", max_length=300, blank=True)
    last_seen = models.DateTimeField("最后活动时间")
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    end_reason = models.CharField("结束原因", max_length=16, choices=SessionEndReason.choices, blank=True)

    scope_spec = ScopeSpec(institution="user__institution_id", owner="user_id")

    class Meta:
        verbose_name = "在线会话"
        verbose_name_plural = verbose_name
        ordering = ["-last_seen"]
        indexes = [models.Index(fields=["ended_at", "-last_seen"], name="acc_session_active")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.ip}"
