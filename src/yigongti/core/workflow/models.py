"""The mechanism's own rows: the timeline of every transition, approval settings per institution,
and pending timers. Business models stay in the centers; these point at them generically."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from yigongti.core.models import TrackedModel
from yigongti.core.scope import ScopeSpec
from yigongti.core.workflow.registry import get_workflow


class TimelineEntry(models.Model):
    """One row per transition (流转记录): who, when, from, to, comment, attachments, data."""

    content_type = models.ForeignKey(ContentType, verbose_name="记录类型", on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField("记录ID", max_length=64)
    workflow = models.CharField("流程", max_length=50)
    transition = models.CharField("操作", max_length=50)
    transition_label = models.CharField("操作名称", max_length=50)
    from_state = models.CharField("原状态", max_length=32)
    to_state = models.CharField("新状态", max_length=32)
    actor_id = models.BigIntegerField("操作人ID", null=True, blank=True, help_text="为空表示系统自动执行")
    actor_name = models.CharField("操作人", max_length=150)
    actor_institution_id = models.BigIntegerField("操作人机构ID", null=True, blank=True)
    actor_institution_name = models.CharField("操作人机构", max_length=200, blank=True)
    at = models.DateTimeField("时间")
    comment = models.TextField("意见", blank=True)
    attachments = models.JSONField("附件", default=list, blank=True)
    data = models.JSONField("数据", default=dict, blank=True)

    # Read through the record it belongs to (the center's access rules), never listed on its own.
    scope_spec = ScopeSpec()

    class Meta:
        verbose_name = "流转记录"
        verbose_name_plural = verbose_name
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="wf_timeline_object")]

    def __str__(self) -> str:
        return f"{self.workflow}#{self.object_id} {self.transition_label} {self.from_state}→{self.to_state}"

    @property
    def from_state_label(self) -> str:
        flow = get_workflow(self.workflow)
        return flow.state_label(self.from_state) if flow and self.from_state else self.from_state

    @property
    def to_state_label(self) -> str:
        flow = get_workflow(self.workflow)
        return flow.state_label(self.to_state) if flow else self.to_state

    @property
    def is_system(self) -> bool:
        return self.actor_id is None


class ApprovalSetting(TrackedModel):
    """Per institution: whether an approval step is required (免审), who approves, auto-approve."""

    workflow = models.CharField("流程", max_length=50)
    step = models.CharField("审批环节", max_length=50)
    institution = models.ForeignKey("org.Institution", verbose_name="机构", on_delete=models.CASCADE, related_name="+")
    enabled = models.BooleanField("需要审核", default=True, help_text="关闭即免审：提交后自动通过该环节")
    approver_role = models.ForeignKey(
        "accounts.Role",
        verbose_name="审批角色",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="为空表示拥有该操作权限的人员均可审批",
    )
    auto_approve = models.BooleanField("自动通过", default=False, help_text="保留审核环节，但由系统自动通过")
    remark = models.CharField("备注", max_length=200, blank=True)

    scope_spec = ScopeSpec(institution="institution_id")

    class Meta:
        verbose_name = "审批设置"
        verbose_name_plural = verbose_name
        ordering = ["workflow", "step", "institution_id"]
        constraints = [
            models.UniqueConstraint(fields=["workflow", "step", "institution"], name="wf_approval_setting_unique")
        ]

    def __str__(self) -> str:
        return f"{self.workflow_label}·{self.step_label}"

    @property
    def workflow_label(self) -> str:
        flow = get_workflow(self.workflow)
        return flow.label or flow.code if flow else self.workflow

    @property
    def step_label(self) -> str:
        flow = get_workflow(self.workflow)
        step = flow._steps.get(self.step) if flow else None
        return step.label if step else self.step

    @property
    def approver_role_name(self) -> str | None:
        return str(self.approver_role) if self.approver_role_id is not None else None

    def clean(self) -> None:
        flow = get_workflow(self.workflow)
        if flow is None:
            raise ValidationError({"workflow": f"流程「{self.workflow}」不存在。"})
        if self.step not in flow._steps:
            raise ValidationError({"step": f"流程「{flow.label or flow.code}」没有审批环节「{self.step}」。"})
        if self.approver_role_id is not None and self.institution_id is not None:
            role_institution = getattr(self.approver_role, "institution_id", None)
            if role_institution not in (None, self.institution_id):
                raise ValidationError({"approver_role": "审批角色须为平台通用角色或本机构的角色。"})


class WorkflowTimer(models.Model):
    """A transition to fire when an object has stayed in a state until ``due_at``."""

    content_type = models.ForeignKey(ContentType, verbose_name="记录类型", on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField("记录ID", max_length=64)
    workflow = models.CharField("流程", max_length=50)
    state = models.CharField("所在状态", max_length=32)
    transition = models.CharField("到期操作", max_length=50)
    due_at = models.DateTimeField("到期时间")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    fired_at = models.DateTimeField("执行时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近错误", blank=True)

    scope_spec = ScopeSpec()  # system rows: visible only with the 全部 scope

    class Meta:
        verbose_name = "流程定时器"
        verbose_name_plural = verbose_name
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(
                fields=["due_at"],
                name="wf_timer_open_due",
                condition=models.Q(fired_at__isnull=True, cancelled_at__isnull=True),
            ),
            models.Index(fields=["content_type", "object_id"], name="wf_timer_object"),
        ]

    def __str__(self) -> str:
        return f"{self.workflow}#{self.object_id} {self.transition} @ {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.fired_at is None and self.cancelled_at is None
