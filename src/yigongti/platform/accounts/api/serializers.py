"""Users, roles and online sessions. The password hash never leaves the server."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from yigongti.core.api.serializers import ResourceSerializer, ScopedRelatedField
from yigongti.core.scope import DataScope
from yigongti.platform.accounts.models import Role, User, UserSession
from yigongti.platform.accounts.services.users import actor_scope_rank, check_password_policy, scope_rank
from yigongti.platform.org.models import Department, Institution, Staff


@extend_schema_field(OpenApiTypes.STR)
class RelatedNameField(serializers.Field):  # type: ignore[type-arg]
    """The name of a related row, ``""`` when there is none (also in PATCH answers, where DRF
    would otherwise drop a ``source="x.name", default=""`` field)."""

    def __init__(self, path: str, **kwargs: Any) -> None:
        self.path = path
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        for part in self.path.split("."):
            value = getattr(value, part, None)
            if value is None:
                return ""
        return str(value)


class RoleBriefSerializer(serializers.ModelSerializer[Role]):
    class Meta:
        model = Role
        fields = ["id", "code", "name", "admin_kind"]


class UserSerializer(ResourceSerializer):
    institution = ScopedRelatedField(
        label="所属机构", queryset=Institution.objects.all(), required=False, allow_null=True
    )
    department = ScopedRelatedField(
        label="所属科室", queryset=Department.objects.all(), required=False, allow_null=True
    )
    staff = ScopedRelatedField(label="对应人员", queryset=Staff.objects.all(), required=False, allow_null=True)
    institution_name = RelatedNameField("institution.name", label="机构名称")
    department_name = RelatedNameField("department.name", label="科室名称")
    staff_name = RelatedNameField("staff.name", label="人员姓名")
    roles = RoleBriefSerializer(label="角色", many=True, read_only=True)
    otp_enabled = serializers.BooleanField(label="已绑定身份验证器", read_only=True, default=False)
    password = serializers.CharField(
        label="初始密码",
        write_only=True,
        required=False,
        trim_whitespace=False,
        max_length=128,
        style={"input_type": "password"},
    )

    class Meta:
        model = User
        fields = [
            "id", "username", "name", "phone", "email", "institution", "institution_name", "department",
            "department_name", "staff", "staff_name", "roles", "is_active", "must_change_password",
            "password_changed_at", "otp_enabled", "last_login", "date_joined", "password",
        ]  # fmt: skip
        read_only_fields = ["must_change_password", "password_changed_at", "last_login", "date_joined"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        password = attrs.get("password")
        if self.instance is not None and password is not None:
            raise serializers.ValidationError({"password": "修改用户信息时不能修改密码，请使用“重置密码”。"})
        if self.instance is None and not password:
            raise serializers.ValidationError({"password": "请填写初始密码。"})
        attrs = super().validate(attrs)  # model validation sees the raw password only as "not blank"
        institution = attrs.get("institution", getattr(self.instance, "institution", None))
        department = attrs.get("department", getattr(self.instance, "department", None))
        staff = attrs.get("staff", getattr(self.instance, "staff", None))
        if department is not None and (institution is None or department.institution_id != institution.pk):
            raise serializers.ValidationError({"department": "所属科室必须属于该用户的所属机构。"})
        if staff is not None and (institution is None or staff.institution_id != institution.pk):
            raise serializers.ValidationError({"staff": "对应人员必须属于该用户的所属机构。"})
        if password is not None:
            candidate = User(username=attrs.get("username", ""), name=attrs.get("name", ""))
            try:
                check_password_policy(password, candidate, field="password")
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.message_dict) from None
        return attrs


class UserBriefSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ["id", "username", "name"]


class UserRolesSerializer(serializers.Serializer[Any]):
    roles = ScopedRelatedField(label="角色", queryset=Role.objects.all(), many=True, allow_empty=True)


class NewPasswordSerializer(serializers.Serializer[Any]):
    new_password = serializers.CharField(label="新密码", max_length=128, trim_whitespace=False)


class UnlockResultSerializer(serializers.Serializer[Any]):
    removed = serializers.IntegerField(label="清除的失败记录数")


class PermissionCodesField(serializers.ListField):
    """A list of codes; Excel import may give them in one cell separated by commas or 、."""

    child = serializers.CharField(max_length=100)

    def to_internal_value(self, data: Any) -> list[str]:
        if isinstance(data, str):
            data = [c for c in re.split(r"[,，、;；\s]+", data) if c]
        codes = super().to_internal_value(data)
        return sorted(dict.fromkeys(codes))


class RoleSerializer(ResourceSerializer):
    institution = ScopedRelatedField(
        label="所属机构", queryset=Institution.objects.all(), required=False, allow_null=True
    )
    institution_name = RelatedNameField("institution.name", label="机构名称")
    custom_institutions = ScopedRelatedField(
        label="自定义机构集", queryset=Institution.objects.all(), many=True, required=False
    )
    permission_codes = PermissionCodesField(label="菜单与操作权限", required=False)
    admin_kind_display = serializers.CharField(source="get_admin_kind_display", label="三员类别名称", read_only=True)
    data_scope_display = serializers.CharField(source="get_data_scope_display", label="数据权限名称", read_only=True)

    class Meta:
        model = Role
        fields = [
            "id", "code", "name", "institution", "institution_name", "admin_kind", "admin_kind_display", "data_scope",
            "data_scope_display", "custom_institutions", "permission_codes", "requires_otp", "description",
            "is_builtin", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["is_builtin", "created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        instance: Role | None = self.instance
        actor = self.context["request"].user

        def current(name: str, default: Any = None) -> Any:
            return attrs[name] if name in attrs else getattr(instance, name, default)

        institution = current("institution")
        admin_kind = current("admin_kind", "")
        data_scope = current("data_scope", DataScope.SELF)
        if instance is not None and instance.is_builtin and "code" in attrs and attrs["code"] != instance.code:
            raise serializers.ValidationError({"code": "内置角色的编码不能修改。"})
        if institution is None and not actor.scope_context().all:
            raise serializers.ValidationError(
                {"institution": "只有拥有“全部”数据权限的用户才能维护全平台通用角色，请选择所属机构。"}
            )
        if admin_kind and institution is not None:
            raise serializers.ValidationError({"admin_kind": "三员角色必须是全平台通用角色，不能属于某个机构。"})
        if scope_rank(data_scope) > actor_scope_rank(actor):
            raise serializers.ValidationError({"data_scope": "角色的数据权限不能超出您自己的数据权限范围。"})
        if "custom_institutions" in attrs or "data_scope" in attrs:
            customs = attrs.get("custom_institutions")
            if customs is None:
                customs = list(instance.custom_institutions.all()) if instance is not None else []
            if data_scope == DataScope.CUSTOM and not customs:
                raise serializers.ValidationError({"custom_institutions": "“自定义机构集”数据权限须至少选择一个机构。"})
            if data_scope != DataScope.CUSTOM and customs:
                raise serializers.ValidationError({"custom_institutions": "只有“自定义机构集”数据权限才需要选择机构。"})
        return attrs


class UserSessionSerializer(serializers.ModelSerializer[UserSession]):
    username = serializers.CharField(source="user.username", label="用户名", read_only=True)
    user_name = serializers.CharField(source="user.name", label="姓名", read_only=True)
    institution_name = RelatedNameField("user.institution.name", label="机构")
    is_current = serializers.SerializerMethodField(label="当前会话")

    class Meta:
        model = UserSession
        fields = [
            "id",
            "user",
            "username",
            "user_name",
            "institution_name",
            "ip",
            "user_agent",
            "created_at",
            "last_seen",
            "is_current",
        ]
        read_only_fields = fields

    def get_is_current(self, obj: UserSession) -> bool:
        request = self.context.get("request")
        key = getattr(getattr(request, "session", None), "session_key", None)
        return bool(key) and obj.session_key == key


class PermissionActionSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(label="权限编码")
    name = serializers.CharField(label="名称")


class PermissionMenuSerializer(PermissionActionSerializer):
    path = serializers.CharField(label="页面路径", allow_blank=True)
    children = PermissionActionSerializer(many=True, label="操作")


class PermissionGroupSerializer(PermissionActionSerializer):
    children = PermissionMenuSerializer(many=True, label="菜单")
