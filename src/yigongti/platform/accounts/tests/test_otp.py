"""TOTP second factor for the three administrators and roles that ask for it (SEC-05)."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from yigongti.core.audit.models import AuditLog
from yigongti.core.testing.api import assert_error
from yigongti.platform.accounts.models import UserSession
from yigongti.platform.accounts.tests.conftest import ME, OTP, confirmed_device, login, token_for, user_with_roles
from yigongti.platform.testing import make_role

pytestmark = pytest.mark.django_db

ADMINS = ["sysadmin", "secadmin", "auditor"]


@pytest.fixture(autouse=True)
def no_otp_throttle(settings: Any) -> None:
    """A wrong token is followed at once by the right one; throttling has its own test."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def wrong(token: str) -> str:
    return f"{(int(token) + 1) % 1000000:06d}"


@pytest.mark.parametrize("role", ADMINS)
def test_admin_with_a_device_must_pass_totp(builtin: Any, role: str) -> None:
    user = user_with_roles(None, builtin[role])
    device = confirmed_device(user)
    client = APIClient()

    response = login(client, user.username)

    assert response.json() == {"status": "otp_required", "message": "请输入身份验证器（手机令牌）上的 6 位动态验证码。"}
    assert_error(client.get(ME), 401, "NOT_AUTHENTICATED")
    assert not UserSession.objects.exists()
    body = assert_error(client.post(OTP, {"token": wrong(token_for(device))}, format="json"), 400, "OTP_INVALID")
    assert body["message"] == "动态验证码错误，请重新输入。"
    assert_error(client.get(ME), 401, "NOT_AUTHENTICATED")

    response = client.post(OTP, {"token": token_for(device)}, format="json")

    assert response.status_code == 200 and response.json() == {"status": "ok"}
    me = client.get(ME).json()
    assert me["roles"] == [{"code": role, "name": builtin[role].name}] and me["otp_enabled"] is True
    assert UserSession.objects.get(user=user).ended_at is None
    events = list(
        AuditLog.objects.filter(user_code=user.username).order_by("id").values_list("category", "success", "content")
    )
    assert events == [
        ("otp", True, "密码验证通过，等待动态验证码"),
        ("otp", False, "双因素认证失败：动态验证码错误"),
        ("otp", True, "双因素认证通过"),
        ("login", True, "登录成功（双因素认证）"),
    ]


@pytest.mark.parametrize("role", ADMINS)
def test_admin_without_a_device_binds_one_at_first_login(builtin: Any, role: str) -> None:
    user = user_with_roles(None, builtin[role])
    client = APIClient()

    body = login(client, user.username).json()

    assert body["status"] == "otp_setup_required"
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed is False
    assert body["otp_secret"] == base64.b32encode(device.bin_key).decode()
    assert body["otp_uri"].startswith("otpauth://totp/") and f"secret={body['otp_secret']}" in body["otp_uri"]
    assert body["qr_svg"].startswith("<svg") and body["qr_svg"].endswith("</svg>")
    assert_error(client.get(ME), 401, "NOT_AUTHENTICATED")
    assert_error(client.post(OTP, {"token": "12345"}, format="json"), 400, "OTP_INVALID")
    device.refresh_from_db()
    assert device.confirmed is False

    response = client.post(OTP, {"token": token_for(device)}, format="json")

    assert response.json() == {"status": "ok"}
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get(ME).json()["otp_enabled"] is True
    assert AuditLog.objects.filter(category="otp", content="双因素认证通过，已绑定身份验证器").count() == 1


def test_a_second_setup_replaces_the_unconfirmed_device(builtin: Any) -> None:
    user = user_with_roles(None, builtin["sysadmin"])
    first = login(APIClient(), user.username).json()["otp_secret"]

    second = login(APIClient(), user.username).json()["otp_secret"]

    assert first != second
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_a_non_admin_role_may_require_otp(api_world: Any) -> None:
    user = user_with_roles(api_world.home, make_role(["org.institution.view"], requires_otp=True))

    assert login(APIClient(), user.username).json()["status"] == "otp_setup_required"


def test_doctor_needs_no_otp(api_world: Any, builtin: Any) -> None:
    user = user_with_roles(api_world.home, builtin["doctor"])

    assert login(APIClient(), user.username).json() == {"status": "ok"}
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_token_without_a_pending_login_is_refused(db: Any) -> None:
    body = assert_error(APIClient().post(OTP, {"token": "123456"}, format="json"), 400, "OTP_NOT_PENDING")

    assert body["message"] == "登录已超时或尚未输入用户名和密码，请重新登录。"


def test_pending_login_expires_after_five_minutes(builtin: Any) -> None:
    user = user_with_roles(None, builtin["auditor"])
    device = confirmed_device(user)
    client = APIClient()
    login(client, user.username)
    session = client.session
    session["yigongti_pending_login"]["at"] -= 301
    session.save()

    assert_error(client.post(OTP, {"token": token_for(device)}, format="json"), 400, "OTP_NOT_PENDING")
    assert_error(client.get(ME), 401, "NOT_AUTHENTICATED")


def test_a_used_token_cannot_be_replayed(builtin: Any) -> None:
    user = user_with_roles(None, builtin["secadmin"])
    device = confirmed_device(user)
    first = APIClient()
    login(first, user.username)
    token = token_for(device)
    assert first.post(OTP, {"token": token}, format="json").status_code == 200
    second = APIClient()
    login(second, user.username)

    assert_error(second.post(OTP, {"token": token}, format="json"), 400, "OTP_INVALID")
    assert_error(second.get(ME), 401, "NOT_AUTHENTICATED")


def test_wrong_tokens_are_throttled(builtin: Any, settings: Any) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    user = user_with_roles(None, builtin["sysadmin"])
    device = confirmed_device(user)
    client = APIClient()
    login(client, user.username)
    assert_error(client.post(OTP, {"token": wrong(token_for(device))}, format="json"), 400, "OTP_INVALID")

    body = assert_error(client.post(OTP, {"token": token_for(device)}, format="json"), 429, "OTP_THROTTLED")

    assert body["message"] == "动态验证码错误次数过多，请稍后再试。"
    assert_error(client.get(ME), 401, "NOT_AUTHENTICATED")
