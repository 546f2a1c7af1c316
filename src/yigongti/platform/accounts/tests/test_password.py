"""Password policy, history of five, forced change on first login, expiry after 90 days (SEC-03)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from yigongti.core.audit.models import AuditLog
from yigongti.core.testing.api import assert_error
from yigongti.platform.accounts.models import PasswordHistory, User
from yigongti.platform.accounts.tests.conftest import ME, PASSWORD, login, user_with_roles
from yigongti.platform.testing import make_user

pytestmark = pytest.mark.django_db

CHANGE = "/api/v1/auth/password"
INSTITUTIONS = "/api/v1/org/institutions"


def change(client: APIClient, old: str, new: str) -> Any:
    return client.post(CHANGE, {"old_password": old, "new_password": new}, format="json")


def logged_in_client(user: User) -> APIClient:
    client = APIClient()
    assert login(client, user.username).status_code == 200
    return client


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("Ab#1234", "密码长度至少 8 位。"),
        ("abcdefgh12", "密码须包含大写字母、小写字母、数字、特殊字符中的至少 3 类。"),
        ("ABCDEFGH!!", "密码须包含大写字母、小写字母、数字、特殊字符中的至少 3 类。"),
        ("Xx{username}#9", "密码不能包含用户名。"),
        (PASSWORD, "新密码不能与最近 5 次使用过的密码相同。"),
    ],
)
def test_each_password_rule_is_enforced_in_chinese(api_world: Any, new_password: str, message: str) -> None:
    user = make_user(api_world.home, username="wangfang")
    client = logged_in_client(user)
    audit_before = AuditLog.objects.count()

    body = assert_error(change(client, PASSWORD, new_password.format(username="WangFang")), 400, "PASSWORD_POLICY")

    assert body["message"] == message and body["fields"] == {"new_password": [message]}
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and user.password_changed_at is None
    assert not PasswordHistory.objects.filter(user=user).exists()
    assert AuditLog.objects.count() == audit_before


def test_several_broken_rules_are_all_reported(api_world: Any) -> None:
    client = logged_in_client(make_user(api_world.home))

    body = assert_error(change(client, PASSWORD, "abc"), 400, "PASSWORD_POLICY")

    assert body["fields"]["new_password"] == [
        "密码长度至少 8 位。",
        "密码须包含大写字母、小写字母、数字、特殊字符中的至少 3 类。",
    ]


def test_wrong_old_password_changes_nothing(api_world: Any) -> None:
    user = make_user(api_world.home)
    client = logged_in_client(user)

    body = assert_error(change(client, "Wrong#2026x", "Brand#New2026"), 400, "OLD_PASSWORD_INCORRECT")

    assert body["fields"] == {"old_password": ["原密码错误。"]}
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    log = AuditLog.objects.get(category="password")
    assert (log.success, log.content) == (False, "修改密码失败：原密码错误")


def test_change_keeps_the_session_records_history_and_audits(api_world: Any) -> None:
    user = make_user(api_world.home)
    client = logged_in_client(user)

    response = change(client, PASSWORD, "Brand#New2026")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "message": "密码已修改。"}
    assert client.get(ME).status_code == 200  # update_session_auth_hash kept the session
    user.refresh_from_db()
    assert user.check_password("Brand#New2026") and not user.must_change_password
    assert user.password_changed_at is not None
    assert list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)) == [user.password]
    log = AuditLog.objects.get(category="password")
    assert (log.log_type, log.user_code, log.success, log.content) == ("user", user.username, True, "修改密码")


def test_history_of_five_the_sixth_most_recent_is_accepted_again(api_world: Any) -> None:
    user = make_user(api_world.home)
    client = logged_in_client(user)
    passwords = [PASSWORD] + [f"History#{n}x2026" for n in range(1, 6)]
    for old, new in itertools.pairwise(passwords):
        assert change(client, old, new).status_code == 200
    current = passwords[-1]

    for recent in passwords[1:]:  # the last five, the current one included
        body = assert_error(change(client, current, recent), 400, "PASSWORD_POLICY")
        assert body["message"] == "新密码不能与最近 5 次使用过的密码相同。"
    response = change(client, current, PASSWORD)  # the sixth most recent

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_first_login_forces_a_password_change(api_world: Any, builtin: Any) -> None:
    admin = APIClient()
    admin.force_login(user_with_roles(None, builtin["sysadmin"]))
    created = admin.post(
        "/api/v1/accounts/users",
        {"username": "lisi", "name": "李四", "institution": api_world.home.pk, "password": "Initial#2026"},
        format="json",
    )
    assert created.status_code == 201, created.content
    user = User.objects.get(username="lisi")
    user.roles.add(builtin["doctor"])
    client = APIClient()

    response = login(client, "lisi", "Initial#2026")

    assert response.json() == {
        "status": "password_change_required",
        "message": "首次登录或密码已被重置，请先修改密码。",
    }
    body = assert_error(client.get(INSTITUTIONS), 403, "PASSWORD_CHANGE_REQUIRED")
    assert body["message"] == "首次登录或密码已被重置，请先修改密码。"
    assert client.get(ME).json()["must_change_password"] is True
    assert change(client, "Initial#2026", "Changed#2026").status_code == 200
    assert client.get(INSTITUTIONS).status_code == 200
    assert client.get(ME).json()["must_change_password"] is False


def test_password_expires_after_90_days(api_world: Any, builtin: Any) -> None:
    user = user_with_roles(api_world.home, builtin["doctor"])
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=91))
    client = APIClient()

    response = login(client, user.username)

    assert response.json() == {
        "status": "password_change_required",
        "message": "密码已超过 90 天未修改，请先修改密码。",
    }
    assert_error(client.get(INSTITUTIONS), 403, "PASSWORD_CHANGE_REQUIRED")
    me = client.get(ME).json()
    assert me["password_expired"] is True and me["must_change_password"] is False
    assert change(client, PASSWORD, "Renewed#2026").status_code == 200
    assert client.get(INSTITUTIONS).status_code == 200


def test_password_younger_than_90_days_is_fine(api_world: Any) -> None:
    user = make_user(api_world.home)
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=89))

    assert login(APIClient(), user.username).json() == {"status": "ok"}


def test_max_age_zero_means_passwords_never_expire(api_world: Any, settings: Any) -> None:
    settings.YIGONGTI_PASSWORD_MAX_AGE_DAYS = 0
    user = make_user(api_world.home)
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=3650))

    assert login(APIClient(), user.username).json() == {"status": "ok"}


def test_reset_password_forces_a_change_and_ends_the_users_sessions(api_world: Any, builtin: Any) -> None:
    user = make_user(api_world.home)
    victim_client = logged_in_client(user)
    admin_user = user_with_roles(None, builtin["secadmin"])
    admin = APIClient()
    admin.force_login(admin_user)

    response = admin.post(
        f"/api/v1/accounts/users/{user.pk}/reset-password", {"new_password": "Reset#2026ab"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["must_change_password"] is True
    assert "password" not in response.json()
    assert_error(victim_client.get(ME), 401, "NOT_AUTHENTICATED")
    assert user.sessions.get().end_reason == "forced"
    log = AuditLog.objects.get(action="accounts.user.reset_password")
    assert (log.category, log.user_code, log.object_id) == ("password", admin_user.username, str(user.pk))
    assert login(APIClient(), user.username, "Reset#2026ab").json()["status"] == "password_change_required"


def test_reset_password_follows_the_policy(api_world: Any, builtin: Any) -> None:
    user = make_user(api_world.home)
    admin = APIClient()
    admin.force_login(user_with_roles(None, builtin["secadmin"]))

    body = assert_error(
        admin.post(f"/api/v1/accounts/users/{user.pk}/reset-password", {"new_password": "short"}, format="json"),
        400,
        "VALIDATION_ERROR",
    )

    assert body["fields"]["new_password"][0] == "密码长度至少 8 位。"
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and not user.must_change_password
    assert not AuditLog.objects.filter(category="password").exists()


def test_create_user_with_weak_password_creates_nothing(api_world: Any) -> None:
    client = api_world.client_for(["accounts.user.add", "accounts.user.view"])
    users_before = User.objects.count()

    body = assert_error(
        client.post(
            "/api/v1/accounts/users",
            {"username": "zhaowu", "institution": api_world.home.pk, "password": "weakweak"},
            format="json",
        ),
        400,
        "VALIDATION_ERROR",
    )

    assert body["fields"]["password"] == ["密码须包含大写字母、小写字母、数字、特殊字符中的至少 3 类。"]
    assert User.objects.count() == users_before
    assert not AuditLog.objects.exists()
