"""What the workbench shows a user: to-do counters grouped by center, unread messages, announcements.

A counter is listed only when the user holds its permission code; a center none of whose counters
the user holds (or that registered none) is absent. A counter that raises is reported as
unavailable (``available: false``) and logged, so one broken center does not take the home page
down for everyone.
"""

from __future__ import annotations

import logging
from typing import Any

from yigongti.core.todos import Todo, registered_todos

logger = logging.getLogger(__name__)

RECENT_MESSAGES = 5
RECENT_ANNOUNCEMENTS = 5


def _count(todo: Todo, request: Any) -> tuple[int, int, bool]:
    try:
        count = int(todo.count(request))
        urgent = int(todo.urgent(request)) if todo.urgent is not None else 0
    except Exception:
        logger.exception("workbench to-do %s failed", todo.code)
        return 0, 0, False
    return count, urgent, True


def todo_centers(request: Any) -> list[dict[str, Any]]:
    """``[{center, total, todos: [{code, label, path, count, urgent, available}]}]`` for the user."""
    user = request.user
    centers: dict[str, dict[str, Any]] = {}
    for todo in registered_todos():
        if not user.has_code(todo.permission):
            continue
        count, urgent, available = _count(todo, request)
        center = centers.setdefault(todo.center, {"center": todo.center, "total": 0, "todos": []})
        center["todos"].append(
            {
                "code": todo.code,
                "label": todo.label,
                "path": todo.path,
                "count": count,
                "urgent": urgent,
                "available": available,
            }
        )
        center["total"] += count
    return list(centers.values())


def recent_unread_messages(user: Any, limit: int = RECENT_MESSAGES) -> list[dict[str, Any]]:
    from yigongti.platform.notify.choices import InboxFilter
    from yigongti.platform.notify.selectors import inbox_queryset

    rows = inbox_queryset(user=user, status=InboxFilter.UNREAD).order_by("-created_at", "-id")[:limit]
    return [
        {
            "id": r.pk,
            "title": r.message.title,
            "type_name": r.message.type.name,
            "sender_name": r.message.sender_name,
            "sent_at": r.message.created_at,
            "urgent": r.message.urgent,
            "must_handle": r.message.must_handle,
        }
        for r in rows
    ]


def recent_announcements(user: Any, limit: int = RECENT_ANNOUNCEMENTS) -> list[dict[str, Any]]:
    from yigongti.platform.notify.selectors import announcements_visible

    rows = announcements_visible(user=user).order_by("-publish_at", "-id")[:limit]
    return [
        {
            "id": a.pk,
            "title": a.title,
            "publisher_name": (a.published_by.name or a.published_by.username) if a.published_by else "",
            "institution_name": a.institution.name if a.institution else "",
            "publish_at": a.publish_at,
            "is_read": bool(getattr(a, "is_read", False)),
        }
        for a in rows
    ]


def workbench_for(request: Any) -> dict[str, Any]:
    from yigongti.platform.notify.selectors import unread_count

    user = request.user
    centers = todo_centers(request)
    return {
        "centers": centers,
        "todo_total": sum(c["total"] for c in centers),
        "unread_count": unread_count(user.pk),
        "messages": recent_unread_messages(user),
        "announcements": recent_announcements(user),
    }
