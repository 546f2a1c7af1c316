"""Serializers of the master patient index API: sensitive values always masked (SEC-02)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from yigongti.core.masking import mask_address, mask_all_but_last4, mask_id_number, mask_phone
from yigongti.platform.org.choices import Sex
from yigongti.platform.org.models import Institution
from yigongti.platform.registry import models
from yigongti.platform.registry.api.serializers import MaskedCharField
from yigongti.platform.registry.mpi import choices as c


class IdentifierInputSerializer(serializers.Serializer[Any]):
    type = serializers.ChoiceField(label="证件类型", choices=c.IdentifierType.choices)
    value = serializers.CharField(label="号码", max_length=64)
    issuer = serializers.PrimaryKeyRelatedField(
        label="发放机构",
        queryset=Institution.objects.all(),
        required=False,
        allow_null=True,
        help_text="患者ID、病案号、就诊卡号的发放机构，默认为登记机构",
    )


class RegistrationCreateSerializer(serializers.Serializer[Any]):
    """Input of ``POST registrations``; the services validate and normalise it."""

    local_id = serializers.CharField(label="院内患者ID", max_length=64)
    name = serializers.CharField(label="姓名", max_length=50)
    sex = serializers.ChoiceField(label="性别", choices=Sex.choices, required=False, allow_blank=True)
    birth_date = serializers.DateField(label="出生日期", required=False, allow_null=True)
    id_number = serializers.CharField(label="身份证号", max_length=18, required=False, allow_blank=True)
    phone = serializers.CharField(label="联系电话", max_length=20, required=False, allow_blank=True)
    address = serializers.CharField(label="住址", max_length=200, required=False, allow_blank=True)
    division_code = serializers.CharField(label="行政区划代码", max_length=12, required=False, allow_blank=True)
    identifiers = IdentifierInputSerializer(label="其他证件", many=True, required=False)
    external_ref = serializers.CharField(label="外部消息号", max_length=100, required=False, allow_blank=True)


class ResidentCardSerializer(serializers.Serializer[Any]):
    """A resident as a reviewer sees it next to a registration (masked)."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    sex = serializers.CharField(read_only=True)
    birth_date = serializers.DateField(read_only=True)
    id_number = MaskedCharField(mask=mask_id_number, read_only=True)
    phone = MaskedCharField(mask=mask_phone, read_only=True)
    address = MaskedCharField(mask=mask_address, read_only=True)
    home_institution_name = serializers.CharField(source="home_institution.name", read_only=True)
    is_active = serializers.BooleanField(read_only=True)


