from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rest_framework import serializers

from yigongti.core.api.serializers import ScopedRelatedField
from yigongti.core.masking import mask_address, mask_id_number, mask_phone
from yigongti.platform.org.models import FamilyDoctorTeam, Institution
from yigongti.platform.registry import models


class MaskedCharField(serializers.CharField):
    """Accepts the full value on input, always answers with the masked form (SEC-02)."""

    def __init__(self, *, mask: Callable[[str | None], str | None], **kwargs: Any) -> None:
        self.mask = mask
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        if not value:
            return ""
        return self.mask(str(value)) or ""


class ChronicDiseaseSerializer(serializers.ModelSerializer[models.ChronicDisease]):
    class Meta:
        model = models.ChronicDisease
        fields = ["id", "code", "name", "icd10", "sort", "source"]


class ResidentSerializer(serializers.ModelSerializer[models.Resident]):
    """Input is validated and normalised by ``services.resident_create/resident_update``."""

    id_number = MaskedCharField(label="身份证号", mask=mask_id_number, max_length=18)
    phone = MaskedCharField(label="联系电话", mask=mask_phone, max_length=20, required=False, allow_blank=True)
    address = MaskedCharField(label="现住址", mask=mask_address, max_length=200, required=False, allow_blank=True)
    age = serializers.IntegerField(label="年龄", read_only=True)
    sex_display = serializers.CharField(source="get_sex_display", label="性别名称", read_only=True)
    marital_status_display = serializers.CharField(
        source="get_marital_status_display", label="婚姻状况名称", read_only=True
    )
    home_institution = ScopedRelatedField(label="建档机构", queryset=Institution.objects.all())
    home_institution_name = serializers.CharField(source="home_institution.name", label="建档机构名称", read_only=True)
    family_doctor_team = ScopedRelatedField(
        label="家庭医生团队", queryset=FamilyDoctorTeam.objects.all(), required=False, allow_null=True
    )
    # A method, not ``CharField(source=..., default="")``: DRF drops defaults from PATCH answers.
    family_doctor_team_name = serializers.SerializerMethodField(label="家庭医生团队名称")
    chronic_diseases = ScopedRelatedField(
        label="慢性病", queryset=models.ChronicDisease.objects.all(), many=True, required=False
    )
    chronic_disease_names = serializers.SerializerMethodField(label="慢性病名称")

    class Meta:
        model = models.Resident
        fields = [
            "id", "id_number", "name", "sex", "sex_display", "birth_date", "age", "ethnicity", "marital_status",
            "marital_status_display", "phone", "address", "division_code", "home_institution", "home_institution_name",
            "family_doctor_team", "family_doctor_team_name", "chronic_diseases", "chronic_disease_names", "is_active",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"sex": {"required": False}, "birth_date": {"required": False}}

    def get_family_doctor_team_name(self, obj: models.Resident) -> str:
        return obj.family_doctor_team.name if obj.family_doctor_team is not None else ""

    def get_chronic_disease_names(self, obj: models.Resident) -> list[str]:
        return [d.name for d in obj.chronic_diseases.all()]


class ResidentBriefSerializer(serializers.Serializer[models.Resident]):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    sex = serializers.CharField(read_only=True)
    age = serializers.IntegerField(read_only=True)
    id_number = MaskedCharField(mask=mask_id_number, read_only=True)


class RevealSerializer(serializers.Serializer[Any]):
    id_number = serializers.CharField(label="身份证号")
    phone = serializers.CharField(label="联系电话")
    address = serializers.CharField(label="现住址")
