"""Comment projects, tasks, condition templates, pharmacist groups, sampling policy (guide §3.6.4.3)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from yigongti.centers.prescription_review.comment import standards
from yigongti.centers.prescription_review.comment.choices import SampleMode, TaskStatus
from yigongti.core.models import TrackedModel
from yigongti.core.scope import ScopeSpec


class SamplingPolicy(TrackedModel):
    """Per-institution minimum sample of 《医院处方点评管理规范（试行）》第十二条; without a row the
    defaults in ``standards`` apply (门急诊 ≥1‰ and ≥100 张/月, 住院 ≥1% and ≥30 份/月)."""

    institution = models.OneToOneField(
        "org.Institution", verbose_name="机构", on_delete=models.CASCADE, related_name="rx_sampling_policy"
    )
    outpatient_min_rate = models.DecimalField(
        "门急诊最低抽样率",
        max_digits=6,
        decimal_places=5,
        default=standards.DEFAULT_MIN_RATE_OUTPATIENT,
        validators=[MinValueValidator(standards.DEFAULT_MIN_RATE_OUTPATIENT), MaxValueValidator(Decimal(1))],
    )
    outpatient_min_monthly = models.PositiveIntegerField(
        "门急诊每月最少张数",
        default=standards.DEFAULT_MIN_MONTHLY_OUTPATIENT,
        validators=[MinValueValidator(standards.DEFAULT_MIN_MONTHLY_OUTPATIENT)],
    )
    inpatient_min_rate = models.DecimalField(
        "住院最低抽样率",
        max_digits=6,
        decimal_places=5,
        default=standards.DEFAULT_MIN_RATE_INPATIENT,
        validators=[MinValueValidator(standards.DEFAULT_MIN_RATE_INPATIENT), MaxValueValidator(Decimal(1))],
    )
    inpatient_min_monthly = models.PositiveIntegerField(
        "住院每月最少份数",
        default=standards.DEFAULT_MIN_MONTHLY_INPATIENT,
        validators=[MinValueValidator(standards.DEFAULT_MIN_MONTHLY_INPATIENT)],
    )
    source = models.CharField("依据", max_length=300, default=standards.SAMPLING_SOURCE[:300])

    scope_spec = ScopeSpec(institution="institution_id")

    class Meta:
        verbose_name = "点评抽样标准"
        verbose_name_plural = verbose_name
        ordering = ["institution_id"]

    def __str__(self) -> str:
        return f"{self.institution_id} 抽样标准"


class ConditionTemplate(TrackedModel):
    """点评条件模板: period length, institutions, departments, doctors, drug classes, visit types."""

    institution = models.ForeignKey(
        "org.Institution", verbose_name="所属机构", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("模板名称", max_length=100)
    conditions = models.JSONField("点评条件", default=dict, blank=True)
    remark = models.CharField("说明", max_length=200, blank=True)

    scope_spec = ScopeSpec(institution="institution_id")

    class Meta:
        verbose_name = "点评条件模板"
        verbose_name_plural = verbose_name
        ordering = ["institution_id", "name"]
        constraints = [models.UniqueConstraint(fields=["institution", "name"], name="rx_comment_cond_tpl_unique")]

    def __str__(self) -> str:
        return self.name


class PharmacistGroup(TrackedModel):
    """药师任务组: the pharmacists a task's sample is allocated to (round robin)."""

    institution = models.ForeignKey(
        "org.Institution", verbose_name="所属机构", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("组名", max_length=100)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="药师", related_name="rx_comment_groups")

    scope_spec = ScopeSpec(institution="institution_id")

    class Meta:
        verbose_name = "药师任务组"
        verbose_name_plural = verbose_name
        ordering = ["institution_id", "name"]
        constraints = [models.UniqueConstraint(fields=["institution", "name"], name="rx_comment_group_unique")]

    def __str__(self) -> str:
        return self.name


class CommentProject(TrackedModel):
    """点评项目: a set of tasks; editable and deletable only while none of its tasks has started."""

    institution = models.ForeignKey(
        "org.Institution", verbose_name="所属机构", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("项目名称", max_length=100)
    period_start = models.DateField("点评周期开始")
    period_end = models.DateField("点评周期结束")
    description = models.TextField("说明", blank=True)

    scope_spec = ScopeSpec(institution="institution_id")

    class Meta:
        verbose_name = "点评项目"
        verbose_name_plural = verbose_name
        ordering = ["-period_start", "-id"]

    def __str__(self) -> str:
        return self.name


class CommentTask(TrackedModel):
    """点评任务: conditions + sampling + group; ``draft`` until started, then locked."""

    project = models.ForeignKey(CommentProject, verbose_name="点评项目", on_delete=models.PROTECT, related_name="tasks")
    institution = models.ForeignKey(
        "org.Institution", verbose_name="所属机构", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("任务名称", max_length=100)
    template = models.ForeignKey(
        ConditionTemplate, verbose_name="引用模板", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    conditions = models.JSONField("点评条件", default=dict, blank=True)
    period_start = models.DateField("处方开具起")
    period_end = models.DateField("处方开具止")
    sample_mode = models.CharField("抽样方式", max_length=10, choices=SampleMode.choices, default=SampleMode.STANDARD)
    sample_size = models.PositiveIntegerField("抽样张数", null=True, blank=True)
    sample_rate = models.DecimalField(
        "抽样比例",
        max_digits=6,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.00001")), MaxValueValidator(Decimal(1))],
    )
    seed = models.BigIntegerField("随机种子", null=True, blank=True)
    group = models.ForeignKey(
        PharmacistGroup, verbose_name="药师任务组", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "状态", max_length=10, choices=TaskStatus.choices, default=TaskStatus.DRAFT, editable=False
    )
    population_count = models.PositiveIntegerField("符合条件处方数", default=0, editable=False)
    sample_count = models.PositiveIntegerField("抽样处方数", default=0, editable=False)
    started_at = models.DateTimeField("开始时间", null=True, blank=True, editable=False)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True, editable=False)

    scope_spec = ScopeSpec(institution="institution_id")

    class Meta:
        verbose_name = "点评任务"
        verbose_name_plural = verbose_name
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.name
