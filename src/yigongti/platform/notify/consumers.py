"""The notification socket (``/ws/notify/``): one per open console tab.

The session cookie authenticates it (Channels' ``AuthMiddlewareStack``); an anonymous socket, a
disabled account or one that must change its password is accepted and closed at once with code
4401, so the console can tell "log in again" from a network failure. The socket joins the user's
group and first receives the current unread count. Before each event it checks that the session
still exists (a forced logout or idle timeout deletes it) and closes with 4401 when it does not.
Clients may send ``{"type": "ping"}`` and get ``{"type": "pong"}``.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from yigongti.platform.notify.realtime import user_group

CLOSE_UNAUTHENTICATED = 4401


def _allowed(user: Any) -> bool:
    from yigongti.platform.accounts.policy import password_change_required

    return bool(user is not None and user.is_authenticated and user.is_active and not password_change_required(user))


def _session_alive(session_key: str | None, user_id: int) -> bool:
    """The session still exists, is not expired and still belongs to the user (any session engine)."""
    if not session_key:
        return False
    from importlib import import_module

    from django.conf import settings

    from yigongti.platform.accounts.models import User

    data = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key).load()
    return (
        str(data.get("_auth_user_id", "")) == str(user_id) and User.objects.filter(pk=user_id, is_active=True).exists()
    )


def _unread(user_id: int) -> int:
    from yigongti.platform.notify.selectors import unread_count

    return unread_count(user_id)


class NotifyConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    group: str | None = None
    user_id: int | None = None

    async def connect(self) -> None:
        await self.accept()
        user = self.scope.get("user")
        if not await database_sync_to_async(_allowed)(user):
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user_id = int(user.pk)
        self.group = user_group(self.user_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.send_json({"type": "unread", "count": await database_sync_to_async(_unread)(self.user_id)})

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            self.group = None

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def notify_event(self, event: dict[str, Any]) -> None:
        """Group messages of type ``notify.event`` (see ``realtime.push_after_commit``)."""
        if self.user_id is None:
            return
        session = self.scope.get("session")
        key = getattr(session, "session_key", None)
        if not await database_sync_to_async(_session_alive)(key, self.user_id):
            await self.channel_layer.group_discard(self.group, self.channel_name)
            self.group = None
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        await self.send_json(event["payload"])
