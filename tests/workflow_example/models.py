from __future__ import annotations

from django.conf import settings
from django.db import models

from tests.workflow_example.flows import LeaveFlow
from yigongti.core.models import TrackedModel
from yigongti.core.scope import ScopeSpec


class LeaveRequest(TrackedModel):
    institution = models.ForeignKey("org.Institution", verbose_name="机构", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("事由", max_length=100)
    days = models.PositiveIntegerField("天数", default=1)
    status = models.CharField("状态", max_length=20, choices=LeaveFlow.state_choices(), default="draft")
    start_at = models.DateTimeField("开始时间", null=True, blank=True)
    handover_to = models.CharField("工作交接人", max_length=50, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    arranged_at = models.DateTimeField("安排时间", null=True, blank=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    scope_spec = ScopeSpec(institution="institution_id", owner="owner_id")

    class Meta:
        verbose_name = "请假申请"
        verbose_name_plural = verbose_name
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title