class RegistrationSerializer(serializers.ModelSerializer[models.PatientRegistration]):
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    id_number = MaskedCharField(mask=mask_id_number, read_only=True)
    phone = MaskedCharField(mask=mask_phone, read_only=True)
    address = MaskedCharField(mask=mask_address, read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)
    method_display = serializers.CharField(source="get_method_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    resident_name = serializers.SerializerMethodField(label="关联居民姓名")
    pending_candidates = serializers.SerializerMethodField(label="待审核候选数")

    class Meta:
        model = models.PatientRegistration
        fields = [
            "id", "institution", "institution_name", "local_id", "source", "source_display", "external_ref", "name",
            "sex", "birth_date", "id_number", "phone", "address", "division_code", "outcome", "outcome_display",
            "method", "method_display", "score", "probability", "status", "status_display", "resident",
            "resident_name", "created_resident", "pending_candidates", "decided_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_resident_name(self, obj: models.PatientRegistration) -> str:
        return obj.resident.name if obj.resident is not None else ""

    def get_pending_candidates(self, obj: models.PatientRegistration) -> int:
        if obj.status != c.RegistrationStatus.PENDING:
            return 0
        return obj.candidates.filter(status=c.CandidateStatus.PENDING).count()


class FieldComparisonSerializer(serializers.Serializer[Any]):
    field = serializers.CharField()
    field_label = serializers.CharField()
    level = serializers.CharField()
    level_label = serializers.CharField()
    weight = serializers.FloatField()


class RegistrationCardSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    local_id = serializers.CharField(read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    name = serializers.CharField(read_only=True)
    sex = serializers.CharField(read_only=True)
    birth_date = serializers.DateField(read_only=True, allow_null=True)
    id_number = MaskedCharField(mask=mask_id_number, read_only=True)
    phone = MaskedCharField(mask=mask_phone, read_only=True)
    address = MaskedCharField(mask=mask_address, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class CandidateSerializer(serializers.ModelSerializer[models.MatchCandidate]):
    """A review-queue item: the registration, the proposed resident and why."""

    registration = RegistrationCardSerializer(read_only=True)
    resident = ResidentCardSerializer(read_only=True)
    details = FieldComparisonSerializer(many=True, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    reviewer_name = serializers.SerializerMethodField(label="审核人")

    class Meta:
        model = models.MatchCandidate
        fields = [
            "id", "registration", "resident", "rank", "score", "probability", "details", "status", "status_display",
            "reviewer_name", "decided_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_reviewer_name(self, obj: models.MatchCandidate) -> str:
        return getattr(obj.reviewer, "name", "") or "" if obj.reviewer is not None else ""


class IdentifierSerializer(serializers.ModelSerializer[models.ResidentIdentifier]):
    value = MaskedCharField(mask=mask_all_but_last4, read_only=True)
    type_display = serializers.CharField(source="get_type_display", read_only=True)
    issuer_name = serializers.SerializerMethodField(label="发放机构名称")

    class Meta:
        model = models.ResidentIdentifier
        fields = [
            "id",
            "resident",
            "type",
            "type_display",
            "issuer",
            "issuer_name",
            "value",
            "registration",
            "created_at",
        ]
        read_only_fields = fields

    def get_issuer_name(self, obj: models.ResidentIdentifier) -> str:
        return obj.issuer.name if obj.issuer is not None else ""


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(label="原因", max_length=200, required=False, allow_blank=True)


class MergeRequestSerializer(ReasonSerializer):
    other = serializers.IntegerField(label="被合并档案", help_text="并入本档案后停用的居民档案 id")


class MergeSerializer(serializers.ModelSerializer[models.ResidentMerge]):
    survivor_name = serializers.CharField(source="survivor.name", read_only=True)
    merged_name = serializers.CharField(source="merged.name", read_only=True)
    merged_by_name = serializers.SerializerMethodField(label="合并人")
    moved_identifiers = serializers.SerializerMethodField(label="迁移标识数")
    moved_registrations = serializers.SerializerMethodField(label="迁移登记数")

    class Meta:
        model = models.ResidentMerge
        fields = [
            "id", "survivor", "survivor_name", "merged", "merged_name", "reason", "moved_identifiers",
            "moved_registrations", "merged_by_name", "created_at", "reversed_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_merged_by_name(self, obj: models.ResidentMerge) -> str:
        return getattr(obj.created_by, "name", "") or "" if obj.created_by is not None else ""

    def get_moved_identifiers(self, obj: models.ResidentMerge) -> int:
        return len(obj.snapshot.get("identifiers", []))

    def get_moved_registrations(self, obj: models.ResidentMerge) -> int:
        return len(obj.snapshot.get("registrations", []))


class UnlinkResultSerializer(serializers.Serializer[Any]):
    registrations = RegistrationSerializer(many=True, read_only=True, help_text="重新匹配的患者登记")


class LinkRuleSerializer(serializers.ModelSerializer[models.ManualLinkRule]):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    identifier_type_display = serializers.CharField(source="get_identifier_type_display", read_only=True)
    resident_name = serializers.CharField(source="resident.name", read_only=True)

    class Meta:
        model = models.ManualLinkRule
        fields = [
            "id", "kind", "kind_display", "identifier_type", "identifier_type_display", "issuer", "value_hint",
            "resident", "resident_name", "registration", "reason", "is_active", "revoked_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class LinkRuleCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(label="规则类型", choices=c.RuleKind.choices)
    identifier_type = serializers.ChoiceField(label="证件类型", choices=c.IdentifierType.choices)
    issuer = serializers.PrimaryKeyRelatedField(
        label="发放机构", queryset=Institution.objects.all(), required=False, allow_null=True
    )
    value = serializers.CharField(label="号码", max_length=64)
    resident = serializers.IntegerField(label="居民档案")
    reason = serializers.CharField(label="原因", max_length=200, required=False, allow_blank=True)
