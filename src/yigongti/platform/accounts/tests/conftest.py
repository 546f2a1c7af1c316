"""Fixtures for the accounts tests: built-in roles, users that log in through the real API."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from yigongti.platform.accounts.builtin_roles import ensure_builtin_roles
from yigongti.platform.accounts.models import Role, User
from yigongti.platform.testing import make_user

PASSWORD = "Yigongti#2026"
LOGIN = "/api/v1/auth/login"
OTP = "/api/v1/auth/otp"
ME = "/api/v1/auth/me"


@pytest.fixture
def builtin(db: Any) -> dict[str, Role]:
    return ensure_builtin_roles()


def user_with_roles(institution: Any, *roles: Role, **kw: Any) -> User:
    user = make_user(institution, **kw)
    user.roles.add(*roles)
    return user


def login(client: APIClient, username: str, password: str = PASSWORD) -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, format="json")


def token_for(device: TOTPDevice, *, offset: int = 0) -> str:
    """The current TOTP code of ``device``, computed like an authenticator app would."""
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift + offset)
    return f"{value:0{device.digits}d}"


def confirmed_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)


def logged_in(user: User) -> APIClient:
    """A client logged in through the API (with the TOTP step when the user's roles need it)."""
    client = APIClient()
    response = login(client, user.username)
    assert response.status_code == 200, response.content
    status = response.json()["status"]
    if status in ("otp_required", "otp_setup_required"):
        device = TOTPDevice.objects.get(user=user, confirmed=(status == "otp_required"))
        response = client.post(OTP, {"token": token_for(device)}, format="json")
        assert response.status_code == 200, response.content
    return client
