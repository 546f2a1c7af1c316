"""Serializers of 处方点评与监管."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from yigongti.centers.prescription_review.comment import standards
from yigongti.centers.prescription_review.comment.choices import JudgmentResult, ReasonCategory, VisitType
from yigongti.centers.prescription_review.comment.models import (
    Appeal,
    CommentProject,
    CommentSample,
    CommentTask,
    ConditionTemplate,
    ExamReport,
    LabReport,
    LabResult,
    PharmacistGroup,
    PrescriptionItem,
    ReasonTemplate,
    ReplyTemplate,
    SampleReason,
    SamplingPolicy,
    Visit,
    VisitDiagnosis,
    VisitPrescription,
)
from yigongti.core.api.serializers import ResourceSerializer, ScopedRelatedField
from yigongti.core.masking import mask_id_number, mask_phone
from yigongti.platform.accounts.models import User
from yigongti.platform.org.models import Department, Institution


# -- visits (read) ----------------------------------------------------------------------------------
class DiagnosisOut(serializers.ModelSerializer[VisitDiagnosis]):
    class Meta:
        model = VisitDiagnosis
        fields = ["seq", "code", "name", "kind"]


class ItemOut(serializers.ModelSerializer[PrescriptionItem]):
    class Meta:
        model = PrescriptionItem
        fields = [
            "seq", "order_no", "drug_code", "drug_name", "generic_name", "spec", "dose", "dose_unit", "frequency",
            "route", "days", "quantity", "quantity_unit", "amount", "group_no", "solvent_ml", "is_antibiotic",
            "is_essential", "is_injection", "is_ppi",
        ]  # fmt: skip


class PrescriptionOut(serializers.ModelSerializer[VisitPrescription]):
    items = ItemOut(many=True, read_only=True)

    class Meta:
        model = VisitPrescription
        fields = [
            "id", "rx_no", "kind", "prescribed_at", "department_name", "doctor_code", "doctor_name",
            "long_supply_reason", "amount", "drug_count", "antibiotic_count", "essential_count", "injection_count",
            "ppi_count", "items",
        ]  # fmt: skip


class LabResultOut(serializers.ModelSerializer[LabResult]):
    class Meta:
        model = LabResult
        fields = ["code", "name", "value", "unit", "reference_range", "measured_at"]


class LabOut(serializers.ModelSerializer[LabReport]):
    results = LabResultOut(many=True, read_only=True)

    class Meta:
        model = LabReport
        fields = ["report_no", "name", "ordered_at", "reported_at", "results"]


class ExamOut(serializers.ModelSerializer[ExamReport]):
    class Meta:
        model = ExamReport
        fields = ["exam_no", "name", "exam_time", "findings", "conclusion"]


class VisitListSerializer(serializers.ModelSerializer[Visit]):
    institution_name = serializers.CharField(source="institution.name", label="机构", read_only=True)
    id_number = serializers.SerializerMethodField(label="身份证号（脱敏）")
    prescription_count = serializers.IntegerField(label="处方数", read_only=True, default=0)

    class Meta:
        model = Visit
        fields = [
            "id", "institution", "institution_name", "visit_no", "visit_type", "visit_time", "department_name",
            "doctor_code", "doctor_name", "patient_name", "sex", "age_days", "id_number", "source", "upload_count",
            "prescription_count", "uploaded_at", "updated_at",
        ]  # fmt: skip

    def get_id_number(self, obj: Visit) -> str:
        return mask_id_number(obj.id_number) or "" if obj.id_number else ""


class VisitDetailSerializer(VisitListSerializer):
    phone = serializers.SerializerMethodField(label="联系电话（脱敏）")
    diagnoses = DiagnosisOut(many=True, read_only=True)
    prescriptions = PrescriptionOut(many=True, read_only=True)
    labs = LabOut(many=True, read_only=True)
    exams = ExamOut(many=True, read_only=True)

    class Meta(VisitListSerializer.Meta):
        fields = [
            *VisitListSerializer.Meta.fields, "discharge_time", "birth_date", "height_cm", "weight_kg", "pregnant",
            "lactating", "allergies", "chief_complaint", "present_illness", "past_history", "phone", "diagnoses",
            "prescriptions", "labs", "exams",
        ]  # fmt: skip

    def get_phone(self, obj: Visit) -> str:
        return mask_phone(obj.phone) or "" if obj.phone else ""


class UploadResultSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(label="就诊记录编号")
    visit_id = serializers.CharField(label="就诊ID")
    created = serializers.BooleanField(label="是否新增")
    prescriptions = serializers.IntegerField(label="处方数")


class BatchResultSerializer(serializers.Serializer[Any]):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()


class BatchUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(label="文件（.jsonl 或 .xlsx）")
    institution = serializers.IntegerField(label="机构", required=False)


# -- reference data -------------------------------------------------------------------------------
class SamplingPolicySerializer(ResourceSerializer):
    institution = ScopedRelatedField(label="机构", queryset=Institution.objects.all())

    class Meta:
        model = SamplingPolicy
        fields = [
            "id", "institution", "outpatient_min_rate", "outpatient_min_monthly", "inpatient_min_rate",
            "inpatient_min_monthly", "source",
        ]  # fmt: skip


class ConditionsSerializer(serializers.Serializer[Any]):
    """点评条件: every key optional; lists are OR within a key, keys are AND."""

    institutions = serializers.ListField(child=serializers.IntegerField(), required=False, label="机构")
    departments = serializers.ListField(child=serializers.IntegerField(), required=False, label="科室")
    doctors = serializers.ListField(child=serializers.CharField(max_length=32), required=False, label="医生工号")
    drug_classes = serializers.ListField(
        child=serializers.ChoiceField(choices=list(standards.DRUG_CLASSES.items())), required=False, label="药品类别"
    )
    drug_codes = serializers.ListField(child=serializers.CharField(max_length=64), required=False, label="药品编码")
    visit_types = serializers.ListField(child=serializers.ChoiceField(choices=VisitType.choices), required=False)
    period_months = serializers.IntegerField(min_value=1, max_value=12, required=False, label="点评周期（月）")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and attrs.get("institutions"):
            from yigongti.core.scope import apply_scope, model_scope

            visible = set(
                apply_scope(Institution.objects.filter(pk__in=attrs["institutions"]), model_scope(Institution),
                            user.scope_context()).values_list("id", flat=True)
            )  # fmt: skip
            missing = sorted(set(attrs["institutions"]) - visible)
            if missing:
                raise serializers.ValidationError({"institutions": [f"所选机构不存在或无权使用（{missing[0]}）。"]})
        if attrs.get("departments"):
            found = set(Department.objects.filter(pk__in=attrs["departments"]).values_list("id", flat=True))
            missing = sorted(set(attrs["departments"]) - found)
            if missing:
                raise serializers.ValidationError({"departments": [f"所选科室不存在（{missing[0]}）。"]})
        return attrs


class ConditionTemplateSerializer(ResourceSerializer):
    institution = ScopedRelatedField(label="所属机构", queryset=Institution.objects.all())
    conditions = ConditionsSerializer(label="点评条件", required=False)

    class Meta:
        model = ConditionTemplate
        fields = ["id", "institution", "name", "conditions", "remark"]


class PharmacistGroupSerializer(ResourceSerializer):
    institution = ScopedRelatedField(label="所属机构", queryset=Institution.objects.all())
    members = ScopedRelatedField(
        label="药师", queryset=User.objects.filter(is_active=True), many=True, lookup_fields=("username",)
    )

    class Meta:
        model = PharmacistGroup
        fields = ["id", "institution", "name", "members"]


class ReasonTemplateSerializer(ResourceSerializer):
    institution = ScopedRelatedField(
        label="所属机构", queryset=Institution.objects.all(), required=False, allow_null=True
    )
    article = serializers.SerializerMethodField(label="规范条款")

    class Meta:
        model = ReasonTemplate
        fields = ["id", "institution", "category", "code", "text", "source", "order", "is_builtin", "article"]
        read_only_fields = ["is_builtin"]

    def get_article(self, obj: ReasonTemplate) -> str:
        return standards.ARTICLE_OF_CATEGORY.get(ReasonCategory(obj.category), "") if obj.is_builtin else ""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None and attrs.get("institution") is None:
            raise serializers.ValidationError({"institution": ["自定义理由须指定所属机构。"]})
        return super().validate(attrs)


class ReplyTemplateSerializer(ResourceSerializer):
    owner = serializers.HiddenField(default=serializers.CurrentUserDefault())

    class Meta:
        model = ReplyTemplate
        fields = ["id", "owner", "text", "order"]


class CommentProjectSerializer(ResourceSerializer):
    institution = ScopedRelatedField(label="所属机构", queryset=Institution.objects.all())
    task_count = serializers.IntegerField(label="任务数", read_only=True, default=0)
    started_task_count = serializers.IntegerField(label="已开始任务数", read_only=True, default=0)
    sample_total = serializers.IntegerField(label="抽样处方数", read_only=True, default=0)
    judged_total = serializers.IntegerField(label="已点评处方数", read_only=True, default=0)

    class Meta:
        model = CommentProject
        fields = [
            "id", "institution", "name", "period_start", "period_end", "description", "task_count",
            "started_task_count", "sample_total", "judged_total",
        ]  # fmt: skip

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start = attrs.get("period_start", getattr(self.instance, "period_start", None))
        end = attrs.get("period_end", getattr(self.instance, "period_end", None))
        if start and end and start > end:
            raise serializers.ValidationError({"period_end": ["结束日期不能早于开始日期。"]})
        return super().validate(attrs)


class CommentTaskSerializer(ResourceSerializer):
    project = ScopedRelatedField(label="点评项目", queryset=CommentProject.objects.all())
    template = ScopedRelatedField(
        label="引用模板", queryset=ConditionTemplate.objects.all(), required=False, allow_null=True
    )
    group = ScopedRelatedField(
        label="药师任务组", queryset=PharmacistGroup.objects.all(), required=False, allow_null=True
    )
    conditions = ConditionsSerializer(label="点评条件", required=False)
    judged_count = serializers.IntegerField(label="已点评数", read_only=True, default=0)

    class Meta:
        model = CommentTask
        fields = [
            "id", "project", "institution", "name", "template", "conditions", "period_start", "period_end",
            "sample_mode", "sample_size", "sample_rate", "seed", "group", "status", "population_count",
            "sample_count", "judged_count", "started_at", "finished_at",
        ]  # fmt: skip
        read_only_fields = ["institution", "status", "population_count", "sample_count", "started_at", "finished_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        template = attrs.get("template")
        if template is not None and not attrs.get("conditions"):
            attrs["conditions"] = dict(template.conditions or {})
        project = attrs.get("project", getattr(self.instance, "project", None))
        if project is not None:
            attrs["institution"] = project.institution
        start = attrs.get("period_start", getattr(self.instance, "period_start", None))
        end = attrs.get("period_end", getattr(self.instance, "period_end", None))
        if start and end and start > end:
            raise serializers.ValidationError({"period_end": ["结束日期不能早于开始日期。"]})
        return super().validate(attrs)


# -- samples, judgments, appeals --------------------------------------------------------------------
class SampleReasonOut(serializers.ModelSerializer[SampleReason]):
    class Meta:
        model = SampleReason
        fields = ["template", "category", "code", "text"]


class AppealOut(serializers.ModelSerializer[Appeal]):
    doctor_name = serializers.CharField(source="doctor.name", read_only=True)
    rx_no = serializers.CharField(source="sample.prescription.rx_no", read_only=True)

    class Meta:
        model = Appeal
        fields = [
            "id", "sample", "rx_no", "doctor", "doctor_name", "text", "status", "reply", "replied_by",
            "replied_at", "created_at",
        ]  # fmt: skip


class SampleListSerializer(serializers.ModelSerializer[CommentSample]):
    rx_no = serializers.CharField(source="prescription.rx_no", read_only=True)
    institution_name = serializers.CharField(source="prescription.institution.name", read_only=True)
    doctor_name = serializers.CharField(source="prescription.doctor_name", read_only=True)
    department_name = serializers.CharField(source="prescription.department_name", read_only=True)
    prescribed_at = serializers.DateTimeField(source="prescription.prescribed_at", read_only=True)
    patient_name = serializers.CharField(source="prescription.visit.patient_name", read_only=True)
    assignee_name = serializers.CharField(source="assignee.name", read_only=True, default="")

    class Meta:
        model = CommentSample
        fields = [
            "id", "task", "seq", "rx_no", "institution_name", "department_name", "doctor_name", "prescribed_at",
            "patient_name", "assignee", "assignee_name", "status", "precheck_status", "precheck_risk",
            "precheck_max_severity", "precheck_verdict", "finding_count", "result", "judged_at",
        ]  # fmt: skip


class SampleDetailSerializer(SampleListSerializer):
    prescription = PrescriptionOut(read_only=True)
    visit = serializers.SerializerMethodField()
    reasons = SampleReasonOut(many=True, read_only=True)
    appeals = AppealOut(many=True, read_only=True)

    class Meta(SampleListSerializer.Meta):
        fields = [
            *SampleListSerializer.Meta.fields, "precheck_findings", "precheck_kb_version", "precheck_error",
            "remark", "judged_by", "reasons", "appeals", "prescription", "visit",
        ]  # fmt: skip

    def get_visit(self, obj: CommentSample) -> dict[str, Any]:
        return dict(VisitDetailSerializer(obj.prescription.visit, context=self.context).data)


class ReasonIn(serializers.Serializer[Any]):
    template = serializers.IntegerField(required=False, allow_null=True, label="理由模板")
    category = serializers.ChoiceField(choices=ReasonCategory.choices, required=False, label="类别（自定义理由）")
    text = serializers.CharField(max_length=300, required=False, allow_blank=True, label="自定义理由")


class JudgeSerializer(serializers.Serializer[Any]):
    result = serializers.ChoiceField(choices=JudgmentResult.choices, label="点评结果")
    reasons = ReasonIn(many=True, required=False, default=list)
    remark = serializers.CharField(required=False, allow_blank=True, default="", label="点评意见")


class AppealSubmitSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(required=False, allow_blank=True, default="", label="申诉理由")
    template = serializers.IntegerField(required=False, allow_null=True, label="回复模板")


class AppealReplySerializer(serializers.Serializer[Any]):
    upheld = serializers.BooleanField(label="申诉成立")
    reply = serializers.CharField(label="处理意见")
