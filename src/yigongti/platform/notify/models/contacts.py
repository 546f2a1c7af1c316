"""通讯录: personal contact groups over the organisation's staff (the staff list itself is org.Staff)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yigongti.core.models import TimeStampedModel
from yigongti.core.scope import ScopeSpec


class ContactGroup(TimeStampedModel):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="所有人", on_delete=models.CASCADE, related_name="contact_groups"
    )
    name = models.CharField("分组名称", max_length=50)
    description = models.CharField("说明", max_length=200, blank=True)
    sort = models.PositiveIntegerField("排序", default=0)
    members = models.ManyToManyField("org.Staff", verbose_name="联系人", blank=True, related_name="+")

    scope_spec = ScopeSpec(owner="owner_id")

    class Meta:
        verbose_name = "通讯录分组"
        verbose_name_plural = verbose_name
        ordering = ["sort", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name"], name="notify_contact_group_unique", violation_error_message="分组名称已存在。"
            )
        ]

    def __str__(self) -> str:
        return self.name
