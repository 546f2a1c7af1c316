"""Jobs API: outbox destinations (CRUD), outbox messages and failed tasks (read + actions).

All three are platform-wide (ScopeSpec(shared="*")): readable with the view code, changed only
with the 全部 scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection

from yigongti.core.audit.models import AuditLog
from yigongti.core.outbox.models import FailedTask, OutboxDestination, OutboxMessage
from yigongti.core.outbox.services import outbox_publish
from yigongti.core.testing.api import ResourceAPITests, assert_error


class SharedRows:
    scope = "all"

    def test_list_shows_only_rows_in_scope(self, api_world: Any) -> None:
        row = self.make_object(api_world, api_world.home, 1)  # type: ignore[attr-defined]
        client = api_world.client_for(self.codes("view"), scope="institution")  # type: ignore[attr-defined]
        body = client.get(self.url, {"page_size": 500}).json()  # type: ignore[attr-defined]
        assert [r["id"] for r in body["results"]] == [row.pk]

    def test_other_institution_is_not_found(self, api_world: Any) -> None:
        row = self.make_object(api_world, api_world.other, 2)  # type: ignore[attr-defined]
        client = api_world.client_for(self.codes("view", "change", "delete"), scope="institution")  # type: ignore[attr-defined]
        assert client.get(self.detail(row)).status_code == 200  # type: ignore[attr-defined]
        if not self.read_only:  # type: ignore[attr-defined]
            assert_error(client.patch(self.detail(row), {"name": "改"}, format="json"), 404, "NOT_FOUND")  # type: ignore[attr-defined]
            assert_error(client.delete(self.detail(row)), 404, "NOT_FOUND")  # type: ignore[attr-defined]


def make_destination(n: int = 0, **kw: Any) -> OutboxDestination:
    defaults = {"code": f"dest{n}", "name": f"目的地{n}", "url": f"http://127.0.0.1:9/in/{n}"}
    return OutboxDestination.objects.create(**(defaults | kw))


class TestOutboxDestinationAPI(SharedRows, ResourceAPITests):
    url = "/api/v1/jobs/outbox-destinations"
    permission_base = "jobs.outbox_destination"
    supports_import = False

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        return make_destination(n)

    def create_data(self, world: Any) -> dict[str, Any]:
        return {
            "code": "region",
            "name": "区域全民健康信息平台",
            "url": "http://127.0.0.1:18080/referrals",
            "headers": {"Authorization": "Bearer s3cret-token"},
            "max_attempts": 5,
        }

    def update_data(self, world: Any, obj: Any) -> dict[str, Any]:
        return {"name": "区域平台（新）"}

    def test_headers_are_encrypted_and_never_shown(self, api_world: Any) -> None:
        client = self.client(api_world, "add", "view", "change")
        body = client.post(self.url, self.create_data(api_world), format="json").json()
        assert body["header_names"] == ["Authorization"]
        assert "headers" not in body
        row = OutboxDestination.objects.get(pk=body["id"])
        assert row.header_dict() == {"Authorization": "Bearer s3cret-token"}
        with connection.cursor() as cursor:
            cursor.execute("SELECT headers FROM outbox_outboxdestination WHERE id = %s", [row.pk])
            raw = cursor.fetchone()[0]
        assert raw.startswith("sm4") and "s3cret" not in raw
        log = AuditLog.objects.get(category="create", object_id=str(row.pk))
        assert "s3cret" not in str(log.after)
        assert client.patch(self.detail(row), {"name": "改名"}, format="json").status_code == 200
        row.refresh_from_db()
        assert row.header_dict() == {"Authorization": "Bearer s3cret-token"}  # kept when not sent

    def test_reserved_headers_are_refused(self, api_world: Any) -> None:
        data = self.create_data(api_world) | {"headers": {"Idempotency-Key": "x"}}
        body = assert_error(self.client(api_world, "add").post(self.url, data, format="json"), 400, "VALIDATION_ERROR")
        assert "系统设置" in body["fields"]["headers"][0]
        assert not OutboxDestination.objects.exists()

    def test_hosts_outside_the_allow_list_are_refused(self, api_world: Any, settings: Any) -> None:
        settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1", "*.wjw.example.cn"]
        client = self.client(api_world, "add")
        data = self.create_data(api_world) | {"url": "https://evil.example.com/in"}
        body = assert_error(client.post(self.url, data, format="json"), 400, "VALIDATION_ERROR")
        assert "白名单" in body["fields"]["url"][0]
        data = self.create_data(api_world) | {"url": "https://api.wjw.example.cn/in"}
        assert client.post(self.url, data, format="json").status_code == 201

    def test_a_destination_with_messages_cannot_be_deleted(self, api_world: Any) -> None:
        row = make_destination(5)
        outbox_publish(destination=row.code, event="e", payload={}, key="k")
        assert_error(self.client(api_world, "delete").delete(self.detail(row)), 409, "IN_USE")


class TestOutboxMessageAPI(SharedRows, ResourceAPITests):
    url = "/api/v1/jobs/outbox-messages"
    permission_base = "jobs.outbox_message"
    read_only = True

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        destination = OutboxDestination.objects.filter(code="region").first() or make_destination(code="region")
        return outbox_publish(destination=destination.code, event="referral.created", payload={"n": n}, key=f"k{n}")

    def test_reading_messages_is_audited(self, api_world: Any) -> None:
        message = self.make_object(api_world, api_world.home, 1)
        client = self.client(api_world, "view")
        body = client.get(self.detail(message)).json()
        assert body["destination_code"] == "region" and body["status"] == "pending" and body["sequence"] == 1
        assert body["payload"] == {"n": 1} and body["status_display"] == "待发送"
        log = AuditLog.objects.get(object_type="outbox.outboxmessage", category="read")
        assert log.object_id == str(message.pk)

    def test_retry_and_discard(self, api_world: Any, django_capture_on_commit_callbacks: Any) -> None:
        destination = make_destination(code="region")
        message = OutboxMessage.objects.create(destination=destination, key="k1", event="e", payload={}, sequence=1)
        client = self.client(api_world, "view", "retry", "discard")
        assert_error(client.post(f"{self.detail(message)}/retry"), 409, "OUTBOX_NOT_RETRYABLE")
        OutboxMessage.objects.filter(pk=message.pk).update(status="dead", attempts=10, last_error="HTTP 500")
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            body = client.post(f"{self.detail(message)}/retry").json()
        assert (body["status"], body["attempts"], body["next_attempt_at"]) == ("pending", 0, None)
        assert len(callbacks) == 1  # a dispatch after commit
        log = AuditLog.objects.get(object_type="outbox.outboxmessage", category="update")
        assert log.before == {"status": "dead", "attempts": 10} and log.after == {"status": "pending", "attempts": 0}
        OutboxMessage.objects.filter(pk=message.pk).update(status="failed")
        assert client.post(f"{self.detail(message)}/discard").json()["status"] == "discarded"
        assert_error(client.post(f"{self.detail(message)}/discard"), 409, "OUTBOX_NOT_DISCARDABLE")

    def test_actions_need_their_codes_and_the_all_scope(self, api_world: Any) -> None:
        message = self.make_object(api_world, api_world.home, 1)
        OutboxMessage.objects.filter(pk=message.pk).update(status="dead")
        viewer = self.client(api_world, "view")
        assert_error(viewer.post(f"{self.detail(message)}/retry"), 403, "PERMISSION_DENIED")
        local = api_world.client_for(self.codes("view", "retry"), scope="institution")
        assert_error(local.post(f"{self.detail(message)}/retry"), 404, "NOT_FOUND")
        assert OutboxMessage.objects.get(pk=message.pk).status == "dead"


class TestFailedTaskAPI(SharedRows, ResourceAPITests):
    url = "/api/v1/jobs/failed-tasks"
    permission_base = "jobs.failed_task"
    read_only = True

    def make_object(self, world: Any, institution: Any, n: int = 0) -> Any:
        return FailedTask.objects.create(
            task_name="yigongti.core.outbox.tests.sample_tasks.flaky",
            task_id=f"t{n}",
            args=[n],
            error="RuntimeError: 对方系统暂不可用",
            failed_at=dt.datetime(2026, 11, 25, 8, n, tzinfo=dt.UTC),
            retries_used=2,
        )

    def test_list_is_newest_first_and_filters(self, api_world: Any) -> None:
        old, new = self.make_object(api_world, None, 1), self.make_object(api_world, None, 2)
        FailedTask.objects.filter(pk=old.pk).update(resolved=True)
        client = self.client(api_world, "view")
        assert [r["id"] for r in client.get(self.url).json()["results"]] == [new.pk, old.pk]
        assert [r["id"] for r in client.get(self.url, {"resolved": "false"}).json()["results"]] == [new.pk]
