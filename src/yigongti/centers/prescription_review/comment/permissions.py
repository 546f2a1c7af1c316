"""Menus and action codes of 处方点评与监管, role grants, the HIS upload scope and the workbench to-dos."""

from __future__ import annotations

from typing import Any

from yigongti.core.catalog import CRUD_ACTIONS, MenuEntry, register
from yigongti.core.todos import Todo, register_todo
from yigongti.platform.accounts.builtin_roles import exact, grant, prefixed
from yigongti.platform.integration.scopes import register_scope

GROUP, GROUP_NAME = "rx_comment", "处方点评与监管"
VISIT = "rx.comment.visit"
POLICY = "rx.comment.policy"
TEMPLATE = "rx.comment.template"
GROUP_CODE = "rx.comment.group"
PROJECT = "rx.comment.project"
TASK = "rx.comment.task"
SAMPLE = "rx.comment.sample"
REASON = "rx.comment.reason"
REPLY = "rx.comment.reply_template"
APPEAL = "rx.comment.appeal"
STATISTICS = "rx.comment.statistics"
SUPERVISION = "rx.supervision.dashboard"
UPLOAD_SCOPE = "rx.comment.upload"
READ = (("view", "查看"), ("export", "导出"))

register(
    MenuEntry(VISIT, "点评数据上报", GROUP, GROUP_NAME, path="/rx-comment/visits", order=10,
              actions=(*READ, ("upload", "上报"), ("import", "批量导入")))
)  # fmt: skip
register(MenuEntry(PROJECT, "点评项目", GROUP, GROUP_NAME, path="/rx-comment/projects", order=20))
register(
    MenuEntry(TASK, "点评任务", GROUP, GROUP_NAME, path="/rx-comment/tasks", order=30,
              actions=(*CRUD_ACTIONS, ("start", "开始点评"), ("finish", "完成任务")))
)  # fmt: skip
register(MenuEntry(TEMPLATE, "点评条件模板", GROUP, GROUP_NAME, path="/rx-comment/templates", order=40))
register(MenuEntry(GROUP_CODE, "药师任务组", GROUP, GROUP_NAME, path="/rx-comment/groups", order=50))
register(
    MenuEntry(SAMPLE, "药师点评", GROUP, GROUP_NAME, path="/rx-comment/samples", order=60,
              actions=(*READ, ("judge", "点评")))
)  # fmt: skip
register(MenuEntry(REASON, "不合理理由模板", GROUP, GROUP_NAME, path="/rx-comment/reasons", order=70))
register(
    MenuEntry(APPEAL, "点评申诉", GROUP, GROUP_NAME, path="/rx-comment/appeals", order=80,
              actions=(*READ, ("submit", "提出申诉"), ("reply", "处理申诉")))
)  # fmt: skip
register(MenuEntry(REPLY, "申诉回复模板", GROUP, GROUP_NAME, path="/rx-comment/reply-templates", order=90))
register(MenuEntry(POLICY, "点评抽样标准", GROUP, GROUP_NAME, path="/rx-comment/policies", order=95))
register(
    MenuEntry(STATISTICS, "点评统计报表", GROUP, GROUP_NAME, path="/rx-comment/statistics", order=100, actions=READ)
)
register(MenuEntry(SUPERVISION, "前置审方成效监管", GROUP, GROUP_NAME, path="/rx-supervision", order=110, actions=READ))

grant(
    "pharmacist",
    prefixed("rx.comment.", exclude=(f"{POLICY}.change", f"{POLICY}.add", f"{POLICY}.delete", f"{APPEAL}.submit",
                                       f"{REPLY}.add", f"{REPLY}.change", f"{REPLY}.delete", f"{REPLY}.import")),
    prefixed("rx.supervision.", actions=("view",)),
)  # fmt: skip
grant(
    "doctor",
    exact(f"{SAMPLE}.view", f"{APPEAL}.view", f"{APPEAL}.submit", f"{REASON}.view"),
    prefixed(f"{REPLY}.", exclude=(f"{REPLY}.import",)),
)
grant(
    "institution_admin",
    prefixed("rx.comment.", actions=("view", "export")),
    prefixed(f"{POLICY}.", "rx.supervision."),
)
grant("community_admin", prefixed("rx.comment.", actions=("view", "export")), prefixed(f"{POLICY}.", "rx.supervision."))
grant("supervisor", prefixed("rx.comment.", "rx.supervision.", actions=("view", "export")))


register_scope(UPLOAD_SCOPE, "上报已完成就诊数据（处方点评）", (f"{VISIT}.upload", f"{VISIT}.view"))


def _pending_samples(request: Any) -> int:
    from yigongti.centers.prescription_review.comment.selectors import my_pending_samples

    return my_pending_samples(user=request.user).count()


def _open_appeals(request: Any) -> int:
    from yigongti.centers.prescription_review.comment.selectors import open_appeals

    return open_appeals(user=request.user).count()


register_todo(
    Todo("rx_comment.pending_samples", "待点评处方", GROUP_NAME, f"{SAMPLE}.judge", "/rx-comment/samples?mine=1&status=pending",
         _pending_samples, order=10)
)  # fmt: skip
register_todo(
    Todo("rx_comment.open_appeals", "待处理申诉", GROUP_NAME, f"{APPEAL}.reply", "/rx-comment/appeals?status=submitted",
         _open_appeals, order=20)
)  # fmt: skip
