"""``/api/v1/auth/``: login (+ TOTP), password change, logout, who am I (SEC-03/05)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yigongti.core.api.authentication import ConsoleSessionAuthentication
from yigongti.core.errors import BusinessError
from yigongti.platform.accounts import services
from yigongti.platform.accounts.selectors import me_summary


class CsrfSessionAuthentication(ConsoleSessionAuthentication):
    """Session authentication that checks CSRF for anonymous requests too (login CSRF)."""

    def authenticate(self, request: Request) -> Any:
        result = super().authenticate(request)
        if result is None:
            self.enforce_csrf(request)
        return result

    def enforce_csrf(self, request: Request) -> None:
        try:
            super().enforce_csrf(request)
        except Exception:
            raise BusinessError("CSRF_FAILED", "安全校验失败，请刷新页面后重试。", status_code=403) from None


class LoginSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(label="用户名", max_length=150)
    password = serializers.CharField(label="密码", max_length=128, trim_whitespace=False)


class OtpSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(label="动态验证码", max_length=16)


class PasswordChangeSerializer(serializers.Serializer[Any]):
    old_password = serializers.CharField(label="原密码", max_length=128, trim_whitespace=False)
    new_password = serializers.CharField(label="新密码", max_length=128, trim_whitespace=False)


class LoginResultSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(
        label="登录状态", choices=["ok", "otp_required", "otp_setup_required", "password_change_required"]
    )
    message = serializers.CharField(label="提示", required=False)
    otp_uri = serializers.CharField(label="身份验证器配置链接", required=False)
    otp_secret = serializers.CharField(label="身份验证器密钥（Base32）", required=False)
    qr_svg = serializers.CharField(label="二维码（SVG）", required=False)


class NamedRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CodeNameSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()


class MeMenuSerializer(CodeNameSerializer):
    path = serializers.CharField(allow_blank=True)


class MeMenuGroupSerializer(CodeNameSerializer):
    children = MeMenuSerializer(many=True)


class HeldInstitutionSerializer(NamedRefSerializer):
    home = serializers.BooleanField(label="本人所属机构")


class HeldRoleSerializer(CodeNameSerializer):
    id = serializers.IntegerField()


class IdentitySerializer(serializers.Serializer[Any]):
    institutions = HeldInstitutionSerializer(many=True, label="可切换的机构")
    roles = HeldRoleSerializer(many=True, label="可切换的角色")
    current_institution = serializers.IntegerField(label="当前机构", allow_null=True)
    current_role = serializers.IntegerField(label="当前角色（空为全部角色）", allow_null=True)
    switched = serializers.BooleanField(label="已切换")


class SwitchSerializer(serializers.Serializer[Any]):
    institution = serializers.IntegerField(label="机构", required=False, allow_null=True, default=None)
    role = serializers.IntegerField(label="角色（空为全部角色）", required=False, allow_null=True, default=None)


class MeSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    institution = NamedRefSerializer(allow_null=True)
    department = NamedRefSerializer(allow_null=True)
    roles = CodeNameSerializer(many=True)
    permissions = serializers.ListField(child=serializers.CharField())
    menus = MeMenuGroupSerializer(many=True)
    must_change_password = serializers.BooleanField()
    password_expired = serializers.BooleanField()
    idle_timeout_seconds = serializers.IntegerField()
    otp_enabled = serializers.BooleanField()
    identity = IdentitySerializer(label="当前身份与可切换的机构/角色")


class _AuthView(APIView):
    authentication_classes = [CsrfSessionAuthentication]
    permission_classes = [permissions.AllowAny]


class LoginView(_AuthView):
    @extend_schema(request=LoginSerializer, responses={200: LoginResultSerializer}, summary="用户名密码登录")
    def post(self, request: Request) -> Response:
        data = LoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.login_with_password(
            request=request._request, username=data.validated_data["username"], password=data.validated_data["password"]
        )
        return Response(result)


class OtpView(_AuthView):
    @extend_schema(request=OtpSerializer, responses={200: LoginResultSerializer}, summary="双因素认证（动态验证码）")
    def post(self, request: Request) -> Response:
        data = OtpSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(services.login_verify_otp(request=request._request, token=data.validated_data["token"]))


class LogoutView(_AuthView):
    @extend_schema(request=None, responses={204: None}, summary="退出登录")
    def post(self, request: Request) -> Response:
        services.logout_user(request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordView(_AuthView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=PasswordChangeSerializer, responses={200: LoginResultSerializer}, summary="修改本人密码")
    def post(self, request: Request) -> Response:
        data = PasswordChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.password_change(
            request=request._request,
            user=request.user,  # type: ignore[arg-type]
            old_password=data.validated_data["old_password"],
            new_password=data.validated_data["new_password"],
        )
        return Response(result)


class MeView(_AuthView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: MeSerializer}, summary="当前登录用户")
    def get(self, request: Request) -> Response:
        return Response(me_summary(request.user))  # type: ignore[arg-type]


class SwitchView(_AuthView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=SwitchSerializer, responses={200: MeSerializer}, summary="切换当前机构/角色")
    def post(self, request: Request) -> Response:
        data = SwitchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.identity_switch(
            request=request._request,
            user=request.user,  # type: ignore[arg-type]
            institution_id=data.validated_data["institution"],
            role_id=data.validated_data["role"],
        )
        return Response(me_summary(user))
