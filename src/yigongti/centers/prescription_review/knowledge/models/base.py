"""The knowledge version and the abstract base every fact row shares."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from yigongti.centers.prescription_review.knowledge.choices import VersionStatus
from yigongti.core.scope import ScopeSpec

# The knowledge base is one per deployment (the county's 审方中心 maintains it for every member
# institution): every row is readable by everyone holding the view code; writes are governed by the
# rx.knowledge.* codes and by the version being a draft (see api/views.py).
SHARED = ScopeSpec(shared="*")


class KnowledgeVersion(models.Model):
    number = models.PositiveIntegerField("版本号", unique=True)
    name = models.CharField("版本名称", max_length=100, blank=True)
    status = models.CharField("状态", max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    effective_date = models.DateField("生效日期", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    based_on = models.ForeignKey(
        "self", verbose_name="复制自", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    synthetic = models.BooleanField("合成数据（仅用于性能测试）", default=False)
    notes = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    scope_spec = SHARED

    class Meta:
        verbose_name = "知识库版本"
        verbose_name_plural = verbose_name
        ordering = ["-number"]
        indexes = [models.Index(fields=["status", "effective_date"], name="rxk_version_current")]

    def __str__(self) -> str:
        return f"V{self.number} {self.name}".strip()

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    def is_current_on(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.status == VersionStatus.PUBLISHED and self.effective_date is not None and self.effective_date <= day


class Fact(models.Model):
    """A row of the knowledge base: belongs to one version and cites its source."""

    version = models.ForeignKey(KnowledgeVersion, verbose_name="版本", on_delete=models.CASCADE, related_name="+")
    source = models.CharField("来源", max_length=300, help_text="说明书章节、《中国国家处方集》、指导原则等")

    scope_spec = SHARED
    # fields naming the row inside its version (diff and clone match rows by them)
    natural_key: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        version = getattr(self, "version", None) if self.version_id else None
        if version is not None and not version.is_draft:
            raise ValidationError({"version": "已发布的版本不能修改，请先复制为草稿版本再编辑。"})
        if not (self.source or "").strip():
            raise ValidationError({"source": "每条知识都必须注明来源。"})
        for f in self._meta.concrete_fields:
            if isinstance(f, models.JSONField):
                value = getattr(self, f.attname)
                if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                    raise ValidationError({f.name: '应为编码列表（如 ["po", "iv"]）。'})


class DrugFact(Fact):
    """A fact about one drug of the same version."""

    drug = models.ForeignKey("rx_knowledge.Drug", verbose_name="药品", on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.drug_id and self.version_id and self.drug.version_id != self.version_id:
            raise ValidationError({"drug": "药品不属于该版本。"})


def fact_models() -> list[type[Fact]]:
    """Every concrete fact model, drugs first (clone and diff order)."""
    from django.apps import apps

    found: list[Any] = [m for m in apps.get_app_config("rx_knowledge").get_models() if issubclass(m, Fact)]
    found.sort(key=lambda m: (0 if m.__name__ == "Drug" else 1, m.__name__))
    return found
