"""三员分立 (SEC-05) and the built-in roles."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from yigongti.core.audit.models import AuditLog
from yigongti.core.catalog import all_codes, menus
from yigongti.core.testing.api import assert_error
from yigongti.platform.accounts.builtin_roles import BUILTIN_ROLES, builtin_roles, ensure_builtin_roles
from yigongti.platform.accounts.models import Role
from yigongti.platform.accounts.tests.conftest import logged_in, user_with_roles
from yigongti.platform.testing import make_role, make_user

pytestmark = pytest.mark.django_db


def grant(client: APIClient, user: Any, *roles: Role) -> Any:
    return client.post(f"/api/v1/accounts/users/{user.pk}/roles", {"roles": [r.pk for r in roles]}, format="json")


@pytest.fixture
def secadmin(builtin: Any) -> APIClient:
    client = APIClient()
    client.force_login(user_with_roles(None, builtin["secadmin"]))
    return client


def test_sysadmin_and_auditor_together_are_refused(api_world: Any, builtin: Any, secadmin: APIClient) -> None:
    user = make_user(api_world.home)

    body = assert_error(grant(secadmin, user, builtin["sysadmin"], builtin["auditor"]), 400, "ROLE_SEPARATION")

    assert body["message"] == (
        "三员分立：一个账号最多只能拥有一个管理员角色（系统管理员、安全保密管理员、安全审计员），"
        "不能同时拥有系统管理员、安全审计员。"
    )
    assert list(user.roles.all()) == []
    assert not AuditLog.objects.filter(category="grant").exists()


def test_auditor_may_hold_no_other_role(api_world: Any, builtin: Any, secadmin: APIClient) -> None:
    user = make_user(api_world.home)
    user.roles.add(builtin["doctor"])

    body = assert_error(grant(secadmin, user, builtin["auditor"], builtin["doctor"]), 400, "ROLE_SEPARATION")

    assert body["message"] == "三员分立：安全审计员不能同时拥有其他任何角色。"
    assert [r.code for r in user.roles.all()] == ["doctor"]


def test_system_admin_may_not_get_audit_codes_through_another_role(
    api_world: Any, builtin: Any, secadmin: APIClient
) -> None:
    user = make_user(None)
    reader = make_role(["audit.log.view"], scope="all", institution=None)

    body = assert_error(grant(secadmin, user, builtin["sysadmin"], reader), 400, "ROLE_SEPARATION")

    assert body["message"] == "三员分立：系统管理员和安全保密管理员不能拥有审计日志权限。"


def test_grant_replaces_roles_and_audits(api_world: Any, builtin: Any, secadmin: APIClient) -> None:
    user = make_user(api_world.home)
    user.roles.add(builtin["nurse"])

    response = grant(secadmin, user, builtin["sysadmin"], builtin["doctor"])

    assert response.status_code == 200, response.content
    assert [r["code"] for r in response.json()["roles"]] == ["doctor", "sysadmin"]
    assert sorted(r.code for r in user.roles.all()) == ["doctor", "sysadmin"]
    log = AuditLog.objects.get(category="grant")
    assert log.before == {"roles": ["nurse"]} and log.after == {"roles": ["doctor", "sysadmin"]}
    assert log.object_id == str(user.pk) and log.log_type == "data"


def test_roles_can_be_given_by_code(api_world: Any, builtin: Any, secadmin: APIClient) -> None:
    user = make_user(api_world.home)

    response = secadmin.post(f"/api/v1/accounts/users/{user.pk}/roles", {"roles": ["doctor"]}, format="json")

    assert response.status_code == 200 and [r.code for r in user.roles.all()] == ["doctor"]


def test_nobody_grants_their_own_roles(builtin: Any) -> None:
    me = user_with_roles(None, builtin["secadmin"])
    client = APIClient()
    client.force_login(me)

    assert_error(grant(client, me, builtin["secadmin"], builtin["doctor"]), 400, "ROLE_SELF_GRANT")
    assert [r.code for r in me.roles.all()] == ["secadmin"]


def test_a_role_of_another_institution_cannot_be_granted(api_world: Any) -> None:
    user = make_user(api_world.home)
    foreign = make_role(["org.institution.view"], institution=api_world.other)
    client = api_world.client_for(["accounts.role.grant", "accounts.user.view"], scope="community")

    assert_error(grant(client, user, foreign), 400, "ROLE_OTHER_INSTITUTION")
    assert list(user.roles.all()) == []


def test_only_an_all_scope_admin_grants_admin_roles(api_world: Any, builtin: Any) -> None:
    user = make_user(api_world.home)
    client = api_world.client_for(["accounts.role.grant", "accounts.user.view"])

    assert_error(grant(client, user, builtin["sysadmin"]), 400, "ROLE_ADMIN_GRANT")
    assert list(user.roles.all()) == []


def test_sysadmin_cannot_grant_roles(api_world: Any, builtin: Any) -> None:
    user = make_user(api_world.home)
    client = APIClient()
    client.force_login(user_with_roles(None, builtin["sysadmin"]))

    assert_error(grant(client, user, builtin["doctor"]), 403, "PERMISSION_DENIED")
    assert list(user.roles.all()) == []


def test_auditor_reads_logs_and_nothing_else(api_world: Any, builtin: Any) -> None:
    client = logged_in(user_with_roles(None, builtin["auditor"]))  # through password + TOTP

    assert client.get("/api/v1/audit/logs").status_code == 200
    assert client.get("/api/v1/audit/login-logs").status_code == 200
    assert_error(client.get("/api/v1/org/institutions"), 403, "PERMISSION_DENIED")
    assert_error(client.get("/api/v1/accounts/users"), 403, "PERMISSION_DENIED")
    assert_error(client.get("/api/v1/accounts/roles"), 403, "PERMISSION_DENIED")


@pytest.mark.parametrize("role", ["sysadmin", "secadmin"])
def test_other_admins_cannot_read_the_audit_log(api_world: Any, builtin: Any, role: str) -> None:
    client = logged_in(user_with_roles(None, builtin[role]))

    assert_error(client.get("/api/v1/audit/logs"), 403, "PERMISSION_DENIED")
    assert_error(client.get("/api/v1/audit/login-logs"), 403, "PERMISSION_DENIED")


def test_sysadmin_manages_organisation_and_accounts(api_world: Any, builtin: Any) -> None:
    client = logged_in(user_with_roles(None, builtin["sysadmin"]))

    assert client.get("/api/v1/org/institutions").status_code == 200
    assert client.get("/api/v1/accounts/users").status_code == 200
    assert_error(client.get("/api/v1/accounts/sessions"), 403, "PERMISSION_DENIED")


# -- built-in roles ----------------------------------------------------------------------------
def test_builtin_roles_are_idempotent_and_global(db: Any) -> None:
    first = ensure_builtin_roles()
    count = Role.objects.count()
    Role.objects.filter(code="doctor").update(name="改过的名字", permission_codes=[])

    second = ensure_builtin_roles()

    assert Role.objects.count() == count
    assert {k: v.pk for k, v in first.items()} == {k: v.pk for k, v in second.items()}
    assert list(first)[: len(BUILTIN_ROLES)] == [b.code for b in BUILTIN_ROLES] == [
        "sysadmin", "secadmin", "auditor", "community_admin", "institution_admin", "doctor", "nurse", "pharmacist",
        "technician", "public_health", "supervisor",
    ]  # fmt: skip
    assert list(first) == [b.code for b in builtin_roles()]  # centers' own roles follow the platform's
    doctor = Role.objects.get(code="doctor")
    assert doctor.name == "医生" and doctor.permission_codes == second["doctor"].permission_codes != []
    for role in Role.objects.filter(code__in=first):
        assert role.is_builtin and role.institution_id is None
        assert set(role.permission_codes) <= all_codes()
        role.full_clean()


def test_builtin_role_codes_follow_the_separation(builtin: Any) -> None:
    codes = {k: set(v.permission_codes) for k, v in builtin.items()}

    assert codes["auditor"] and all(c.startswith("audit.") for c in codes["auditor"])
    for role, held in codes.items():
        if role != "auditor":
            assert not any(c.startswith("audit.") for c in held), role
    assert "accounts.role.grant" not in codes["sysadmin"] and "accounts.user.add" in codes["sysadmin"]
    assert "org.institution.add" in codes["sysadmin"]
    assert codes["secadmin"] >= {
        "accounts.role.grant",
        "accounts.user.unlock",
        "accounts.user.reset_password",
        "accounts.session.force_logout",
    }
    assert "accounts.user.add" not in codes["secadmin"]
    # The supervisor reads (and exports reports); a menu code itself grants nothing beyond opening the page.
    menu_codes = {m.code for m in menus()}
    assert all(c in menu_codes or c.endswith((".view", ".export")) for c in codes["supervisor"])
    assert not any(c.endswith((".add", ".change", ".delete", ".import")) for c in codes["supervisor"])
    assert not any(c.startswith(("accounts.", "audit.")) for c in codes["supervisor"])
    assert {"org.community.add", "org.community.change", "org.community.delete"} & codes["institution_admin"] == set()
    assert "accounts.user.view" in codes["community_admin"] and "org.community.add" in codes["community_admin"]
    assert (builtin["sysadmin"].admin_kind, builtin["secadmin"].admin_kind, builtin["auditor"].admin_kind) == (
        "system",
        "security",
        "auditor",
    )
    platform_roles = {b.code for b in BUILTIN_ROLES}
    assert {k: v.data_scope for k, v in builtin.items() if k in platform_roles} == {
        "sysadmin": "all", "secadmin": "all", "auditor": "all", "community_admin": "community",
        "institution_admin": "institution", "doctor": "institution", "nurse": "institution",
        "pharmacist": "institution", "technician": "institution", "public_health": "institution",
        "supervisor": "all",
    }  # fmt: skip
    # Roles the centers declare are business roles: never one of the three administrators, never 全部 scope.
    assert all(not v.admin_kind and v.data_scope != "all" for k, v in builtin.items() if k not in platform_roles)


def test_builtin_roles_pick_up_codes_registered_later(db: Any) -> None:
    from yigongti.core import catalog

    entry = catalog.register(catalog.MenuEntry("codes.zz_test", "测试菜单", "codes", "字典与参数"))
    try:
        roles = ensure_builtin_roles()
        assert "codes.zz_test.add" in roles["sysadmin"].permission_codes
        assert "codes.zz_test.view" in roles["supervisor"].permission_codes
        assert "codes.zz_test.add" not in roles["supervisor"].permission_codes
    finally:
        catalog._CATALOG.pop(entry.code)
    assert "codes.zz_test.add" not in ensure_builtin_roles()["sysadmin"].permission_codes


def test_registry_codes_follow_the_roles_that_need_them(builtin: Any) -> None:
    if "registry.resident.view" not in all_codes():
        pytest.skip("the registry app has not registered its menus")
    codes = {k: set(v.permission_codes) for k, v in builtin.items()}

    assert {"registry.resident.view", "registry.resident.add", "registry.resident.change"} <= codes["doctor"]
    assert "registry.resident.view_sensitive" not in codes["doctor"]
    assert "registry.resident.view_sensitive" in codes["public_health"]
    assert "registry.resident.view_sensitive" not in codes["supervisor"]
