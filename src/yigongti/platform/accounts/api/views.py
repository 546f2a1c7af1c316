"""``/api/v1/accounts/``: users, roles, the permission tree, online sessions (PLAT-03, SEC-05)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.utils import extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yigongti.core.api.viewsets import ReadOnlyResourceViewSet, ResourceViewSet
from yigongti.core.catalog import tree
from yigongti.core.errors import BusinessError
from yigongti.platform.accounts import services
from yigongti.platform.accounts.api import serializers as s
from yigongti.platform.accounts.choices import SessionEndReason
from yigongti.platform.accounts.models import Role, User, UserSession
from yigongti.platform.accounts.selectors import online_sessions

PROJECT = "用户与权限"


class UserViewSet(ResourceViewSet):
    queryset = (
        User.objects.select_related("institution", "department", "staff")
        .prefetch_related("roles")
        .annotate(otp_enabled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
    )
    serializer_class = s.UserSerializer
    brief_serializer_class = s.UserBriefSerializer
    permission_base = "accounts.user"
    action_codes = {
        "set_roles": "accounts.role.grant",
        "reset_password": "accounts.user.reset_password",
        "unlock": "accounts.user.unlock",
    }
    WRITE_ACTIONS = ResourceViewSet.WRITE_ACTIONS | {"set_roles", "reset_password", "unlock"}
    project = PROJECT
    import_enabled = False  # initial passwords are not taken from spreadsheets
    filterset_fields = ["institution", "department", "is_active", "must_change_password", "roles"]
    search_fields = ["username", "name", "phone"]
    ordering_fields = ["username", "name", "date_joined", "last_login"]

    def _fresh(self, pk: int) -> User:
        return self.base_queryset().get(pk=pk)

    def perform_create(self, serializer: drf_serializers.BaseSerializer[Any]) -> None:
        data = dict(serializer.validated_data)  # type: ignore[arg-type]
        password = data.pop("password")
        user = services.user_create(data=data, password=password, actor=self.request.user, visible=self.get_queryset())
        serializer.instance = self._fresh(user.pk)

    def perform_update(self, serializer: drf_serializers.BaseSerializer[Any]) -> None:
        super().perform_update(serializer)
        user = self._fresh(serializer.instance.pk)  # type: ignore[union-attr]
        if not user.is_active:  # a disabled account is off-line at once
            services.sessions_end_for_user(user=user, reason=SessionEndReason.FORCED)
        serializer.instance = user

    def perform_destroy(self, instance: models.Model) -> None:
        if instance.pk == self.request.user.pk:
            raise BusinessError("DELETE_SELF", "不能删除自己的账号。")
        super().perform_destroy(instance)

    @extend_schema(request=s.UserRolesSerializer, responses={200: s.UserSerializer}, summary="分配角色")
    @action(detail=True, methods=["post"], url_path="roles")
    def set_roles(self, request: Request, pk: str | None = None) -> Response:
        user = self.get_object()
        data = s.UserRolesSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        services.user_set_roles(user=user, roles=data.validated_data["roles"], actor=request.user)
        return Response(s.UserSerializer(self._fresh(user.pk), context=self.get_serializer_context()).data)

    @extend_schema(request=s.NewPasswordSerializer, responses={200: s.UserSerializer}, summary="重置密码")
    @action(detail=True, methods=["post"], url_path="reset-password")
    def reset_password(self, request: Request, pk: str | None = None) -> Response:
        user = self.get_object()
        data = s.NewPasswordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.user_reset_password(user=user, new_password=data.validated_data["new_password"], actor=request.user)
        return Response(s.UserSerializer(self._fresh(user.pk), context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses={200: s.UnlockResultSerializer}, summary="解除登录锁定")
    @action(detail=True, methods=["post"])
    def unlock(self, request: Request, pk: str | None = None) -> Response:
        removed = services.user_unlock(user=self.get_object(), actor=request.user)
        return Response({"removed": removed})


class RoleViewSet(ResourceViewSet):
    queryset = Role.objects.select_related("institution").prefetch_related("custom_institutions")
    serializer_class = s.RoleSerializer
    brief_serializer_class = s.RoleBriefSerializer
    permission_base = "accounts.role"
    project = PROJECT
    filterset_fields = ["institution", "admin_kind", "data_scope", "is_builtin", "requires_otp"]
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name", "created_at"]

    def perform_destroy(self, instance: models.Model) -> None:
        services.role_delete(role=instance, actor=self.request.user)  # type: ignore[arg-type]


class UserSessionViewSet(ReadOnlyResourceViewSet):
    """在线用户: sessions not ended and active within the idle timeout."""

    queryset = UserSession.objects.select_related("user", "user__institution")
    serializer_class = s.UserSessionSerializer
    permission_base = "accounts.session"
    action_codes = {"force_logout": "accounts.session.force_logout"}
    project = PROJECT
    filterset_fields = ["user", "ip"]
    search_fields = ["user__username", "user__name", "ip"]
    ordering_fields = ["last_seen", "created_at"]

    def base_queryset(self) -> models.QuerySet[Any]:
        return online_sessions().select_related("user", "user__institution")

    @extend_schema(request=None, responses={200: s.UserSessionSerializer}, summary="强制下线")
    @action(detail=True, methods=["post"], url_path="force-logout")
    def force_logout(self, request: Request, pk: str | None = None) -> Response:
        session = services.session_force_logout(
            user_session=self.get_object(), actor=request.user, current_key=request.session.session_key
        )
        return Response(s.UserSessionSerializer(session, context=self.get_serializer_context()).data)


class HoldsCode(BasePermission):
    message = "没有执行该操作的权限。"

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        codes = getattr(view, "required_codes", ())
        return bool(user and user.is_authenticated and any(user.has_code(c) for c in codes))


class PermissionTreeView(APIView):
    """The catalogue of menus and actions, for the role editor (角色授权)."""

    permission_classes = [HoldsCode]
    required_codes = ("accounts.role.view", "accounts.role.add", "accounts.role.change")

    @extend_schema(responses={200: s.PermissionGroupSerializer(many=True)}, summary="权限树")
    def get(self, request: Request) -> Response:
        return Response(tree())
