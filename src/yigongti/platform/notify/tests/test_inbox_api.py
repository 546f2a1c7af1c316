"""收件箱/发件箱 over the API: filters, read, handle (unique handling), delete, manual sending."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from yigongti.core.audit.models import AuditLog
from yigongti.core.testing.api import assert_error
from yigongti.platform.notify.models import Message, MessageRecipient
from yigongti.platform.notify.services import notify
from yigongti.platform.notify.tests.conftest import CONTEXT, Pushes, make_type
from yigongti.platform.testing import make_role, make_user

pytestmark = pytest.mark.django_db
INBOX = "/api/v1/notify/inbox"
OUTBOX = "/api/v1/notify/outbox"


def client_of(user: Any) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["message_id"] for row in response.json()["results"]]


def test_inbox_filters_all_unread_unhandled(api_world: Any) -> None:
    make_type()
    make_type("test.work", handling_mode="must_handle")
    user = make_user(api_world.home)
    plain = notify("test.notice", recipients=[user], context=CONTEXT)
    work = notify("test.work", recipients=[user], context=CONTEXT)
    read_work = notify("test.work", recipients=[user], context=CONTEXT)
    assert plain and work and read_work
    MessageRecipient.objects.filter(message=read_work).update(read_at="2026-01-01T00:00:00Z")
    client = client_of(user)
    assert ids(client.get(INBOX)) == [read_work.pk, work.pk, plain.pk]
    assert ids(client.get(INBOX, {"status": "all"})) == [read_work.pk, work.pk, plain.pk]
    assert ids(client.get(INBOX, {"status": "unread"})) == [work.pk, plain.pk]
    assert ids(client.get(INBOX, {"status": "unhandled"})) == [read_work.pk, work.pk]
    assert ids(client.get(INBOX, {"type": "test.notice"})) == [plain.pk]
    assert ids(client.get(INBOX, {"group": "test", "search": "张三"})) == [read_work.pk, work.pk, plain.pk]
    assert client.get("/api/v1/notify/unread-count").json() == {"count": 2}
    assert_error(client.get(INBOX, {"status": "bogus"}), 400, "VALIDATION_ERROR")


def test_read_one_read_all_and_delete(api_world: Any, pushes: Pushes, django_capture_on_commit_callbacks: Any) -> None:
    make_type()
    user = make_user(api_world.home)
    first = notify("test.notice", recipients=[user], context=CONTEXT)
    notify("test.notice", recipients=[user], context=CONTEXT)
    row = MessageRecipient.objects.get(message=first, user=user)
    client = client_of(user)
    with django_capture_on_commit_callbacks(execute=True):
        body = client.post(f"{INBOX}/{row.pk}/read").json()
    assert body["is_read"] is True and body["read_at"]
    assert pushes.unread_for() == [user.pk]
    assert client.get("/api/v1/notify/unread-count").json() == {"count": 1}
    assert client.post(f"{INBOX}/read-all").json() == {"updated": 1}
    assert client.get("/api/v1/notify/unread-count").json() == {"count": 0}
    assert client.delete(f"{INBOX}/{row.pk}").status_code == 204
    assert ids(client.get(INBOX)) == [m.pk for m in Message.objects.exclude(pk=first.pk)]  # type: ignore[union-attr]
    assert_error(client.get(f"{INBOX}/{row.pk}"), 404, "NOT_FOUND")


def test_someone_elses_inbox_row_is_not_found(api_world: Any) -> None:
    make_type("test.work", handling_mode="must_handle")
    owner, intruder = make_user(api_world.home), make_user(api_world.home)
    message = notify("test.work", recipients=[owner], context=CONTEXT)
    row = MessageRecipient.objects.get(message=message)
    client = client_of(intruder)
    for response in (
        client.get(f"{INBOX}/{row.pk}"),
        client.post(f"{INBOX}/{row.pk}/read"),
        client.post(f"{INBOX}/{row.pk}/handle"),
        client.delete(f"{INBOX}/{row.pk}"),
    ):
        assert_error(response, 404, "NOT_FOUND")
    row.refresh_from_db()
    assert (row.read_at, row.handled_at, row.deleted) == (None, None, False)
    assert_error(APIClient().get(INBOX), 401, "NOT_AUTHENTICATED")


def test_unique_handling_closes_the_message_for_everyone(
    api_world: Any, pushes: Pushes, django_capture_on_commit_callbacks: Any
) -> None:
    make_type("test.work", handling_mode="must_handle", unique_handling=True)
    first, second, third = (make_user(api_world.home, name=n) for n in ("王一", "王二", "王三"))
    message = notify("test.work", recipients=[first, second, third], context=CONTEXT)
    rows = {r.user_id: r for r in MessageRecipient.objects.filter(message=message)}
    with django_capture_on_commit_callbacks(execute=True):
        body = client_of(second).post(f"{INBOX}/{rows[second.pk].pk}/handle").json()
    assert body["handled_by_name"] == "王二" and body["handled_at"] and body["read_at"]
    assert set(MessageRecipient.objects.filter(message=message).values_list("handled_by_id", flat=True)) == {second.pk}
    assert pushes.events_for(first.pk) == [{"type": "handled", "message_id": message.pk, "handled_by": "王二"}]  # type: ignore[union-attr]
    assert sorted(pushes.unread_for()) == sorted([first.pk, second.pk, third.pk])
    # closed for the others: neither unread nor unhandled any more
    other = client_of(first)
    assert ids(other.get(INBOX, {"status": "unhandled"})) == []
    assert other.get("/api/v1/notify/unread-count").json() == {"count": 0}
    body = assert_error(other.post(f"{INBOX}/{rows[first.pk].pk}/handle"), 409, "MESSAGE_ALREADY_HANDLED")
    assert body["message"].startswith("该消息已由王二于")
    assert AuditLog.objects.filter(action="notify.message.handle").count() == 1


def test_without_unique_handling_each_recipient_handles_their_own(api_world: Any) -> None:
    make_type("test.work", handling_mode="must_handle")
    first, second = make_user(api_world.home), make_user(api_world.home)
    message = notify("test.work", recipients=[first, second], context=CONTEXT)
    row = MessageRecipient.objects.get(message=message, user=first)
    client_of(first).post(f"{INBOX}/{row.pk}/handle")
    assert list(MessageRecipient.objects.filter(handled_at__isnull=False).values_list("user_id", flat=True)) == [
        first.pk
    ]
    assert_error(client_of(first).post(f"{INBOX}/{row.pk}/handle"), 409, "MESSAGE_ALREADY_HANDLED")


def test_message_without_handling_cannot_be_handled(api_world: Any) -> None:
    make_type()
    user = make_user(api_world.home)
    row = MessageRecipient.objects.get(message=notify("test.notice", recipients=[user], context=CONTEXT))
    assert_error(client_of(user).post(f"{INBOX}/{row.pk}/handle"), 400, "MESSAGE_NOT_HANDLEABLE")


def test_manual_sending_needs_a_sender_role_and_shows_in_the_outbox(api_world: Any) -> None:
    role = make_role([], code="dispatcher_x")
    make_type(sender_roles=["dispatcher_x"])
    sender = make_user(api_world.home, [], name="调度员")  # an institution-scope role without the sender role
    colleague, stranger = make_user(api_world.home), make_user(api_world.far)
    payload = {"type": "test.notice", "recipients": [colleague.pk], "context": CONTEXT}
    client = client_of(sender)
    assert_error(client.post(OUTBOX, payload, format="json"), 403, "MESSAGE_TYPE_NOT_SENDABLE")
    sender.roles.add(role)
    client = client_of(sender)
    # recipients outside the sender's data scope do not exist for them
    body = assert_error(
        client.post(OUTBOX, {**payload, "recipients": [stranger.pk]}, format="json"), 400, "VALIDATION_ERROR"
    )
    assert "recipients" in body["fields"]
    body = assert_error(client.post(OUTBOX, {**payload, "context": {}}, format="json"), 400, "TEMPLATE_CONTEXT_MISSING")
    response = client.post(OUTBOX, payload, format="json")
    assert response.status_code == 201, response.content
    sent = response.json()
    assert (sent["title"], sent["sender_name"], sent["recipient_count"], sent["read_count"]) == (
        "城关镇卫生院 转来患者 张三", "调度员", 1, 0,
    )  # fmt: skip
    assert [m["id"] for m in client.get(OUTBOX).json()["results"]] == [sent["id"]]
    assert client_of(colleague).get(OUTBOX).json()["results"] == []
    assert ids(client_of(colleague).get(INBOX)) == [sent["id"]]
    assert AuditLog.objects.filter(action="notify.message.send", object_id=str(sent["id"])).count() == 1


def test_message_management_lists_messages_in_scope(api_world: Any) -> None:
    make_type()
    home_user, other_user = make_user(api_world.home), make_user(api_world.other)
    mine = notify("test.notice", recipients=[home_user], context=CONTEXT, institution=api_world.home)
    notify("test.notice", recipients=[other_user], context=CONTEXT, institution=api_world.other)
    client = api_world.client_for(["notify.message.view"])
    rows = client.get("/api/v1/notify/messages").json()["results"]
    assert [(r["id"], r["recipient_count"]) for r in rows] == [(mine.pk, 1)]  # type: ignore[union-attr]
    assert_error(api_world.client_for([]).get("/api/v1/notify/messages"), 403, "PERMISSION_DENIED")
