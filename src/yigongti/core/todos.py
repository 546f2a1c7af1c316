"""To-do counters for the workbench (工作台待办).

Each center declares what its users have waiting (``register_todo`` in its ``permissions.py`` or
``apps.ready``): a code, a label, the console path to open, the permission code that makes the
counter visible, and a function counting the items for the requesting user within their data
scope. The workbench endpoint lists the counters the user holds; a center with nothing
registered, or whose codes the user lacks, is simply absent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Todo:
    code: str  # "referral.inbound_review"
    label: str  # "待审核转入申请"
    center: str  # "双向转诊"
    permission: str  # the catalogue code that makes the counter visible
    path: str  # console route opened by the counter, may carry a query ("/referral/referrals?status=submitted")
    count: Callable[[Any], int]  # count(request) -> number of waiting items, scoped to request.user
    order: int = 0
    urgent: Callable[[Any], int] | None = None  # optional count of overdue/urgent items among them


_TODOS: dict[str, Todo] = {}


def register_todo(todo: Todo) -> Todo:
    _TODOS[todo.code] = todo
    return todo


def registered_todos() -> list[Todo]:
    return sorted(_TODOS.values(), key=lambda t: (t.center, t.order, t.code))
