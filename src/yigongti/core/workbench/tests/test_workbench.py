"""GET /api/v1/workbench: counters by permission and center, unread messages, announcements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from yigongti.core import todos
from yigongti.core.todos import Todo, register_todo
from yigongti.platform.accounts.models import User
from yigongti.platform.notify.models import Announcement, MessageRecipient
from yigongti.platform.notify.services import notify
from yigongti.platform.notify.tests.conftest import CONTEXT, make_type
from yigongti.platform.org.models import Bed
from yigongti.platform.testing import make_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/workbench"


def client_of(user: Any) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def free_beds(request: Any) -> int:
    """A real scoped count: the free beds the requesting user may see."""
    from yigongti.core.scope import apply_scope, model_scope

    qs = apply_scope(Bed.objects.filter(status="free"), model_scope(Bed), request.user.scope_context())
    return qs.count()


def broken(request: Any) -> int:
    raise RuntimeError("center bug")


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Only the counters of this test, whatever the centers registered."""
    monkeypatch.setattr(todos, "_TODOS", {})
    register_todo(Todo("test.free_beds", "空闲床位", "测试中心", "org.bed.view", "/org/beds?status=free", free_beds))
    register_todo(
        Todo(
            "test.reserved",
            "预留床位",
            "测试中心",
            "org.bed.view",
            "/org/beds",
            lambda r: 2,
            order=1,
            urgent=lambda r: 1,
        )
    )
    register_todo(Todo("test.other", "其他待办", "另一中心", "org.equipment.view", "/org/equipment", lambda r: 7))
    register_todo(Todo("test.broken", "坏掉的计数", "故障中心", "org.post.view", "/org/posts", broken))
    yield


def make_bed(institution: Any, department: Any, code: str, status: str = "free") -> Bed:
    return Bed.objects.create(institution=institution, department=department, code=code, status=status)


def test_counters_follow_permission_codes_and_data_scope(api_world: Any, registry: None) -> None:
    # given two free beds at home, one occupied at home and one free at the other institution
    make_bed(api_world.home, api_world.home_department, "B1")
    make_bed(api_world.home, api_world.home_department, "B2")
    make_bed(api_world.home, api_world.home_department, "B3", status="occupied")
    make_bed(api_world.other, api_world.other_department, "X1")
    user = make_user(api_world.home, ["org.bed.view"], department=api_world.home_department)

    # when the user opens the workbench
    response = client_of(user).get(URL)

    # then only the center whose code they hold appears, counted within their institution
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["centers"] == [
        {
            "center": "测试中心",
            "total": 4,
            "todos": [
                {"code": "test.free_beds", "label": "空闲床位", "path": "/org/beds?status=free", "count": 2,
                 "urgent": 0, "available": True},
                {"code": "test.reserved", "label": "预留床位", "path": "/org/beds", "count": 2, "urgent": 1,
                 "available": True},
            ],
        }
    ]  # fmt: skip
    assert body["todo_total"] == 4


def test_community_scope_counts_more_and_other_centers_appear_with_their_codes(api_world: Any, registry: None) -> None:
    make_bed(api_world.home, api_world.home_department, "B1")
    make_bed(api_world.other, api_world.other_department, "X1")
    user = make_user(api_world.home, ["org.bed.view", "org.equipment.view"], scope="community")

    body = client_of(user).get(URL).json()

    assert [(c["center"], c["total"]) for c in body["centers"]] == [("另一中心", 7), ("测试中心", 4)]
    assert body["centers"][1]["todos"][0]["count"] == 2
    assert body["todo_total"] == 11


def test_a_user_without_codes_sees_no_centers(api_world: Any, registry: None) -> None:
    user = make_user(api_world.home, [])

    body = client_of(user).get(URL).json()

    assert body["centers"] == []
    assert body["todo_total"] == 0


def test_a_failing_counter_is_reported_unavailable_not_a_500(api_world: Any, registry: None) -> None:
    user = make_user(api_world.home, ["org.post.view"])

    body = client_of(user).get(URL).json()

    assert body["centers"] == [
        {
            "center": "故障中心",
            "total": 0,
            "todos": [{"code": "test.broken", "label": "坏掉的计数", "path": "/org/posts", "count": 0, "urgent": 0,
                       "available": False}],
        }
    ]  # fmt: skip


def test_recent_unread_messages_and_visible_announcements(api_world: Any, registry: None) -> None:
    # given three messages to the user (one read) and one to somebody else
    make_type()
    user = make_user(api_world.home, [])
    someone = make_user(api_world.home, [])
    first = notify("test.notice", recipients=[user], context=CONTEXT)
    read = notify("test.notice", recipients=[user], context=CONTEXT)
    last = notify("test.notice", recipients=[user], context={**CONTEXT, "patient": "李四"})
    notify("test.notice", recipients=[someone], context=CONTEXT)
    assert first and read and last
    MessageRecipient.objects.filter(message=read, user=user).update(read_at=timezone.now())
    # and an announcement to everyone, one addressed elsewhere, one not yet published
    publisher = make_user(api_world.home, [], name="王主任")
    now = timezone.now()
    common = {"reach_all": True, "institution": api_world.home, "published_by": publisher}
    everyone = Announcement.objects.create(
        title="全员通知", content="内容", audience_all=True, publish_at=now, **common
    )
    elsewhere = Announcement.objects.create(title="他人通知", content="内容", publish_at=now, **common)
    elsewhere.audience_users.set([someone])
    Announcement.objects.create(
        title="未来通知", content="内容", audience_all=True, publish_at=now + dt.timedelta(days=1), **common
    )

    body = client_of(user).get(URL).json()

    assert body["unread_count"] == 2
    assert [(m["title"], m["type_name"], m["sender_name"]) for m in body["messages"]] == [
        ("城关镇卫生院 转来患者 李四", "测试通知", "系统"),
        ("城关镇卫生院 转来患者 张三", "测试通知", "系统"),
    ]
    inbox_ids = set(MessageRecipient.objects.filter(user=user, message__in=[first, last]).values_list("pk", flat=True))
    assert {m["id"] for m in body["messages"]} == inbox_ids
    assert [(a["id"], a["title"], a["publisher_name"], a["is_read"]) for a in body["announcements"]] == [
        (everyone.pk, "全员通知", "王主任", False)
    ]


def test_anonymous_is_refused() -> None:
    response = APIClient().get(URL)

    assert response.status_code == 401
    assert response.json()["code"] == "NOT_AUTHENTICATED"
    assert not User.objects.exists()
