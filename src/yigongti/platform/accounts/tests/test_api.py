"""Users and roles through the declarative resource tests, plus their own rules."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from yigongti.core.audit.models import AuditLog
from yigongti.core.catalog import tree
from yigongti.core.testing.api import ResourceAPITests, assert_error
from yigongti.platform.accounts.models import PasswordHistory, Role, User
from yigongti.platform.accounts.tests.conftest import user_with_roles
from yigongti.platform.testing import make_role, make_user


class TestUserAPI(ResourceAPITests):
    url = "/api/v1/accounts/users"
    permission_base = "accounts.user"
    brief_fields = ["id", "username", "name"]
    supports_import = False

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        return make_user(institution, username=f"u{n}i{institution.pk}")

    def create_data(self, world: Any) -> dict[str, Any]:
        return {
            "username": "zhangsan",
            "name": "张三",
            "institution": world.home.pk,
            "department": world.home_department.pk,
            "phone": "13800138000",
            "password": "Initial#2026",
        }

    def create_data_elsewhere(self, world: Any) -> dict[str, Any]:
        return self.create_data(world) | {"institution": world.other.pk, "department": None}

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        return {"name": "张三丰"}

    def test_create_sets_the_initial_password_and_hides_it(self, api_world: Any) -> None:
        client = self.client(api_world, "add", "view")

        body = client.post(self.url, self.create_data(api_world), format="json").json()

        assert "password" not in body
        assert body["must_change_password"] is True and body["roles"] == [] and body["otp_enabled"] is False
        assert body["institution_name"] == "城关镇卫生院" and body["department_name"] == "全科"
        user = User.objects.get(username="zhangsan")
        assert user.check_password("Initial#2026") and user.must_change_password
        assert PasswordHistory.objects.filter(user=user).count() == 1
        assert "password" not in AuditLog.objects.get(category="create").after
        detail = client.get(self.detail(user)).json()
        assert "password" not in detail

    def test_update_cannot_set_a_password(self, api_world: Any) -> None:
        obj = self.make_object(api_world, api_world.home)
        client = self.client(api_world, "change", "view")

        body = assert_error(client.patch(self.detail(obj), {"password": "Other#2026xx"}, format="json"), 400)

        assert body["fields"]["password"] == ["修改用户信息时不能修改密码，请使用“重置密码”。"]
        obj.refresh_from_db()
        assert obj.check_password("Yigongti#2026")

    def test_department_must_belong_to_the_institution(self, api_world: Any) -> None:
        data = self.create_data(api_world) | {"department": api_world.other_department.pk}
        client = self.client(api_world, "add")

        body = assert_error(client.post(self.url, data, format="json"), 400, "VALIDATION_ERROR")

        assert "department" in body["fields"]
        assert not User.objects.filter(username="zhangsan").exists()

    def test_nobody_deletes_themselves(self, api_world: Any) -> None:
        client = self.client(api_world, "delete")

        assert_error(client.delete(self.detail(api_world.last_user)), 400, "DELETE_SELF")
        assert User.objects.filter(pk=api_world.last_user.pk).exists()

    def test_import_is_disabled(self, api_world: Any) -> None:
        client = self.client(api_world, "import", "add", "view")

        assert_error(client.post(f"{self.url}/import", {}, format="multipart"), 405, "IMPORT_DISABLED")


class TestRoleAPI(ResourceAPITests):
    url = "/api/v1/accounts/roles"
    permission_base = "accounts.role"
    brief_fields = ["id", "code", "name", "admin_kind"]

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        return make_role(["org.institution.view"], institution=institution, code=f"r{n}i{institution.pk}")

    def create_data(self, world: Any) -> dict[str, Any]:
        return {
            "code": "head_nurse",
            "name": "护士长",
            "institution": world.home.pk,
            "data_scope": "department",
            "permission_codes": ["org.institution.view", "org.department.view"],
        }

    def create_data_elsewhere(self, world: Any) -> dict[str, Any]:
        return self.create_data(world) | {"institution": world.other.pk}

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        return {"name": "主管护师"}

    def test_unknown_permission_codes_are_refused(self, api_world: Any) -> None:
        data = self.create_data(api_world) | {"permission_codes": ["org.institution.view", "no.such.code"]}

        body = assert_error(self.client(api_world, "add").post(self.url, data, format="json"), 400, "VALIDATION_ERROR")

        assert body["fields"]["permission_codes"] == ["未知的权限编码：no.such.code"]
        assert not Role.objects.filter(code="head_nurse").exists()

    def test_only_the_all_scope_creates_global_roles(self, api_world: Any) -> None:
        data = self.create_data(api_world) | {"institution": None}

        body = assert_error(self.client(api_world, "add").post(self.url, data, format="json"), 400, "VALIDATION_ERROR")

        assert body["fields"]["institution"] == ["只有拥有“全部”数据权限的用户才能维护全平台通用角色，请选择所属机构。"]
        client = api_world.client_for(["accounts.role.add", "accounts.role.view"], scope="all")
        response = client.post(self.url, data, format="json")
        assert response.status_code == 201, response.content
        assert response.json()["institution"] is None and response.json()["is_builtin"] is False

    def test_role_scope_cannot_exceed_the_grantors(self, api_world: Any) -> None:
        data = self.create_data(api_world) | {"data_scope": "community"}

        body = assert_error(self.client(api_world, "add").post(self.url, data, format="json"), 400, "VALIDATION_ERROR")

        assert body["fields"]["data_scope"] == ["角色的数据权限不能超出您自己的数据权限范围。"]

    def test_admin_roles_are_global(self, api_world: Any) -> None:
        data = self.create_data(api_world) | {"admin_kind": "system", "permission_codes": ["org.institution.view"]}
        client = api_world.client_for(["accounts.role.add"], scope="all")

        body = assert_error(client.post(self.url, data, format="json"), 400, "VALIDATION_ERROR")

        assert body["fields"]["admin_kind"] == ["三员角色必须是全平台通用角色，不能属于某个机构。"]

    def test_auditor_roles_hold_audit_codes_only(self, api_world: Any) -> None:
        data = self.create_data(api_world) | {"institution": None, "admin_kind": "auditor"}
        client = api_world.client_for(["accounts.role.add"], scope="all")

        body = assert_error(client.post(self.url, data, format="json"), 400, "VALIDATION_ERROR")

        assert body["fields"]["permission_codes"] == ["安全审计员只能拥有审计日志相关权限。"]

    def test_custom_scope_needs_institutions(self, api_world: Any) -> None:
        client = self.client(api_world, "add", "view")
        data = self.create_data(api_world) | {"data_scope": "custom"}

        body = assert_error(client.post(self.url, data, format="json"), 400, "VALIDATION_ERROR")
        assert body["fields"]["custom_institutions"] == ["“自定义机构集”数据权限须至少选择一个机构。"]

        response = client.post(self.url, data | {"custom_institutions": [api_world.home.pk]}, format="json")
        assert response.status_code == 201 and response.json()["custom_institutions"] == [api_world.home.pk]

    def test_builtin_roles_cannot_be_deleted(self, api_world: Any, builtin: Any) -> None:
        client = api_world.client_for(["accounts.role.delete"], scope="all")

        body = assert_error(client.delete(f"{self.url}/{builtin['nurse'].pk}"), 400, "ROLE_BUILTIN")

        assert body["message"] == "内置角色不能删除。"
        assert Role.objects.filter(code="nurse").exists()
        assert not AuditLog.objects.filter(category="delete").exists()

    def test_builtin_role_code_is_fixed(self, api_world: Any, builtin: Any) -> None:
        client = api_world.client_for(["accounts.role.change"], scope="all")

        body = assert_error(client.patch(f"{self.url}/{builtin['nurse'].pk}", {"code": "nurse2"}, format="json"), 400)

        assert body["fields"]["code"] == ["内置角色的编码不能修改。"]

    def test_a_role_in_use_cannot_be_deleted(self, api_world: Any) -> None:
        role = self.make_object(api_world, api_world.home)
        make_user(api_world.home).roles.add(role)

        body = assert_error(self.client(api_world, "delete").delete(self.detail(role)), 409, "IN_USE")

        assert body["message"] == "该角色已分配给 1 个用户，请先取消分配后再删除。"
        assert Role.objects.filter(pk=role.pk).exists()

    def test_global_roles_are_listed_but_not_writable_from_an_institution(self, api_world: Any, builtin: Any) -> None:
        client = self.client(api_world, "view", "change")

        assert client.get(f"{self.url}/{builtin['doctor'].pk}").status_code == 200
        assert_error(client.patch(f"{self.url}/{builtin['doctor'].pk}", {"name": "x"}, format="json"), 404, "NOT_FOUND")
        assert Role.objects.get(code="doctor").name == "医生"


@pytest.mark.django_db
def test_permission_tree_is_the_catalogue(api_world: Any) -> None:
    client = api_world.client_for(["accounts.role.view"])

    response = client.get("/api/v1/accounts/permission-tree")

    assert response.status_code == 200 and response.json() == tree()
    system = next(g for g in response.json() if g["code"] == "system")
    codes = [m["code"] for m in system["children"]]
    assert codes[:3] == ["accounts.user", "accounts.role", "accounts.session"]  # other apps may add system menus
    assert_error(
        api_world.client_for(["org.institution.view"]).get("/api/v1/accounts/permission-tree"), 403, "PERMISSION_DENIED"
    )
    assert_error(APIClient().get("/api/v1/accounts/permission-tree"), 401, "NOT_AUTHENTICATED")


@pytest.mark.django_db
def test_users_list_never_shows_password_hashes(api_world: Any, builtin: Any) -> None:
    user_with_roles(api_world.home, builtin["doctor"])
    client = api_world.client_for(["accounts.user.view", "accounts.user.export"])

    rows = client.get("/api/v1/accounts/users").json()["results"]
    export = client.get("/api/v1/accounts/users", {"format": "xlsx"})

    assert rows and all("password" not in row for row in rows)
    cells = [
        str(c)
        for row in load_workbook(io.BytesIO(export.content)).worksheets[0].iter_rows(values_only=True)
        for c in row
    ]
    assert "用户名" in cells and len(cells) > len(rows)
    assert not any("md5$" in c or "pbkdf2" in c or c == "密码" for c in cells)
