"""公告: audience (users, roles, institutions, everyone) within the publisher's reach, visibility in
time, sanitized content, notification of the audience, read receipts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from yigongti.core.audit.models import AuditLog
from yigongti.core.testing.api import assert_error
from yigongti.platform.notify.models import Announcement, AnnouncementRead, MessageRecipient
from yigongti.platform.testing import make_role, make_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/notify/announcements"
PUBLISH = ["notify.announcement.view", "notify.announcement.add", "notify.announcement.change"]


def client_of(user: Any) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def visible_ids(user: Any) -> list[int]:
    response = client_of(user).get(f"{URL}/visible")
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def publish(client: APIClient, **data: Any) -> dict[str, Any]:
    payload = {"title": "停电通知", "content": "<p>本周六停电</p>"} | data
    response = client.post(URL, payload, format="json")
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body


def test_role_audience_reaches_holders_only_within_the_publishers_scope(api_world: Any) -> None:
    nurse = make_role([], code="nurse_x")
    home_nurse, other_nurse, home_doctor = (
        make_user(api_world.home),
        make_user(api_world.other),
        make_user(api_world.home),
    )
    home_nurse.roles.add(nurse)
    other_nurse.roles.add(nurse)
    local = publish(api_world.client_for(PUBLISH), audience_roles=["nurse_x"], title="本院护士会议")
    county = publish(api_world.client_for(PUBLISH, scope="all"), audience_roles=["nurse_x"], title="全县护士会议")
    assert local["reach_all"] is False and county["reach_all"] is True
    assert visible_ids(home_nurse) == [county["id"], local["id"]]
    assert visible_ids(other_nurse) == [county["id"]]
    assert visible_ids(home_doctor) == []


def test_institution_and_user_audiences(api_world: Any) -> None:
    publisher = api_world.client_for(PUBLISH, scope="community")
    to_other = publish(publisher, audience_institutions=[api_world.other.pk])
    named = make_user(api_world.home, username="wang")
    to_user = publish(publisher, audience_users=["wang"])
    everyone = publish(publisher, audience_all=True)
    in_other, in_home, far = make_user(api_world.other), make_user(api_world.home), make_user(api_world.far)
    assert visible_ids(in_other) == [everyone["id"], to_other["id"]]
    assert visible_ids(named) == [everyone["id"], to_user["id"]]
    assert visible_ids(in_home) == [everyone["id"]]
    assert visible_ids(far) == []  # another community: outside the publisher's reach
    # addressing an institution outside the publisher's scope is refused
    body = assert_error(
        api_world.client_for(PUBLISH).post(
            URL, {"title": "x", "content": "y", "audience_institutions": [api_world.far.pk]}, format="json"
        ),
        400,
        "VALIDATION_ERROR",
    )
    assert "audience_institutions" in body["fields"]


def test_visibility_follows_publish_and_expiry_times(api_world: Any) -> None:
    publisher = api_world.client_for(PUBLISH)
    now = timezone.now()
    later = publish(publisher, audience_all=True, publish_at=(now + dt.timedelta(hours=1)).isoformat())
    expired = publish(
        publisher,
        audience_all=True,
        publish_at=(now - dt.timedelta(days=2)).isoformat(),
        expires_at=(now - dt.timedelta(days=1)).isoformat(),
    )
    current = publish(publisher, audience_all=True)
    reader = make_user(api_world.home)
    assert visible_ids(reader) == [current["id"]]
    Announcement.objects.filter(pk=later["id"]).update(publish_at=now - dt.timedelta(minutes=1))
    assert visible_ids(reader) == [current["id"], later["id"]]
    assert expired["id"] not in visible_ids(reader)
    body = assert_error(
        publisher.post(URL, {"title": "x", "content": "y", "audience_all": True, "publish_at": now.isoformat(),
                             "expires_at": now.isoformat()}, format="json"),
        400,
        "VALIDATION_ERROR",
    )  # fmt: skip
    assert body["fields"]["expires_at"] == ["失效时间必须晚于发布时间。"]


def test_content_is_sanitized_and_audience_required(api_world: Any) -> None:
    publisher = api_world.client_for(PUBLISH)
    created = publish(publisher, audience_all=True, content='<p onclick="x()">内容<script>alert(1)</script></p>')
    assert created["content"] == "<p>内容</p>"
    body = assert_error(publisher.post(URL, {"title": "x", "content": "y"}, format="json"), 400, "VALIDATION_ERROR")
    assert "audience_users" in body["fields"]
    body = assert_error(
        publisher.post(URL, {"title": "x", "content": "<script>x</script>", "audience_all": True}, format="json"),
        400,
        "VALIDATION_ERROR",
    )
    assert body["fields"]["content"] == ["公告内容不能为空。"]
    body = assert_error(
        publisher.post(URL, {"title": "x", "content": "y", "audience_all": True, "attachment_ids": [999999]},
                       format="json"),
        400,
    )  # fmt: skip
    assert body["fields"]["attachment_ids"] == ["附件不存在或无权使用：999999"]
    assert AuditLog.objects.filter(object_type="notify.announcement", category="create").count() == 1


def test_audience_is_notified_after_commit_and_reading_marks_it(
    api_world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    reader, other = make_user(api_world.home), make_user(api_world.other)
    with django_capture_on_commit_callbacks(execute=True):
        created = publish(api_world.client_for(PUBLISH), audience_all=True, title="全院大会")
    publisher = Announcement.objects.get(pk=created["id"]).published_by
    notified = MessageRecipient.objects.filter(message__type__code="system.announcement")
    assert set(notified.values_list("user_id", flat=True)) == {reader.pk, publisher.pk}  # type: ignore[union-attr]
    assert other.pk not in set(notified.values_list("user_id", flat=True))
    row = notified.get(user=reader)
    assert row.message.title == "全院大会" and row.message.body.endswith("发布了公告：本周六停电")
    assert Announcement.objects.get(pk=created["id"]).notified_at is not None
    client = client_of(reader)
    assert client.get("/api/v1/notify/unread-count").json() == {"count": 1}
    response = client.post(f"{URL}/{created['id']}/read")
    assert response.status_code == 200 and response.json()["announcement"] == created["id"]
    client.post(f"{URL}/{created['id']}/read")  # twice: still one receipt
    assert AnnouncementRead.objects.filter(user=reader).count() == 1
    assert client.get("/api/v1/notify/unread-count").json() == {"count": 0}
    assert client.get(f"{URL}/visible").json()["results"][0]["is_read"] is True
    # who read it: for the publisher
    manager = api_world.client_for(PUBLISH)
    receipts = manager.get(f"{URL}/{created['id']}/receipts").json()["results"]
    assert [r["user"] for r in receipts] == [reader.pk]
    assert manager.get(f"{URL}/{created['id']}").json()["read_count"] == 1


def test_reading_an_announcement_not_addressed_to_me_is_not_found(api_world: Any) -> None:
    created = publish(api_world.client_for(PUBLISH), audience_institutions=[api_world.home.pk])
    outsider = make_user(api_world.other)
    assert_error(client_of(outsider).post(f"{URL}/{created['id']}/read"), 404, "NOT_FOUND")
    assert AnnouncementRead.objects.count() == 0


def test_management_is_scoped_and_needs_codes(api_world: Any) -> None:
    created = publish(api_world.client_for(PUBLISH), audience_all=True)
    assert_error(api_world.client_for([]).get(URL), 403, "PERMISSION_DENIED")
    assert client_of(make_user(api_world.home)).get(f"{URL}/visible").status_code == 200  # no code needed
    elsewhere = api_world.client_for(PUBLISH)
    elsewhere.force_login(make_user(api_world.other, PUBLISH))
    assert elsewhere.get(URL).json()["results"] == []
    assert_error(elsewhere.patch(f"{URL}/{created['id']}", {"title": "改"}, format="json"), 404, "NOT_FOUND")
    same = api_world.client_for(PUBLISH)
    response = same.patch(f"{URL}/{created['id']}", {"title": "改过的标题", "content": "<b>新</b>"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["title"], response.json()["content"]) == ("改过的标题", "<b>新</b>")
    assert AuditLog.objects.filter(object_type="notify.announcement", category="update").count() == 1
