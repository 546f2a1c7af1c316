"""Fixtures of the notification tests: message types, captured pushes, a clean task queue."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from huey.contrib.djhuey import HUEY

from yigongti.platform.notify import realtime
from yigongti.platform.notify.models import MessageType, MessageTypeGroup

VARIABLES = {"patient": "患者", "institution": "机构"}


def make_type(code: str = "test.notice", **kw: Any) -> MessageType:
    group, _ = MessageTypeGroup.objects.get_or_create(code="test", defaults={"name": "测试消息"})
    defaults: dict[str, Any] = {
        "name": "测试通知",
        "group": group,
        "variables": dict(VARIABLES),
        "title_template": "{{ institution }} 转来患者 {{ patient }}",
        "body_template": "请尽快处理 {{ patient }} 的申请。",
        "channels": ["in_app", "realtime"],
        "display_mode": "popup",
    }
    mtype = MessageType(code=code, **(defaults | kw))
    mtype.full_clean()
    mtype.save()
    return mtype


CONTEXT = {"patient": "张三", "institution": "城关镇卫生院"}


@dataclass
class Pushes:
    """What ``push_after_commit`` handed to the channel layer, per commit."""

    calls: list[tuple[list[tuple[int, dict[str, Any]]], list[int]]] = field(default_factory=list)

    def events_for(self, user_id: int) -> list[dict[str, Any]]:
        return [payload for events, _ in self.calls for uid, payload in events if uid == user_id]

    def unread_for(self) -> list[int]:
        return [uid for _, users in self.calls for uid in users]


@pytest.fixture
def pushes(monkeypatch: pytest.MonkeyPatch) -> Pushes:
    recorded = Pushes()
    monkeypatch.setattr(realtime, "_push", lambda events, users: recorded.calls.append((events, users)))
    return recorded


@pytest.fixture(autouse=True)
def _clean_queue() -> Iterator[None]:
    HUEY.flush()
    yield
    HUEY.flush()
