"""公告 and their read receipts."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from yigongti.core.models import TrackedModel
from yigongti.core.scope import ScopeSpec


class Announcement(TrackedModel):
    """A notice to a chosen audience: everyone, or users, roles and institutions (any mix).

    ``reach_*`` is the publisher's data scope at the time of saving: a publisher of one institution
    who addresses a role reaches the holders of that role in their own institutions only.
    """

    title = models.CharField("主题", max_length=200)
    content = models.TextField("内容", help_text="富文本，保存时过滤为安全的 HTML 子集")
    audience_all = models.BooleanField("全体用户", default=False)
    audience_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="收件人", blank=True, related_name="+"
    )
    audience_roles = models.ManyToManyField("accounts.Role", verbose_name="收件角色", blank=True, related_name="+")
    audience_institutions = models.ManyToManyField(
        "org.Institution", verbose_name="收件机构", blank=True, related_name="+"
    )
    reach_all = models.BooleanField("发布范围为全部", default=False, editable=False)
    reach_institutions = models.ManyToManyField(
        "org.Institution", verbose_name="发布范围", blank=True, related_name="+", editable=False
    )
    institution = models.ForeignKey(
        "org.Institution", verbose_name="发布机构", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    publish_at = models.DateTimeField("发布时间", db_index=True)
    expires_at = models.DateTimeField("失效时间", null=True, blank=True)
    attachment_ids = models.JSONField("附件", default=list, blank=True, help_text="附件编号列表（附件服务）")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    notified_at = models.DateTimeField("已通知时间", null=True, blank=True, editable=False)

    scope_spec = ScopeSpec(institution="institution_id", owner="published_by_id")

    class Meta:
        verbose_name = "公告"
        verbose_name_plural = verbose_name
        ordering = ["-publish_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.expires_at is not None and self.publish_at is not None and self.expires_at <= self.publish_at:
            raise ValidationError({"expires_at": "失效时间必须晚于发布时间。"})
        ids = self.attachment_ids
        if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
            raise ValidationError({"attachment_ids": "附件应为附件编号列表。"})


class AnnouncementRead(models.Model):
    announcement = models.ForeignKey(Announcement, verbose_name="公告", on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField("阅读时间", auto_now_add=True)

    scope_spec = ScopeSpec(institution="announcement__institution_id", owner="user_id")

    class Meta:
        verbose_name = "公告阅读记录"
        verbose_name_plural = verbose_name
        ordering = ["-read_at"]
        constraints = [models.UniqueConstraint(fields=["announcement", "user"], name="notify_announcement_read_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} 已读 {self.announcement_id}"
