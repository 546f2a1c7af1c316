"""主索引 (PLAT-02): identifiers, registrations, the review queue, manual rules and merges.

Imported by ``registry.models`` so Django registers them under the ``registry`` app. Identifier
values, and the ID number, phone and address an institution submits, are SM4-encrypted with an
HMAC-SM3 blind index; names, sex and birth date are plain like on ``Resident``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from yigongti.core.fields import BlindIndexField, EncryptedTextField
from yigongti.core.masking import mask_address, mask_all_but_last4, mask_id_number, mask_phone
from yigongti.core.models import TimeStampedModel, TrackedModel
from yigongti.core.scope import ScopeSpec
from yigongti.platform.org.choices import Sex
from yigongti.platform.registry.mpi import choices as c


def normalize_identifier(value: str) -> str:
    """Blind-index normaliser for identifiers: no spaces or hyphens, upper case."""
    return value.strip().replace(" ", "").replace("-", "").upper()


def _normalize_id(value: str) -> str:
    return value.strip().upper()


class ResidentIdentifier(TrackedModel):
    """One identifier of a resident: a card number or an institution's patient number."""

    resident = models.ForeignKey(
        "registry.Resident", verbose_name="居民", on_delete=models.CASCADE, related_name="identifiers"
    )
    type = models.CharField("证件类型", max_length=20, choices=c.IdentifierType.choices)
    issuer = models.ForeignKey(
        "org.Institution",
        verbose_name="发放机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="患者ID、病案号、就诊卡号必填；全国性证件为空",
    )
    value = EncryptedTextField("号码", mask=mask_all_but_last4)
    value_bidx = BlindIndexField(
        "号码索引", source="value", purpose="registry.identifier.value", normalizer=normalize_identifier
    )
    registration = models.ForeignKey(
        "registry.PatientRegistration",
        verbose_name="来源登记",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_spec = ScopeSpec(institution="resident__home_institution_id")

    class Meta:
        verbose_name = "居民标识"
        verbose_name_plural = verbose_name
        ordering = ["type", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["type", "issuer", "value_bidx"],
                condition=Q(issuer__isnull=False),
                name="registry_identifier_local_unique",
            ),
            models.UniqueConstraint(
                fields=["type", "value_bidx"], condition=Q(issuer__isnull=True), name="registry_identifier_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {mask_all_but_last4(self.value)}"


class PatientRegistration(TrackedModel):
    """An institution's registration of a patient and what the matcher made of it."""

    institution = models.ForeignKey(
        "org.Institution", verbose_name="登记机构", on_delete=models.PROTECT, related_name="mpi_registrations"
    )
    local_id = models.CharField("院内患者ID", max_length=64, help_text="登记机构的患者ID（HL7 PID-3）")
    source = models.CharField("来源", max_length=10, choices=c.Source.choices, default=c.Source.API)
    external_ref = models.CharField("外部消息号", max_length=100, blank=True, help_text="如 HL7 MSH-10")
    name = models.CharField("姓名", max_length=50)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    id_number = EncryptedTextField("身份证号", blank=True, mask=mask_id_number)
    id_number_bidx = BlindIndexField(
        "身份证号索引", source="id_number", purpose="registry.registration.id_number", normalizer=_normalize_id
    )
    phone = EncryptedTextField("联系电话", blank=True, mask=mask_phone)
    address = EncryptedTextField("住址", blank=True, mask=mask_address)
    division_code = models.CharField("行政区划代码", max_length=12, blank=True)
    identifiers = EncryptedTextField("其他证件", blank=True, help_text="JSON：[{type, value, issuer}]")
    outcome = models.CharField("匹配结果", max_length=20, choices=c.Outcome.choices)
    method = models.CharField("关联方式", max_length=20, choices=c.Method.choices)
    score = models.FloatField("匹配得分", null=True, blank=True)
    probability = models.FloatField("匹配概率", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=c.RegistrationStatus.choices)
    resident = models.ForeignKey(
        "registry.Resident",
        verbose_name="关联居民",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    created_resident = models.BooleanField("新建了居民档案", default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)

    scope_spec = ScopeSpec(institution="institution_id")

    class Meta:
        verbose_name = "患者登记"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["institution", "local_id"], name="registry_reg_local_idx"),
            models.Index(fields=["status", "institution"], name="registry_reg_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.local_id}）"


class MatchCandidate(TimeStampedModel):
    """A resident the matcher proposes for a registration (审核队列 item)."""

    registration = models.ForeignKey(
        PatientRegistration, verbose_name="登记", on_delete=models.CASCADE, related_name="candidates"
    )
    resident = models.ForeignKey(
        "registry.Resident", verbose_name="候选居民", on_delete=models.CASCADE, related_name="+"
    )
    rank = models.PositiveSmallIntegerField("排序", default=1)
    score = models.FloatField("匹配得分")
    probability = models.FloatField("匹配概率")
    details = models.JSONField("逐项比较", default=list)
    status = models.CharField(
        "状态", max_length=10, choices=c.CandidateStatus.choices, default=c.CandidateStatus.PENDING
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)

    scope_spec = ScopeSpec(institution="registration__institution_id")

    class Meta:
        verbose_name = "主索引审核"
        verbose_name_plural = verbose_name
        ordering = ["-registration_id", "rank"]
        indexes = [models.Index(fields=["status", "registration"], name="registry_cand_status_idx")]
        constraints = [models.UniqueConstraint(fields=["registration", "resident"], name="registry_candidate_unique")]

    def __str__(self) -> str:
        return f"{self.registration} → {self.resident_id}"


class ManualLinkRule(TrackedModel):
    """A decision of a registry administrator that always wins over the algorithm: the identifier
    (type, issuer, number) is always — or never — linked to this resident."""

    kind = models.CharField("规则类型", max_length=12, choices=c.RuleKind.choices)
    identifier_type = models.CharField("证件类型", max_length=20, choices=c.IdentifierType.choices)
    issuer = models.ForeignKey(
        "org.Institution", verbose_name="发放机构", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    value_bidx = models.CharField("号码索引", max_length=64, db_index=True)
    value_hint = models.CharField("号码（脱敏）", max_length=40, blank=True)
    resident = models.ForeignKey(
        "registry.Resident", verbose_name="居民", on_delete=models.CASCADE, related_name="link_rules"
    )
    registration = models.ForeignKey(
        PatientRegistration, verbose_name="来源登记", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField("原因", max_length=200, blank=True)
    is_active = models.BooleanField("生效", default=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    scope_spec = ScopeSpec(institution="resident__home_institution_id")

    class Meta:
        verbose_name = "人工关联规则"
        verbose_name_plural = verbose_name
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value_hint} → {self.resident_id}"


class ResidentMerge(TrackedModel):
    """Two files of one person merged: ``merged`` is deactivated, its identifiers and registrations
    moved to ``survivor``. ``snapshot`` lists exactly what moved, so the merge can be reversed."""

    survivor = models.ForeignKey(
        "registry.Resident", verbose_name="保留档案", on_delete=models.PROTECT, related_name="merges_in"
    )
    merged = models.ForeignKey(
        "registry.Resident", verbose_name="被合并档案", on_delete=models.PROTECT, related_name="merges_out"
    )
    snapshot = models.JSONField("迁移内容", default=dict)
    reason = models.CharField("原因", max_length=200, blank=True)
    reversed_at = models.DateTimeField("撤销时间", null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤销人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_spec = ScopeSpec(institution="survivor__home_institution_id")

    class Meta:
        verbose_name = "档案合并"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["merged"], condition=Q(reversed_at__isnull=True), name="registry_merge_active_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.survivor_id}"
