"""Menus, action codes, role grants, the 审方药师 role, the HIS scope and the workbench to-do of
县域审方中心 (engineer P's part; the knowledge, engine and comment apps register their own)."""

from __future__ import annotations

from typing import Any

from yigongti.centers.prescription_review.flows import ReviewTaskFlow
from yigongti.core.catalog import CRUD_ACTIONS, MenuEntry, register
from yigongti.core.scope import DataScope
from yigongti.core.todos import Todo, register_todo
from yigongti.platform.accounts.builtin_roles import BuiltinRole, exact, grant, prefixed, register_role
from yigongti.platform.integration.scopes import register_scope

GROUP, GROUP_NAME = "rx", "县域审方中心"
PRESCRIPTION = "rx.prescription"
CHECK = "rx.check"
TASK = "rx.task"
ROSTER = "rx.roster"
SCHEME = "rx.scheme"
QUICK_REPLY = "rx.quick_reply"
CONFIG = "rx.config"
HIS = "rx.his"
HIS_SCOPE = "rx.review"
READ = (("view", "查看"), ("export", "导出"))

register(
    MenuEntry(
        PRESCRIPTION, "处方查询", GROUP, GROUP_NAME, path="/rx/prescriptions", order=10,
        actions=(*READ, ("double_sign", "医生双签")),
    )
)  # fmt: skip
register(MenuEntry(CHECK, "审核记录", GROUP, GROUP_NAME, path="/rx/checks", order=20, actions=READ))
register(
    MenuEntry(
        TASK, "药师审方", GROUP, GROUP_NAME, path="/rx/tasks", order=30,
        actions=(*READ, *ReviewTaskFlow.catalog_actions(TASK), ("counters", "审方统计")),
    )
)  # fmt: skip
register(
    MenuEntry(
        ROSTER,
        "药师排班",
        GROUP,
        GROUP_NAME,
        path="/rx/duties",
        order=40,
        actions=(*CRUD_ACTIONS, ("duty", "上岗/下岗")),
    )
)
register(MenuEntry(SCHEME, "审方方案", GROUP, GROUP_NAME, path="/rx/schemes", order=50))
register(
    MenuEntry(
        QUICK_REPLY,
        "快捷回复",
        GROUP,
        GROUP_NAME,
        path="/rx/quick-replies",
        order=60,
        actions=(*CRUD_ACTIONS, ("reorder", "排序")),
    )
)
register(MenuEntry(CONFIG, "审方中心配置", GROUP, GROUP_NAME, path="/rx/configs", order=70))
# Held by hospital systems through the OAuth2 scope ``rx.review`` (not a console menu).
register(
    MenuEntry(HIS, "HIS 审方接口", GROUP, GROUP_NAME, order=90, actions=(("submit", "提交处方"), ("view", "查询结果")))
)

PHARMACIST_CODES = prefixed(f"{TASK}.", f"{QUICK_REPLY}.", exclude=(f"{QUICK_REPLY}.import",))
grant(
    "pharmacist",
    PHARMACIST_CODES,
    exact(f"{PRESCRIPTION}.view", f"{CHECK}.view", f"{ROSTER}.view", f"{ROSTER}.duty", f"{SCHEME}.view"),
)
grant("doctor", exact(f"{PRESCRIPTION}.view", f"{PRESCRIPTION}.double_sign", f"{TASK}.view", f"{CHECK}.view"))
for admin in ("community_admin", "institution_admin"):
    grant(admin, prefixed(f"{CONFIG}.", f"{SCHEME}.", f"{ROSTER}.", f"{QUICK_REPLY}."), exact(f"{TASK}.counters"))
register_role(
    BuiltinRole(
        "rx_pharmacist",
        "审方药师",
        DataScope.COMMUNITY,
        (PHARMACIST_CODES, exact(f"{PRESCRIPTION}.view", f"{PRESCRIPTION}.export", f"{CHECK}.view",
                                 f"{CHECK}.export", f"{ROSTER}.view", f"{ROSTER}.duty", f"{SCHEME}.view")),
        description="县域审方中心药师：审核全医共体各成员单位的处方（抢单、通过、驳回、双签），维护快捷回复。",
    )
)  # fmt: skip


register_scope(
    HIS_SCOPE,
    "HIS 实时审方：提交、修改、撤销处方，查询审核结果，代医生双签",
    (f"{HIS}.submit", f"{HIS}.view", f"{PRESCRIPTION}.double_sign"),
)


def _pending_count(request: Any) -> int:
    from yigongti.centers.prescription_review.selectors import task_list

    return task_list(user=request.user).filter(status__in=["pending", "second_review"]).count()


register_todo(
    Todo(
        "rx.pending_tasks",
        "待审处方",
        GROUP_NAME,
        f"{TASK}.review",
        "/rx/tasks?status=pending",
        _pending_count,
        order=10,
    )
)
