"""The notification socket (/ws/notify/) through the real ASGI application: session
authentication, origin check, per-user groups, and pushes only after commit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.contrib.sessions.models import Session
from django.db import transaction
from rest_framework.test import APIClient

from yigongti.config.asgi import application
from yigongti.platform.notify.models import MessageRecipient
from yigongti.platform.notify.services import notify
from yigongti.platform.notify.services.inbox import inbox_handle
from yigongti.platform.notify.tests.conftest import CONTEXT, make_type
from yigongti.platform.testing import make_user

# committed rows: the consumer reads the database from its own thread, and pushes wait for commit
pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = (b"origin", b"http://localhost")


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    async def with_clean_layer() -> None:
        await get_channel_layer().flush()
        await scenario()

    async_to_sync(with_clean_layer)()


def session_of(user: Any) -> str:
    client = APIClient()
    client.force_login(user)
    return str(client.cookies["sessionid"].value)


def socket(session_key: str | None = None, origin: tuple[bytes, bytes] = ORIGIN) -> WebsocketCommunicator:
    headers = [origin]
    if session_key:
        headers.append((b"cookie", f"sessionid={session_key}".encode()))
    return WebsocketCommunicator(application, "/ws/notify/", headers=headers)


async def open_socket(session_key: str) -> WebsocketCommunicator:
    ws = socket(session_key)
    connected, _ = await ws.connect()
    assert connected
    return ws


def test_anonymous_socket_is_closed_with_4401(api_world: Any) -> None:
    async def scenario() -> None:
        ws = socket()
        connected, _ = await ws.connect()
        assert connected
        assert await ws.receive_output(timeout=2) == {"type": "websocket.close", "code": 4401}

    run(scenario)


def test_socket_from_a_foreign_origin_is_refused(api_world: Any) -> None:
    key = session_of(make_user(api_world.home))

    async def scenario() -> None:
        connected, _ = await socket(key, origin=(b"origin", b"https://evil.example")).connect()
        assert connected is False

    run(scenario)


def test_message_reaches_the_recipients_socket_after_commit_and_nobody_elses(api_world: Any) -> None:
    make_type(sound=True)
    alice, bob = make_user(api_world.home), make_user(api_world.home)
    alice_key, bob_key = session_of(alice), session_of(bob)

    def send(*, fail: bool) -> None:
        with transaction.atomic():
            notify("test.notice", recipients=[alice], context=CONTEXT)
            if fail:
                raise RuntimeError("业务失败，整个事务回滚")

    def send_and_roll_back() -> None:
        with pytest.raises(RuntimeError):
            send(fail=True)

    async def scenario() -> None:
        to_alice, to_bob = await open_socket(alice_key), await open_socket(bob_key)
        assert await to_alice.receive_json_from(timeout=2) == {"type": "unread", "count": 0}
        assert await to_bob.receive_json_from(timeout=2) == {"type": "unread", "count": 0}

        await sync_to_async(send_and_roll_back)()
        assert await to_alice.receive_nothing(timeout=0.3)

        await sync_to_async(send)(fail=False)
        assert await to_alice.receive_json_from(timeout=2) == {"type": "unread", "count": 1}
        popup = await to_alice.receive_json_from(timeout=2)
        assert popup["type"] == "popup" and popup["sound"] == "default"
        assert popup["message"]["title"] == "城关镇卫生院 转来患者 张三"
        assert await to_bob.receive_nothing(timeout=0.3)

        await to_alice.send_json_to({"type": "ping"})
        assert await to_alice.receive_json_from(timeout=2) == {"type": "pong"}
        await to_alice.disconnect()
        await to_bob.disconnect()

    run(scenario)
    assert MessageRecipient.objects.filter(user=alice).count() == 1


def test_unique_handling_closes_the_message_on_the_other_sockets(api_world: Any) -> None:
    make_type("test.work", handling_mode="must_handle", unique_handling=True, display_mode="inbox")
    first, second = make_user(api_world.home), make_user(api_world.home, name="王二")
    first_key = session_of(first)

    async def scenario() -> None:
        ws = await open_socket(first_key)
        await ws.receive_json_from(timeout=2)
        message = await sync_to_async(notify)("test.work", recipients=[first, second], context=CONTEXT)
        assert await ws.receive_json_from(timeout=2) == {"type": "unread", "count": 1}  # inbox only: no popup
        row = await sync_to_async(MessageRecipient.objects.get)(message=message, user=second)
        await sync_to_async(inbox_handle)(user=second, recipient_id=row.pk)
        events = [await ws.receive_json_from(timeout=2), await ws.receive_json_from(timeout=2)]
        assert {"type": "unread", "count": 0} in events
        assert {"type": "handled", "message_id": message.pk, "handled_by": "王二"} in events
        await ws.disconnect()

    run(scenario)


def test_socket_closes_when_its_session_is_gone(api_world: Any) -> None:
    make_type()
    user = make_user(api_world.home)
    key = session_of(user)

    async def scenario() -> None:
        ws = await open_socket(key)
        await ws.receive_json_from(timeout=2)
        await sync_to_async(Session.objects.filter(session_key=key).delete)()  # forced logout / idle timeout
        await sync_to_async(notify)("test.notice", recipients=[user], context=CONTEXT)
        assert await ws.receive_output(timeout=2) == {"type": "websocket.close", "code": 4401}

    run(scenario)
