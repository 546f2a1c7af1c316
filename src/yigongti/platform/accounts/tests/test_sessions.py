"""Idle timeout, online users and forced logout (SEC-03)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from rest_framework.test import APIClient

from yigongti.core.audit.models import AuditLog
from yigongti.core.testing.api import assert_error
from yigongti.platform.accounts.middleware import ACTIVITY_KEY
from yigongti.platform.accounts.models import UserSession
from yigongti.platform.accounts.tests.conftest import ME, login, user_with_roles
from yigongti.platform.testing import make_user

pytestmark = pytest.mark.django_db

SESSIONS = "/api/v1/accounts/sessions"


def idle_for(client: APIClient, minutes: int) -> None:
    session = client.session
    session[ACTIVITY_KEY] = time.time() - minutes * 60
    session.save()


def test_idle_for_31_minutes_logs_out(api_world: Any) -> None:
    user = make_user(api_world.home)
    client = APIClient()
    login(client, user.username)
    idle_for(client, 31)

    body = assert_error(client.get(ME), 401, "SESSION_IDLE_TIMEOUT")

    assert body["message"] == "超过 30 分钟未操作，已自动退出，请重新登录。"
    assert_error(client.get(ME), 401, "NOT_AUTHENTICATED")
    row = UserSession.objects.get(user=user)
    assert row.end_reason == "idle" and row.ended_at is not None
    log = AuditLog.objects.get(action="accounts.session.idle")
    assert (log.log_type, log.category, log.user_code, log.content) == (
        "user",
        "logout",
        user.username,
        "超过 30 分钟未操作，自动退出",
    )


def test_idle_for_29_minutes_stays_logged_in(api_world: Any) -> None:
    user = make_user(api_world.home)
    client = APIClient()
    login(client, user.username)
    idle_for(client, 29)

    assert client.get(ME).status_code == 200
    assert UserSession.objects.get(user=user).ended_at is None
    assert not AuditLog.objects.filter(action="accounts.session.idle").exists()


def test_online_list_shows_open_recent_sessions_only(api_world: Any, builtin: Any) -> None:
    active, gone, stale = make_user(api_world.home), make_user(api_world.home), make_user(api_world.home)
    for user in (active, gone, stale):
        login(APIClient(), user.username)
    UserSession.objects.filter(user=gone).update(ended_at=timezone.now(), end_reason="logout")
    UserSession.objects.filter(user=stale).update(last_seen=timezone.now() - dt.timedelta(minutes=31))
    admin = APIClient()
    admin_user = user_with_roles(None, builtin["secadmin"])
    admin.force_login(admin_user)

    rows = admin.get(SESSIONS).json()["results"]

    assert sorted(r["username"] for r in rows) == sorted([active.username, admin_user.username])
    mine = next(r for r in rows if r["username"] == admin_user.username)
    theirs = next(r for r in rows if r["username"] == active.username)
    assert mine["is_current"] is True and theirs["is_current"] is False
    assert theirs["ip"] == "127.0.0.1" and theirs["institution_name"] == "城关镇卫生院"
    assert "session_key" not in theirs


def test_online_list_is_scoped_to_the_institution(api_world: Any) -> None:
    home_user, other_user = make_user(api_world.home), make_user(api_world.other)
    login(APIClient(), home_user.username)
    login(APIClient(), other_user.username)
    client = api_world.client_for(["accounts.session.view"])

    names = {r["username"] for r in client.get(SESSIONS).json()["results"]}

    assert home_user.username in names and other_user.username not in names


def test_forced_logout_ends_the_other_clients_session(api_world: Any, builtin: Any) -> None:
    user = make_user(api_world.home)
    victim = APIClient()
    login(victim, user.username)
    row = UserSession.objects.get(user=user)
    admin_user = user_with_roles(None, builtin["secadmin"])
    admin = APIClient()
    admin.force_login(admin_user)

    response = admin.post(f"{SESSIONS}/{row.pk}/force-logout")

    assert response.status_code == 200, response.content
    assert_error(victim.get(ME), 401, "NOT_AUTHENTICATED")
    assert not Session.objects.filter(session_key=row.session_key).exists()
    row.refresh_from_db()
    assert row.end_reason == "forced" and row.ended_at is not None
    log = AuditLog.objects.get(category="forced_logout")
    assert (log.log_type, log.user_code, log.object_id) == ("user", admin_user.username, str(user.pk))
    assert log.content == f"强制下线用户 {user.username}（{user.name}）的会话，IP 127.0.0.1"
    assert_error(admin.post(f"{SESSIONS}/{row.pk}/force-logout"), 404, "NOT_FOUND")  # no longer online


def test_forced_logout_of_own_session_is_refused(builtin: Any) -> None:
    admin = APIClient()
    admin.force_login(user_with_roles(None, builtin["secadmin"]))
    admin.get(ME)
    row = UserSession.objects.get()

    body = assert_error(admin.post(f"{SESSIONS}/{row.pk}/force-logout"), 400, "SESSION_IS_CURRENT")

    assert body["message"] == "不能强制下线自己当前的会话，请使用“退出登录”。"
    assert admin.get(ME).status_code == 200
    assert not AuditLog.objects.filter(category="forced_logout").exists()


def test_forced_logout_needs_its_permission(api_world: Any) -> None:
    user = make_user(api_world.home)
    victim = APIClient()
    login(victim, user.username)
    row = UserSession.objects.get(user=user)
    client = api_world.client_for(["accounts.session.view"])

    assert_error(client.post(f"{SESSIONS}/{row.pk}/force-logout"), 403, "PERMISSION_DENIED")
    assert victim.get(ME).status_code == 200
    row.refresh_from_db()
    assert row.ended_at is None


def test_forced_logout_still_works_after_a_password_change(api_world: Any, builtin: Any) -> None:
    user = make_user(api_world.home)
    victim = APIClient()
    login(victim, user.username)
    changed = victim.post(
        "/api/v1/auth/password", {"old_password": "Yigongti#2026", "new_password": "Changed#2026"}, format="json"
    )
    assert changed.status_code == 200
    row = UserSession.objects.get(user=user)
    assert row.session_key == victim.cookies["sessionid"].value  # the row followed the rotated key
    admin = APIClient()
    admin.force_login(user_with_roles(None, builtin["secadmin"]))

    assert admin.post(f"{SESSIONS}/{row.pk}/force-logout").status_code == 200
    assert_error(victim.get(ME), 401, "NOT_AUTHENTICATED")


def test_logging_in_again_ends_the_previous_session_row(api_world: Any) -> None:
    user = make_user(api_world.home)
    client = APIClient()
    login(client, user.username)

    login(client, user.username)

    rows = list(UserSession.objects.filter(user=user).order_by("id").values_list("end_reason", "ended_at"))
    assert [reason for reason, _ in rows] == ["logout", ""]
    assert rows[0][1] is not None and rows[1][1] is None


def test_disabling_an_account_takes_it_offline(api_world: Any) -> None:
    user = make_user(api_world.home)
    victim = APIClient()
    login(victim, user.username)
    admin = api_world.client_for(["accounts.user.change", "accounts.user.view"])

    response = admin.patch(f"/api/v1/accounts/users/{user.pk}", {"is_active": False}, format="json")

    assert response.status_code == 200 and response.json()["is_active"] is False
    assert UserSession.objects.get(user=user).end_reason == "forced"
    assert_error(victim.get(ME), 401, "NOT_AUTHENTICATED")


@pytest.mark.django_db
def test_idle_timeout_follows_the_parameter_an_administrator_set() -> None:
    """参数配置 security.idle_timeout_minutes in force wins over the deployment setting."""
    import datetime as dt

    from django.utils import timezone

    from yigongti.platform.accounts import policy
    from yigongti.platform.codes.models import Parameter, ParameterValue

    policy.clear_cache()
    assert policy.idle_timeout_seconds() == 30 * 60
    parameter = Parameter.objects.get(code="security.idle_timeout_minutes")
    ParameterValue.objects.create(
        parameter=parameter, value="10", effective_from=timezone.now() - dt.timedelta(minutes=1)
    )
    policy.clear_cache()
    assert policy.idle_timeout_seconds() == 10 * 60
    policy.clear_cache()
