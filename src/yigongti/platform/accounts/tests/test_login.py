"""Login, lockout (django-axes), disabled accounts, logout, /auth/me, CSRF (SEC-03)."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from rest_framework.test import APIClient

from yigongti.core.audit.models import AuditLog
from yigongti.core.testing.api import assert_error
from yigongti.platform.accounts.models import UserSession
from yigongti.platform.accounts.tests.conftest import ME, PASSWORD, login, user_with_roles
from yigongti.platform.testing import make_user

pytestmark = pytest.mark.django_db

LOCKED = "连续登录失败次数过多，账号已锁定，请 15 分钟后再试或联系管理员解锁。"


def test_doctor_logs_in_without_otp_and_me_describes_them(api_world: Any, builtin: Any) -> None:
    doctor = user_with_roles(api_world.home, builtin["doctor"], department=api_world.home_department, name="李医生")
    client = APIClient()

    response = login(client, doctor.username)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    me = client.get(ME).json()
    assert me["id"] == doctor.pk and me["username"] == doctor.username and me["name"] == "李医生"
    assert me["institution"] == {"id": api_world.home.pk, "name": "城关镇卫生院"}
    assert me["department"] == {"id": api_world.home_department.pk, "name": "全科"}
    assert me["roles"] == [{"code": "doctor", "name": "医生"}]
    assert me["permissions"] == sorted(builtin["doctor"].permission_codes)
    assert {"registry.resident.view", "registry.resident.add"} <= set(me["permissions"])
    menus = {m["code"]: m for g in me["menus"] for m in g["children"]}
    assert set(menus) == {c.removesuffix(".view") for c in me["permissions"] if c.endswith(".view")}
    org = next(g for g in me["menus"] if g["code"] == "org")
    assert org["name"] == "组织机构"
    assert menus["org.institution"] == {"code": "org.institution", "name": "成员机构", "path": "/org/institutions"}
    assert me["must_change_password"] is False and me["password_expired"] is False
    assert me["idle_timeout_seconds"] == 1800 and me["otp_enabled"] is False
    session = UserSession.objects.get(user=doctor)
    assert session.ended_at is None and session.ip == "127.0.0.1"
    log = AuditLog.objects.get(category="login")
    assert (log.log_type, log.user_code, log.user_id, log.success, log.content) == (
        "user",
        doctor.username,
        doctor.pk,
        True,
        "登录成功",
    )


def test_login_rotates_the_session_key(api_world: Any) -> None:
    user = make_user(api_world.home)
    before = SessionStore()
    before["seen"] = True
    before.create()
    client = APIClient()
    client.cookies["sessionid"] = before.session_key

    assert login(client, user.username).status_code == 200

    after = client.cookies["sessionid"].value
    assert after != before.session_key
    assert not Session.objects.filter(session_key=before.session_key).exists()
    assert UserSession.objects.get(user=user).session_key == after


def test_wrong_password_is_refused_and_audited(api_world: Any) -> None:
    user = make_user(api_world.home)
    client = APIClient()

    body = assert_error(login(client, user.username, "Wrong#2026x"), 400, "INVALID_CREDENTIALS")

    assert body["message"] == "用户名或密码错误"
    assert_error(client.get(ME), 401, "NOT_AUTHENTICATED")
    assert not UserSession.objects.exists()
    log = AuditLog.objects.get()
    assert (log.log_type, log.category, log.user_code, log.user_id, log.success) == (
        "user",
        "login_failed",
        user.username,
        user.pk,
        False,
    )
    assert log.content == "登录失败：密码错误"


def test_unknown_username_is_audited_with_the_attempted_name(db: Any) -> None:
    body = assert_error(login(APIClient(), "nobody", "Whatever#1"), 400, "INVALID_CREDENTIALS")

    assert body["message"] == "用户名或密码错误"
    log = AuditLog.objects.get()
    assert (log.category, log.user_code, log.user_id, log.success, log.content) == (
        "login_failed",
        "nobody",
        None,
        False,
        "登录失败：用户不存在",
    )


def test_missing_fields_are_a_chinese_validation_error(db: Any) -> None:
    body = assert_error(APIClient().post("/api/v1/auth/login", {}, format="json"), 400, "VALIDATION_ERROR")

    assert set(body["fields"]) == {"username", "password"}
    assert not AuditLog.objects.exists()


def test_five_failures_lock_the_account_even_for_the_right_password(api_world: Any, builtin: Any) -> None:
    user = make_user(api_world.home)
    client = APIClient()

    for _ in range(4):
        assert_error(login(client, user.username, "Wrong#2026x"), 400, "INVALID_CREDENTIALS")
    fifth = assert_error(login(client, user.username, "Wrong#2026x"), 403, "ACCOUNT_LOCKED")
    sixth = assert_error(login(client, user.username, PASSWORD), 403, "ACCOUNT_LOCKED")

    assert fifth["message"] == sixth["message"] == LOCKED
    assert_error(client.get(ME), 401, "NOT_AUTHENTICATED")
    assert not UserSession.objects.exists()
    assert AccessAttempt.objects.get(username=user.username).failures_since_start == 5
    categories = list(
        AuditLog.objects.filter(user_code=user.username).order_by("created_at", "id").values_list("category", "content")
    )
    assert categories == [("login_failed", "登录失败：密码错误")] * 5 + [
        ("locked", "连续 5 次登录失败，账号锁定 15 分钟"),
        ("locked", "账号锁定期间尝试登录，已拒绝"),
    ]


def test_lockout_is_per_account(api_world: Any) -> None:
    locked, other = make_user(api_world.home), make_user(api_world.home)
    client = APIClient()
    for _ in range(5):
        login(client, locked.username, "Wrong#2026x")

    assert login(client, other.username).json() == {"status": "ok"}


def test_unlock_clears_the_lock(api_world: Any, builtin: Any) -> None:
    user = make_user(api_world.home)
    for _ in range(5):
        login(APIClient(), user.username, "Wrong#2026x")
    secadmin = user_with_roles(None, builtin["secadmin"])
    admin = APIClient()
    admin.force_login(secadmin)

    response = admin.post(f"/api/v1/accounts/users/{user.pk}/unlock")

    assert response.status_code == 200 and response.json() == {"removed": 1}
    assert not AccessAttempt.objects.filter(username=user.username).exists()
    log = AuditLog.objects.get(action="accounts.user.unlock")
    assert (log.user_code, log.object_id, log.content) == (
        secadmin.username,
        str(user.pk),
        f"解除用户 {user.username}（{user.name}）的登录锁定，清除 1 条失败记录",
    )
    assert login(APIClient(), user.username).json() == {"status": "ok"}


def test_unlock_needs_its_permission(api_world: Any) -> None:
    user = make_user(api_world.home)
    for _ in range(5):
        login(APIClient(), user.username, "Wrong#2026x")
    client = api_world.client_for(["accounts.user.view"])

    assert_error(client.post(f"/api/v1/accounts/users/{user.pk}/unlock"), 403, "PERMISSION_DENIED")
    assert AccessAttempt.objects.get(username=user.username).failures_since_start == 5


def test_disabled_account_with_right_password_is_told_so(api_world: Any) -> None:
    user = make_user(api_world.home, is_active=False)

    body = assert_error(login(APIClient(), user.username), 403, "ACCOUNT_DISABLED")
    assert body["message"] == "账号已停用，请联系管理员。"
    assert_error(login(APIClient(), user.username, "Wrong#2026x"), 400, "INVALID_CREDENTIALS")
    assert not UserSession.objects.exists()
    assert list(AuditLog.objects.values_list("category", "content").order_by("id")) == [
        ("login_failed", "登录失败：账号已停用"),
        ("login_failed", "登录失败：密码错误"),
    ]


def test_logout_ends_the_session(api_world: Any) -> None:
    user = make_user(api_world.home)
    client = APIClient()
    login(client, user.username)

    response = client.post("/api/v1/auth/logout")

    assert response.status_code == 204
    assert_error(client.get(ME), 401, "NOT_AUTHENTICATED")
    session = UserSession.objects.get(user=user)
    assert session.ended_at is not None and session.end_reason == "logout"
    log = AuditLog.objects.get(category="logout")
    assert (log.user_code, log.content) == (user.username, "退出登录")


def test_login_checks_csrf_for_browsers(api_world: Any) -> None:
    user = make_user(api_world.home)
    browser = APIClient(enforce_csrf_checks=True)

    body = assert_error(login(browser, user.username), 403, "CSRF_FAILED")
    assert body["message"] == "安全校验失败，请刷新页面后重试。"
    assert not AuditLog.objects.exists()

    browser.get("/")  # the console page sets the csrftoken cookie
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        "/api/v1/auth/login", {"username": user.username, "password": PASSWORD}, format="json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_login_logs_are_visible_to_the_auditor_only(api_world: Any, builtin: Any) -> None:
    user = make_user(api_world.home)
    login(APIClient(), user.username, "Wrong#2026x")
    login(APIClient(), "ghost", "Wrong#2026x")
    login(APIClient(), user.username)
    auditor = APIClient()
    auditor.force_login(user_with_roles(None, builtin["auditor"]))

    rows = auditor.get("/api/v1/audit/login-logs", {"ordering": "id"}).json()["results"]

    assert [(r["category"], r["user_code"], r["success"]) for r in rows] == [
        ("login_failed", user.username, False),
        ("login_failed", "ghost", False),
        ("login", user.username, True),
    ]
    doctor = APIClient()
    doctor.force_login(user_with_roles(api_world.home, builtin["doctor"]))
    assert_error(doctor.get("/api/v1/audit/login-logs"), 403, "PERMISSION_DENIED")
