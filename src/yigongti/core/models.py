"""Abstract base models shared by every app (no concrete business models live in core)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        abstract = True


class TrackedModel(TimeStampedModel):
    """Remembers who created and last changed the row (set by the generic services)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True


class WorkerHeartbeat(models.Model):
    """Last sign of life of each background worker (read by ``GET /api/v1/health``)."""

    name = models.CharField(max_length=100, primary_key=True)
    last_seen = models.DateTimeField()

    class Meta:
        verbose_name = "后台任务心跳"

    def __str__(self) -> str:
        return f"{self.name} {self.last_seen:%H:%M:%S}"
