"""居民健康档案主索引 (PLAT-02): residents and the chronic-disease reference list.

The ID number, phone and address are stored SM4-encrypted; exact search goes through the
HMAC-SM3 blind indexes (SEC-02). ``BlindIndexField.pre_save`` runs in ``bulk_create`` too.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

from yigongti.core.fields import BlindIndexField, EncryptedTextField
from yigongti.core.masking import mask_address, mask_id_number, mask_phone
from yigongti.core.models import TrackedModel
from yigongti.core.scope import ScopeSpec
from yigongti.platform.org.choices import Sex
from yigongti.platform.registry.choices import MaritalStatus
from yigongti.platform.registry.mpi.fields import MatchKeyField
from yigongti.platform.registry.validators import validate_ethnicity, validate_township_division


def normalize_id_for_index(value: str) -> str:
    """Blind-index normaliser for ID numbers: trimmed, check digit ``x`` upper-cased."""
    return value.strip().upper()


def normalize_phone_for_index(value: str) -> str:
    """Blind-index normaliser for phone numbers: spaces and hyphens dropped."""
    return value.strip().replace(" ", "").replace("-", "")


class ChronicDisease(TrackedModel):
    """慢性病种 (国家基本公共卫生服务规范 + ICD-10 范围)."""

    code = models.CharField("病种编码", max_length=32, unique=True)
    name = models.CharField("病种名称", max_length=50)
    icd10 = models.CharField("ICD-10", max_length=50, blank=True)
    sort = models.PositiveIntegerField("排序", default=0)
    source = models.CharField("依据", max_length=200, blank=True)

    scope_spec = ScopeSpec(shared="*")

    class Meta:
        verbose_name = "慢性病种"
        verbose_name_plural = verbose_name
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.name


class Resident(TrackedModel):
    """居民 (健康档案主索引)."""

    # Blank only for files the master patient index creates for a patient without an ID number
    # (newborns, an elderly patient without the card); the resident API always requires it.
    id_number = EncryptedTextField("身份证号", blank=True, mask=mask_id_number)
    id_number_bidx = BlindIndexField(
        "身份证号索引", source="id_number", purpose="registry.resident.id_number", normalizer=normalize_id_for_index
    )
    name = models.CharField("姓名", max_length=50)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("出生日期")
    ethnicity = models.CharField(
        "民族", max_length=2, blank=True, validators=[validate_ethnicity], help_text="GB/T 3304 民族代码"
    )
    marital_status = models.CharField(
        "婚姻状况", max_length=2, blank=True, choices=MaritalStatus.choices, help_text="GB/T 2261.2 婚姻状况代码"
    )
    phone = EncryptedTextField("联系电话", blank=True, mask=mask_phone)
    phone_bidx = BlindIndexField(
        "联系电话索引", source="phone", purpose="registry.resident.phone", normalizer=normalize_phone_for_index
    )
    address = EncryptedTextField("现住址", blank=True, mask=mask_address)
    division_code = models.CharField(
        "行政区划代码",
        max_length=12,
        blank=True,
        validators=[validate_township_division],
        help_text="乡镇（街道）级行政区划代码",
    )
    home_institution = models.ForeignKey(
        "org.Institution", verbose_name="建档机构", on_delete=models.PROTECT, related_name="residents"
    )
    family_doctor_team = models.ForeignKey(
        "org.FamilyDoctorTeam",
        verbose_name="家庭医生团队",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
    )
    chronic_diseases = models.ManyToManyField(
        ChronicDisease, verbose_name="慢性病", blank=True, related_name="residents"
    )
    is_active = models.BooleanField("有效", default=True)
    # Blocking keys of the master patient index (docs/services/mpi.md), recomputed on every save.
    mpi_name_key = MatchKeyField("姓名拼音键", kind="name")
    mpi_initials_key = MatchKeyField("拼音首字母键", kind="initials")

    scope_spec = ScopeSpec(institution="home_institution_id")

    class Meta:
        verbose_name = "居民档案"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["home_institution", "name"], name="registry_res_inst_name_idx"),
            models.Index(fields=["birth_date"], name="registry_res_birth_idx"),
            models.Index(fields=["mpi_name_key", "birth_date"], name="registry_res_namekey_idx"),
            models.Index(fields=["mpi_initials_key", "birth_date"], name="registry_res_initials_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_bidx"], condition=~Q(id_number_bidx=""), name="registry_resident_id_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def age_on(self, day: datetime.date | None = None) -> int | None:
        if self.birth_date is None:
            return None
        day = day or timezone.localdate()
        return day.year - self.birth_date.year - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    @property
    def age(self) -> int | None:
        return self.age_on()


# The master patient index models live in their own module; importing them here registers them.
from yigongti.platform.registry.mpi.models import (  # noqa: E402
    ManualLinkRule,
    MatchCandidate,
    PatientRegistration,
    ResidentIdentifier,
    ResidentMerge,
)

__all__ = [
    "ChronicDisease",
    "ManualLinkRule",
    "MatchCandidate",
    "PatientRegistration",
    "Resident",
    "ResidentIdentifier",
    "ResidentMerge",
    "normalize_id_for_index",
    "normalize_phone_for_index",
]
