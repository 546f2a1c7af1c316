"""Declarative API tests for generic resources (conventions §5, after NetBox's APIViewTestCase).

Subclass ``ResourceAPITests`` in a test module, declare the resource, and get the whole matrix:
anonymous, no permission, other institution (404, never 403), list/get/create/update/delete with
their audit rows, brief form, Excel export and import, bad input, and a query count that does not
grow with the page size. The fixture ``api_world`` (see ``yigongti.platform.testing``) supplies
two institutions of one community and clients with chosen permission codes and data scope.
"""

from __future__ import annotations

import io
from typing import Any, ClassVar

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from yigongti.core.audit.models import AuditLog

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, getattr(response, "content", b"")[:500])
    body = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), body["message"]
    if code:
        assert body["code"] == code, body
    return body


@pytest.mark.django_db
class ResourceAPITests:
    url: ClassVar[str]
    permission_base: ClassVar[str]
    brief_fields: ClassVar[list[str] | None] = None
    read_only: ClassVar[bool] = False
    # the scope a normal user of the home institution gets in these tests
    scope: ClassVar[str] = "institution"
    supports_import: ClassVar[bool] = True

    # -- declarations ----------------------------------------------------------------------
    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        raise NotImplementedError

    def create_data(self, world: Any) -> dict[str, Any]:
        raise NotImplementedError

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        raise NotImplementedError

    def create_data_elsewhere(self, world: Any) -> dict[str, Any] | None:
        """Data that would put a new row in the other institution (must be refused)."""
        return None

    # -- helpers ---------------------------------------------------------------------------
    def codes(self, *actions: str) -> list[str]:
        return [f"{self.permission_base}.{a}" for a in actions]

    def client(self, world: Any, *actions: str) -> Any:
        return world.client_for(self.codes(*actions), scope=self.scope)

    def detail(self, obj: Any) -> str:
        return f"{self.url}/{obj.pk}"

    def model(self, obj: Any) -> Any:
        return type(obj)

    # -- the matrix ------------------------------------------------------------------------
    def test_anonymous_is_refused(self, api_world: Any) -> None:
        obj = self.make_object(api_world, api_world.home)
        anonymous = api_world.anonymous()
        assert_error(anonymous.get(self.url), 401, "NOT_AUTHENTICATED")
        assert_error(anonymous.get(self.detail(obj)), 401, "NOT_AUTHENTICATED")

    def test_without_permission_is_refused(self, api_world: Any) -> None:
        obj = self.make_object(api_world, api_world.home)
        client = api_world.client_for([], scope=self.scope)
        assert_error(client.get(self.url), 403, "PERMISSION_DENIED")
        assert_error(client.get(self.detail(obj)), 403, "PERMISSION_DENIED")
        if not self.read_only:
            assert_error(client.post(self.url, self.create_data(api_world), format="json"), 403, "PERMISSION_DENIED")
            assert_error(client.delete(self.detail(obj)), 403, "PERMISSION_DENIED")
            assert self.model(obj).objects.filter(pk=obj.pk).exists()

    def test_list_shows_only_rows_in_scope(self, api_world: Any) -> None:
        mine = self.make_object(api_world, api_world.home, 1)
        other = self.make_object(api_world, api_world.other, 2)
        body = self.client(api_world, "view").get(self.url, {"page_size": 500}).json()
        ids = {row["id"] for row in body["results"]}
        assert mine.pk in ids
        assert other.pk not in ids
        assert body["count"] == len(body["results"])

    def test_other_institution_is_not_found(self, api_world: Any) -> None:
        other = self.make_object(api_world, api_world.other, 2)
        client = self.client(api_world, "view", "change", "delete")
        assert_error(client.get(self.detail(other)), 404, "NOT_FOUND")
        if not self.read_only:
            assert_error(
                client.patch(self.detail(other), self.update_data(api_world, other), format="json"), 404, "NOT_FOUND"
            )
            assert_error(client.delete(self.detail(other)), 404, "NOT_FOUND")
            assert self.model(other).objects.filter(pk=other.pk).exists()

    def test_get(self, api_world: Any) -> None:
        obj = self.make_object(api_world, api_world.home)
        response = self.client(api_world, "view").get(self.detail(obj))
        assert response.status_code == 200, response.content
        assert response.json()["id"] == obj.pk

    def test_brief(self, api_world: Any) -> None:
        if not self.brief_fields:
            pytest.skip("resource has no brief form")
        self.make_object(api_world, api_world.home)
        rows = self.client(api_world, "view").get(self.url, {"brief": 1}).json()["results"]
        assert rows and sorted(rows[0]) == sorted(self.brief_fields)

    def test_create_writes_row_and_audit(self, api_world: Any) -> None:
        if self.read_only:
            pytest.skip("read-only resource")
        response = self.client(api_world, "add", "view").post(self.url, self.create_data(api_world), format="json")
        assert response.status_code == 201, response.content
        pk = response.json()["id"]
        log = AuditLog.objects.get(category="create", object_id=str(pk))
        assert log.log_type == "data"
        assert log.before is None
        assert log.after is not None
        assert log.after["id"] == pk
        assert log.user_code == api_world.last_user.username

    def test_create_elsewhere_is_refused(self, api_world: Any) -> None:
        data = None if self.read_only else self.create_data_elsewhere(api_world)
        if data is None:
            pytest.skip("no owning institution to cross")
        client = self.client(api_world, "add", "view")
        before = AuditLog.objects.count()
        response = client.post(self.url, data, format="json")
        assert response.status_code in (400, 403), response.content
        assert AuditLog.objects.count() == before

    def test_bad_input_is_a_chinese_400(self, api_world: Any) -> None:
        if self.read_only:
            pytest.skip("read-only resource")
        body = assert_error(self.client(api_world, "add").post(self.url, {}, format="json"), 400, "VALIDATION_ERROR")
        assert body["fields"]

    def test_update_writes_audit_with_before_and_after(self, api_world: Any) -> None:
        if self.read_only:
            pytest.skip("read-only resource")
        obj = self.make_object(api_world, api_world.home)
        data = self.update_data(api_world, obj)
        response = self.client(api_world, "change", "view").patch(self.detail(obj), data, format="json")
        assert response.status_code == 200, response.content
        log = AuditLog.objects.get(category="update", object_id=str(obj.pk))
        assert log.after and set(log.after) <= set(log.before or {}) | set(log.after)
        changed = next(iter(data))
        assert changed in log.after or f"{changed}_id" in log.after

    def test_delete_removes_row_and_audits(self, api_world: Any) -> None:
        if self.read_only:
            pytest.skip("read-only resource")
        obj = self.make_object(api_world, api_world.home)
        response = self.client(api_world, "delete").delete(self.detail(obj))
        assert response.status_code == 204, response.content
        assert not self.model(obj).objects.filter(pk=obj.pk).exists()
        log = AuditLog.objects.get(category="delete", object_id=str(obj.pk))
        assert log.before is not None
        assert log.after is None

    def test_export_xlsx(self, api_world: Any) -> None:
        self.make_object(api_world, api_world.home, 1)
        self.make_object(api_world, api_world.other, 2)
        assert_error(self.client(api_world, "view").get(self.url, {"format": "xlsx"}), 403, "PERMISSION_DENIED")
        client = self.client(api_world, "view", "export")
        in_scope = client.get(self.url, {"page_size": 500}).json()["count"]
        response = client.get(self.url, {"format": "xlsx"})
        assert response.status_code == 200
        assert response["Content-Type"] == XLSX
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        assert len(rows) == in_scope + 1  # header + exactly the rows in scope
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(rows[0][1]))

    def test_import_xlsx(self, api_world: Any) -> None:
        if self.read_only or not self.supports_import:
            pytest.skip("no import")
        client = self.client(api_world, "import", "add", "view")
        template = client.get(f"{self.url}/import-template")
        assert template.status_code == 200 and template["Content-Type"] == XLSX
        data = self.create_data(api_world)
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.append(list(data))
        ws.append([", ".join(map(str, v)) if isinstance(v, list) else v for v in data.values()])
        buffer = io.BytesIO()
        wb.save(buffer)
        buffer.seek(0)
        buffer.name = "import.xlsx"
        response = client.post(f"{self.url}/import", {"file": buffer}, format="multipart")
        assert response.status_code == 201, response.content
        assert response.json() == {"created": 1}
        bad = io.BytesIO(b"not an excel file")
        bad.name = "x.xlsx"
        assert_error(client.post(f"{self.url}/import", {"file": bad}, format="multipart"), 400, "IMPORT_BAD_FILE")

    def test_list_query_count_does_not_grow_with_rows(self, api_world: Any) -> None:
        client = self.client(api_world, "view")
        self.make_object(api_world, api_world.home, 10)
        client.get(self.url)  # warm caches (content types, session)
        with CaptureQueriesContext(connection) as few:
            assert client.get(self.url).status_code == 200
        for n in range(11, 16):
            self.make_object(api_world, api_world.home, n)
        with CaptureQueriesContext(connection) as many:
            assert client.get(self.url).status_code == 200
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
