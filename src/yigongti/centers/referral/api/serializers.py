"""Serializers of the referral API: list/detail (read), the draft form with the patient and the
REF-19 first-visit package, 转回."""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from yigongti.centers.referral.api.package import ReferralPackageSerializer
from yigongti.centers.referral.choices import Direction, Kind, Urgency
from yigongti.centers.referral.models import Referral
from yigongti.core.api.serializers import ScopedRelatedField
from yigongti.core.workflow.api.serializers import AvailableActionSerializer, TimelineEntrySerializer
from yigongti.platform.accounts.models import User
from yigongti.platform.org.models import Department, Institution
from yigongti.platform.registry.models import Resident

ICD10 = re.compile(r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$")


def _name(field: str, label: str) -> serializers.CharField:
    return serializers.CharField(source=field, label=label, read_only=True, default="")


class ReferralListSerializer(serializers.ModelSerializer[Referral]):
    direction_display = serializers.CharField(source="get_direction_display", label="转诊方向名称", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", label="转诊类型名称", read_only=True)
    urgency_display = serializers.CharField(source="get_urgency_display", label="紧急程度名称", read_only=True)
    status_display = serializers.CharField(source="get_status_display", label="状态名称", read_only=True)
    patient_sex_display = serializers.CharField(source="get_patient_sex_display", label="性别名称", read_only=True)
    from_institution_name = _name("from_institution.name", "转出机构名称")
    from_department_name = _name("from_department.name", "转出科室名称")
    from_doctor_name = _name("from_doctor.name", "申请医生姓名")
    to_institution_name = _name("to_institution.name", "转入机构名称")
    to_department_name = _name("to_department.name", "转入科室名称")

    class Meta:
        model = Referral
        fields = [
            "id", "number", "direction", "direction_display", "kind", "kind_display", "urgency", "urgency_display",
            "status", "status_display", "patient_name", "patient_sex", "patient_sex_display", "patient_birth_date",
            "from_institution", "from_institution_name", "from_department_name", "from_doctor_name",
            "to_institution", "to_institution_name", "to_department_name", "diagnosis_code", "diagnosis_name",
            "planned_at", "created_at", "submitted_at", "arranged_at", "received_at", "closed_at",
        ]  # fmt: skip
        read_only_fields = fields


class ReferralLinkSerializer(serializers.ModelSerializer[Referral]):
    status_display = serializers.CharField(source="get_status_display", label="状态名称", read_only=True)

    class Meta:
        model = Referral
        fields = ["id", "number", "direction", "status", "status_display", "to_institution"]
        read_only_fields = fields


class ReferralSlotBriefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    date = serializers.DateField(read_only=True)
    period = serializers.CharField(read_only=True)
    start_time = serializers.TimeField(read_only=True)
    end_time = serializers.TimeField(read_only=True)


class ReferralDetailSerializer(ReferralListSerializer):
    to_doctor_name = _name("to_doctor.name", "接诊医生姓名")
    arranged_department_name = _name("arranged_department.name", "安排科室名称")
    arranged_doctor_name = _name("arranged_doctor.name", "安排医生姓名")
    arranged_bed_code = _name("arranged_bed.code", "床位号")
    slot_detail = ReferralSlotBriefSerializer(source="slot", label="号源", read_only=True, allow_null=True)
    parent_detail = ReferralLinkSerializer(source="parent", label="原转诊单", read_only=True, allow_null=True)
    returns = serializers.SerializerMethodField(label="转回单")
    actions = serializers.SerializerMethodField(label="当前可执行的操作")
    timeline = serializers.SerializerMethodField(label="流转记录")
    share_until = serializers.SerializerMethodField(label="共享资料可查看至")
    package = serializers.SerializerMethodField(label="首诊信息包")
    feedback_required = serializers.SerializerMethodField(label="反馈表必填项")

    class Meta(ReferralListSerializer.Meta):
        fields = [
            *ReferralListSerializer.Meta.fields,
            "resident", "from_department", "from_doctor", "to_department", "to_doctor", "to_doctor_name",
            "reason", "condition_summary", "treatment", "package", "arranged_department",
            "arranged_department_name", "arranged_doctor", "arranged_doctor_name", "arranged_bed",
            "arranged_bed_code", "arrangement_note", "refuse_reason", "reception_note", "feedback", "slot",
            "slot_detail", "booking_ref", "parent", "parent_detail", "returns", "external_key",
            "applicant_reviewed_at", "receiver_reviewed_at", "feedback_at", "cancelled_at", "updated_at",
            "actions", "timeline", "share_until", "feedback_required",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_feedback_required(self, obj: Referral) -> list[str]:
        """The fields the feedback form of this referral requires (REF-09: by direction and kind)."""
        from yigongti.centers.referral.effects import feedback_form

        return list(feedback_form(obj.direction, obj.kind))

    @extend_schema_field(serializers.DictField(allow_empty=True))
    def get_package(self, obj: Referral) -> Any:
        """The receiving side sees the package only within the share window (REF-20)."""
        from yigongti.centers.referral.access import share_closed_until

        request = self.context.get("request")
        if request is None or share_closed_until(request.user, obj) is not None:
            return {}
        return obj.package

    @extend_schema_field(ReferralLinkSerializer(many=True))
    def get_returns(self, obj: Referral) -> Any:
        return ReferralLinkSerializer(obj.returns.all().order_by("id"), many=True).data

    @extend_schema_field(AvailableActionSerializer(many=True))
    def get_actions(self, obj: Referral) -> Any:
        from yigongti.centers.referral.api.actions import actions_for

        request = self.context.get("request")
        return actions_for(obj, request.user) if request is not None else []

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, obj: Referral) -> Any:
        from yigongti.core.workflow.selectors import timeline

        return TimelineEntrySerializer(timeline(obj), many=True).data

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_share_until(self, obj: Referral) -> Any:
        from yigongti.centers.referral.selectors import share_open_until

        until = share_open_until(obj)
        return serializers.DateTimeField().to_representation(until) if until is not None else None


# -- the draft form ------------------------------------------------------------------------------
class ReferralPatientRegistrationSerializer(serializers.Serializer[Any]):
    """A patient without a resident file id: found or registered through the master patient index."""

    id_number = serializers.CharField(label="身份证号", max_length=18, min_length=15, write_only=True)
    name = serializers.CharField(label="姓名", max_length=50)
    sex = serializers.ChoiceField(label="性别", choices=[("1", "男"), ("2", "女")], required=False)
    birth_date = serializers.DateField(label="出生日期", required=False)
    phone = serializers.CharField(label="手机号", max_length=20, required=False, allow_blank=True, write_only=True)
    local_id = serializers.CharField(label="院内患者ID", max_length=50, required=False, allow_blank=True)


class ReferralWriteSerializer(serializers.ModelSerializer[Referral]):
    """草稿: ``resident`` (a file the user may see) or ``patient`` (ID number + name through the MPI)."""

    resident = ScopedRelatedField(
        label="居民档案", queryset=Resident.objects.filter(is_active=True), required=False, lookup_fields=()
    )
    patient = ReferralPatientRegistrationSerializer(label="患者登记", required=False, write_only=True)
    direction = serializers.ChoiceField(label="转诊方向", choices=Direction.choices)
    kind = serializers.ChoiceField(label="转诊类型", choices=Kind.choices, default=Kind.OUTPATIENT)
    urgency = serializers.ChoiceField(label="紧急程度", choices=Urgency.choices, default=Urgency.NORMAL)
    to_institution = ScopedRelatedField(
        label="转入机构", queryset=Institution.objects.filter(is_active=True), scoped=False
    )
    to_department = ScopedRelatedField(
        label="转入科室", queryset=Department.objects.filter(is_active=True), scoped=False, required=False,
        allow_null=True,
    )  # fmt: skip
    to_doctor = ScopedRelatedField(
        label="接诊医生", queryset=User.objects.filter(is_active=True), scoped=False, required=False,
        allow_null=True, lookup_fields=(),
    )  # fmt: skip
    package = ReferralPackageSerializer(label="首诊信息包", required=False)

    class Meta:
        model = Referral
        fields = [
            "resident", "patient", "direction", "kind", "urgency", "to_institution", "to_department", "to_doctor",
            "reason", "condition_summary", "diagnosis_code", "diagnosis_name", "treatment", "package",
        ]  # fmt: skip

    def validate_diagnosis_code(self, value: str) -> str:
        """ICD-10 (GB/T 14396): a letter, two digits, optionally a dot and up to four characters."""
        value = (value or "").strip().upper()
        if value and not ICD10.match(value):
            raise serializers.ValidationError("诊断编码应为 ICD-10 编码，如 I20.9。")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None and not attrs.get("resident") and not attrs.get("patient"):
            raise serializers.ValidationError({"resident": ["请选择居民档案，或填写患者身份证号与姓名。"]})
        return attrs


class ReferralUpdateSerializer(ReferralWriteSerializer):
    class Meta(ReferralWriteSerializer.Meta):
        fields = [f for f in ReferralWriteSerializer.Meta.fields if f not in ("resident", "patient")]


class ReferralReturnSerializer(serializers.Serializer[Any]):
    target = serializers.ChoiceField(
        label="转回机构",
        choices=[("origin", "原转出机构"), ("home", "患者签约/建档的基层机构")],
        default="origin",
    )
    kind = serializers.ChoiceField(label="转诊类型", choices=Kind.choices, default=Kind.OUTPATIENT)
    urgency = serializers.ChoiceField(label="紧急程度", choices=Urgency.choices, default=Urgency.NORMAL)
    reason = serializers.CharField(label="转回原因", required=False, allow_blank=True, max_length=1000)
    condition_summary = serializers.CharField(label="病情摘要", required=False, allow_blank=True, max_length=4000)
