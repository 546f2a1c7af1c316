"""Choices of the prescription-review center (审方中心): prescription states, verdicts, task states."""

from __future__ import annotations

from django.db import models


class RxStatus(models.TextChoices):
    """The state of a prescription as the HIS sees it (the latest version decides)."""

    PASSED = "passed", "审核通过"
    PENDING_REVIEW = "pending_review", "待药师审核"
    INTERCEPTED = "intercepted", "系统拦截"
    REJECTED = "rejected", "药师驳回"
    REJECTED_DOUBLE_SIGN = "rejected_double_sign", "驳回（可双签）"
    DOUBLE_SIGNED = "double_signed", "医生双签通过"
    AUTO_PASSED = "auto_passed", "超时自动通过"
    CANCELLED = "cancelled", "已撤销"
    SUPERSEDED = "superseded", "已被新版本替代"


# The states in which the HIS may charge and dispense (处方审核规范 2018 第二条：审核通过方可收费调配).
DISPENSABLE = frozenset({RxStatus.PASSED, RxStatus.DOUBLE_SIGNED, RxStatus.AUTO_PASSED})
# The states that wait for someone (pharmacist or doctor); cancellation is allowed from every non-final state.
OPEN = frozenset({RxStatus.PENDING_REVIEW, RxStatus.REJECTED_DOUBLE_SIGN})


class Verdict(models.TextChoices):
    """The synchronous answer to the HIS (``verdict`` of the submission response)."""

    PASS = "pass", "通过"
    INFORM = "inform", "通过（提示医生）"
    REVIEW = "review", "转药师审核"
    INTERCEPT = "intercept", "拦截"
    DOUBLE_SIGN = "double_sign", "医生双签后可通过"


class TaskStatus(models.TextChoices):
    PENDING = "pending", "待审"
    SECOND_REVIEW = "second_review", "待二级审核"
    PASSED = "passed", "审核通过"
    REJECTED = "rejected", "已驳回"
    REJECTED_DOUBLE_SIGN = "rejected_double_sign", "驳回（可双签）"
    DOUBLE_SIGNED = "double_signed", "医生已双签"
    AUTO_PASSED = "auto_passed", "超时自动通过"
    CANCELLED = "cancelled", "已撤销"
    SUPERSEDED = "superseded", "医生已修改重提"


WAITING_TASK = (TaskStatus.PENDING, TaskStatus.SECOND_REVIEW)

# task state → prescription state when the task reaches it
TASK_TO_RX: dict[str, str] = {
    TaskStatus.PENDING: RxStatus.PENDING_REVIEW,
    TaskStatus.SECOND_REVIEW: RxStatus.PENDING_REVIEW,
    TaskStatus.PASSED: RxStatus.PASSED,
    TaskStatus.REJECTED: RxStatus.REJECTED,
    TaskStatus.REJECTED_DOUBLE_SIGN: RxStatus.REJECTED_DOUBLE_SIGN,
    TaskStatus.DOUBLE_SIGNED: RxStatus.DOUBLE_SIGNED,
    TaskStatus.AUTO_PASSED: RxStatus.AUTO_PASSED,
    TaskStatus.CANCELLED: RxStatus.CANCELLED,
    TaskStatus.SUPERSEDED: RxStatus.SUPERSEDED,
}


class Severity(models.TextChoices):
    """The default ordered severity scale of the engine (禁忌 > 不推荐 > 慎用 > 提示); ``none`` = no finding.

    The engine owns the scale (per-institution configurable); this copy only labels stored values.
    """

    CONTRAINDICATED = "contraindicated", "禁忌"
    NOT_RECOMMENDED = "not_recommended", "不推荐"
    CAUTION = "caution", "慎用"
    INFO = "info", "提示"
    NONE = "none", "无问题"


SEVERITY_RANK: dict[str, int] = {"none": 0, "info": 1, "caution": 2, "not_recommended": 3, "contraindicated": 4}


class QuickReplyKind(models.TextChoices):
    REJECT = "reject", "驳回理由"
    DOUBLE_SIGN = "double_sign", "双签理由"
    PASS = "pass", "通过意见"


class CheckSource(models.TextChoices):
    HIS = "his", "HIS 实时提交"
    CONSOLE = "console", "控制台"
    DEMO = "demo", "演示数据"
