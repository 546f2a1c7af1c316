"""Realtime push over the Channels layer, always after the transaction commits.

Every user's sockets join the group ``notify.user.<id>``. Events (the JSON a socket receives):

* ``{"type": "unread", "count": N}`` — the user's unread count changed;
* ``{"type": "popup", "message": {...}, "sound": "default" | null}`` — show a new message now;
* ``{"type": "handled", "message_id": M, "handled_by": "张三"}`` — a uniquely handled message
  was closed by someone else.

``push_after_commit`` registers one ``on_commit`` callback: a rolled-back transaction pushes
nothing, and a failing layer (Redis down) is logged without undoing the committed data. With the
default in-memory layer only sockets served by the same process are reached; deployments with a
separate worker process need the Redis layer (``REDIS_URL``).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger("yigongti.notify.realtime")
EVENT_TYPE = "notify.event"  # → NotifyConsumer.notify_event


def user_group(user_id: int) -> str:
    return f"notify.user.{user_id}"


def push_after_commit(*, events: Iterable[tuple[int, dict[str, Any]]] = (), unread_for: Iterable[int] = ()) -> None:
    """After commit: send each ``(user_id, payload)`` and a fresh unread count to ``unread_for``."""
    items = list(events)
    users = sorted(set(unread_for))
    if items or users:
        transaction.on_commit(functools.partial(_push, items, users), robust=True)


def _push(events: list[tuple[int, dict[str, Any]]], unread_for: list[int]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    from yigongti.platform.notify.selectors import unread_counts

    counts = unread_counts(unread_for)
    outgoing = [(uid, {"type": "unread", "count": counts.get(uid, 0)}) for uid in unread_for] + events
    async_to_sync(_send_all)(layer, outgoing)


async def _send_all(layer: Any, outgoing: list[tuple[int, dict[str, Any]]]) -> None:
    for user_id, payload in outgoing:
        await layer.group_send(user_group(user_id), {"type": EVENT_TYPE, "payload": payload})
