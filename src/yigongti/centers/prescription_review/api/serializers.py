"""Serializers of the review center's API (HIS interface and console)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from yigongti.centers.prescription_review import models as m
from yigongti.centers.prescription_review.choices import DISPENSABLE, OPEN, RxStatus, Verdict
from yigongti.core.api.serializers import ResourceSerializer, ScopedRelatedField
from yigongti.core.masking import mask_name
from yigongti.platform.accounts.models import User
from yigongti.platform.org.models import Department, Institution


class RxFindingSerializer(serializers.Serializer[Any]):
    check_type = serializers.CharField(label="检查类型")
    severity = serializers.CharField(label="严重程度")
    message = serializers.CharField(label="问题说明")
    drug_codes = serializers.ListField(child=serializers.CharField(), label="相关药品")
    source = serializers.CharField(label="依据", allow_blank=True)  # type: ignore[assignment]
    diagnosis_codes = serializers.ListField(child=serializers.CharField(), required=False, label="相关诊断")
    lab_codes = serializers.ListField(child=serializers.CharField(), required=False, label="相关检验")
    allergy = serializers.CharField(required=False, allow_blank=True, label="相关过敏")
    patient_data = serializers.DictField(required=False, label="相关患者数据")
    rule_id = serializers.CharField(required=False, allow_blank=True, label="规则编号")
    item_indexes = serializers.ListField(child=serializers.IntegerField(), required=False, label="处方明细序号")


class RxTaskBriefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)
    double_sign_doctor = serializers.CharField(allow_blank=True)
    double_sign_reason = serializers.CharField(allow_blank=True)
    due_at = serializers.DateTimeField(allow_null=True)


class RxHistoryRowSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField()
    status = serializers.CharField()
    verdict = serializers.CharField()
    max_severity = serializers.CharField()
    finding_count = serializers.IntegerField()
    checked_at = serializers.DateTimeField()


class RxVerdictSerializer(serializers.Serializer[Any]):
    """The answer to the HIS: the synchronous verdict (POST) or the current one (GET)."""

    id = serializers.IntegerField(label="平台处方ID")
    his_id = serializers.CharField(label="HIS 处方号")
    version = serializers.IntegerField(label="版本号")
    status = serializers.ChoiceField(choices=RxStatus.choices, label="处方状态")
    status_label = serializers.CharField()
    verdict = serializers.ChoiceField(choices=Verdict.choices, label="系统审核结论")
    dispensable = serializers.BooleanField(label="可收费调配")
    final = serializers.BooleanField(label="结论已确定", help_text="false 表示等待药师审核或医生双签，请轮询或等待回调")
    max_severity = serializers.CharField(label="最高风险等级")
    findings = RxFindingSerializer(many=True)
    check_id = serializers.IntegerField()
    elapsed_us = serializers.IntegerField(label="引擎耗时（微秒）")
    kb_version = serializers.CharField(allow_blank=True)
    task = RxTaskBriefSerializer(allow_null=True)
    resent = serializers.BooleanField(label="重复提交", help_text="与最新版本内容相同，返回已保存的结果")
    history = RxHistoryRowSerializer(many=True, required=False)


def task_brief(task: m.ReviewTask | None) -> dict[str, Any] | None:
    if task is None:
        return None
    return {
        "id": task.pk,
        "status": task.status,
        "status_label": task.get_status_display(),
        "reason": task.reason,
        "double_sign_doctor": task.double_sign_doctor,
        "double_sign_reason": task.double_sign_reason,
        "due_at": task.due_at,
    }


def verdict_data(
    rx: m.Prescription, version_number: int, check: m.CheckRecord, task: m.ReviewTask | None, *, resent: bool
) -> dict[str, Any]:
    return {
        "id": rx.pk,
        "his_id": rx.his_id,
        "version": version_number,
        "status": rx.status,
        "status_label": RxStatus(rx.status).label,
        "verdict": check.verdict,
        "dispensable": rx.status in DISPENSABLE,
        "final": rx.status not in OPEN,
        "max_severity": check.max_severity,
        "findings": check.findings,
        "check_id": check.pk,
        "elapsed_us": check.elapsed_us,
        "kb_version": check.kb_version,
        "task": task_brief(task),
        "resent": resent,
    }


class RxCancelSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(label="撤销原因", max_length=200, required=False, allow_blank=True, default="")


class RxHisDoubleSignSerializer(serializers.Serializer[Any]):
    doctor_name = serializers.CharField(label="双签医生", max_length=50)
    reason = serializers.CharField(label="双签理由", max_length=500)


class RxHisPrescriptionSerializer(serializers.Serializer[Any]):
    """The HIS message (documentation of the request; the engine's parser validates the content)."""

    his_id = serializers.CharField(label="HIS 处方号", max_length=64)
    patient = serializers.DictField(
        label="患者", help_text="age_days, sex (M/F), height_cm, weight_kg, pregnant, lactating, allergies[], "
        "history[], egfr/crcl/serum_creatinine_umol_l, child_pugh; 标识字段 name/id_number/phone 加密保存"
    )  # fmt: skip
    record = serializers.DictField(
        label="病历", required=False, help_text="chief_complaint, present_illness, past_history"
    )
    diagnoses = serializers.ListField(child=serializers.DictField(), label="诊断", help_text="[{code, name}]")
    prescription = serializers.DictField(
        label="处方", help_text="kind, prescriber_id, prescriber_name, antibiotic_level, narcotic_privilege, "
        "department_code, department_name, long_supply_reason"
    )  # fmt: skip
    items = serializers.ListField(child=serializers.DictField(), label="处方明细")
    labs = serializers.ListField(child=serializers.DictField(), label="检验结果", required=False)
    exams = serializers.ListField(child=serializers.DictField(), label="检查结果", required=False)


# -- console ---------------------------------------------------------------------------------------
class RxMaskedNameField(serializers.CharField):
    def to_representation(self, value: Any) -> str:
        return mask_name(str(value)) or "" if value else ""


class RxPrescriptionSerializer(ResourceSerializer):
    patient_name = RxMaskedNameField(read_only=True, label="患者姓名（脱敏）")
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = m.Prescription
        fields = [
            "id", "institution", "institution_name", "his_id", "kind", "department_code", "department_name",
            "prescriber_code", "prescriber_name", "patient_name", "patient_sex", "patient_age_days", "status",
            "status_label", "version_count", "first_severity", "first_verdict", "last_severity", "last_verdict",
            "submitted_at", "last_submitted_at", "final_at", "cancelled_at", "cancel_reason",
        ]  # fmt: skip
        read_only_fields = fields


class RxCheckRecordSerializer(ResourceSerializer):
    version_number = serializers.IntegerField(source="version.number", read_only=True)
    his_id = serializers.CharField(source="prescription.his_id", read_only=True)
    findings = RxFindingSerializer(many=True, read_only=True)

    class Meta:
        model = m.CheckRecord
        fields = [
            "id", "prescription", "his_id", "version", "version_number", "institution", "sequence",
            "department_code", "prescriber_code", "max_severity", "verdict", "finding_count", "findings",
            "elapsed_us", "kb_version", "checked_at",
        ]  # fmt: skip
        read_only_fields = fields


class RxVersionSerializer(serializers.ModelSerializer[m.PrescriptionVersion]):
    checks = RxCheckRecordSerializer(many=True, read_only=True)

    class Meta:
        model = m.PrescriptionVersion
        fields = ["id", "number", "status", "source", "submitted_at", "payload", "checks"]
        read_only_fields = fields


class RxPrescriptionDetailSerializer(RxPrescriptionSerializer):
    versions = RxVersionSerializer(many=True, read_only=True)

    class Meta(RxPrescriptionSerializer.Meta):
        fields = [*RxPrescriptionSerializer.Meta.fields, "versions"]
        read_only_fields = fields


class RxReviewTaskSerializer(ResourceSerializer):
    his_id = serializers.CharField(source="prescription.his_id", read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    claimed_by_name = serializers.CharField(source="claimed_by.name", read_only=True, default="")
    reviewer_name = serializers.CharField(source="reviewer.name", read_only=True, default="")

    class Meta:
        model = m.ReviewTask
        fields = [
            "id", "prescription", "his_id", "version", "check_record", "institution", "institution_name",
            "department_code", "status", "status_label", "max_severity", "requires_second", "claimed_by",
            "claimed_by_name", "claimed_at", "first_reviewer", "reviewer", "reviewer_name", "reason",
            "double_sign_doctor", "double_sign_reason", "due_at", "created_at", "second_review_at", "passed_at",
            "rejected_at", "double_signed_at", "auto_passed_at", "cancelled_at", "superseded_at",
        ]  # fmt: skip
        read_only_fields = fields


class RxDrugLinkSerializer(serializers.Serializer[Any]):
    drug_code = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    label_path = serializers.CharField(help_text="药品说明书（知识库）页面")


class RxReviewTaskDetailSerializer(RxReviewTaskSerializer):
    """The pharmacist's task view: patient, record, diagnoses, items (orders), labs, exams, findings,
    drug label links, earlier versions of the same prescription."""

    prescription_detail = RxPrescriptionSerializer(source="prescription", read_only=True)
    content = serializers.JSONField(source="version.payload", read_only=True)
    version_number = serializers.IntegerField(source="version.number", read_only=True)
    findings = RxFindingSerializer(source="check_record.findings", many=True, read_only=True)
    drug_links = serializers.SerializerMethodField()

    class Meta(RxReviewTaskSerializer.Meta):
        fields = [*RxReviewTaskSerializer.Meta.fields, "prescription_detail", "content", "version_number", "findings",
                  "drug_links"]  # fmt: skip
        read_only_fields = fields

    def get_drug_links(self, task: m.ReviewTask) -> list[dict[str, str]]:
        items = (task.version.payload or {}).get("items") or []
        links = []
        for item in items:
            if isinstance(item, dict) and item.get("drug_code"):
                code = str(item["drug_code"])
                links.append(
                    {
                        "drug_code": code,
                        "name": str(item.get("name", "")),
                        "label_path": f"/rx/knowledge/drugs?code={code}",
                    }
                )
        return RxDrugLinkSerializer(links, many=True).data  # type: ignore[return-value]


class RxCenterConfigSerializer(ResourceSerializer):
    institution = ScopedRelatedField(queryset=Institution.objects.all(), label="机构")

    class Meta:
        model = m.RxCenterConfig
        fields = ["id", "institution", "review_timeout_minutes", "auto_pass_enabled", "second_review_severity",
                  "webhook_destination", "remark", "updated_at"]  # fmt: skip
        read_only_fields = ["updated_at"]


class RxReviewSchemeSerializer(ResourceSerializer):
    institution = ScopedRelatedField(queryset=Institution.objects.all(), label="审方中心机构")

    class Meta:
        model = m.ReviewScheme
        fields = ["id", "institution", "name", "start_time", "end_time", "enabled", "remark"]


class RxReviewSchemeItemSerializer(ResourceSerializer):
    scheme = ScopedRelatedField(queryset=m.ReviewScheme.objects.all(), label="审方方案", lookup_fields=("name",))
    served_institution = ScopedRelatedField(queryset=Institution.objects.all(), scoped=False, label="服务机构")
    department = ScopedRelatedField(
        queryset=Department.objects.all(), scoped=False, label="服务科室", required=False, allow_null=True
    )

    class Meta:
        model = m.ReviewSchemeItem
        fields = ["id", "scheme", "served_institution", "department"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        dept = attrs.get("department")
        inst = attrs.get("served_institution") or getattr(self.instance, "served_institution", None)
        if dept is not None and inst is not None and dept.institution_id != inst.pk:
            raise serializers.ValidationError({"department": ["该科室不属于所选服务机构。"]})
        return super().validate(attrs)


class RxPharmacistDutySerializer(ResourceSerializer):
    pharmacist = ScopedRelatedField(queryset=User.objects.all(), label="药师", lookup_fields=("username",))
    scheme = ScopedRelatedField(queryset=m.ReviewScheme.objects.all(), label="审方方案", lookup_fields=("name",))
    pharmacist_name = serializers.CharField(source="pharmacist.name", read_only=True)
    scheme_name = serializers.CharField(source="scheme.name", read_only=True)

    class Meta:
        model = m.PharmacistDuty
        fields = ["id", "pharmacist", "pharmacist_name", "institution", "scheme", "scheme_name", "on_duty",
                  "on_duty_at", "off_duty_at"]  # fmt: skip
        read_only_fields = ["institution", "on_duty", "on_duty_at", "off_duty_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        pharmacist = attrs.get("pharmacist") or getattr(self.instance, "pharmacist", None)
        if pharmacist is not None:
            if pharmacist.institution_id is None:
                raise serializers.ValidationError({"pharmacist": ["该账号没有所属机构。"]})
            attrs["institution"] = pharmacist.institution
        return super().validate(attrs)


class RxQuickReplySerializer(ResourceSerializer):
    personal = serializers.BooleanField(write_only=True, required=False, default=False, label="仅本人使用")

    class Meta:
        model = m.QuickReply
        fields = ["id", "institution", "owner", "kind", "text", "sort_order", "personal"]
        read_only_fields = ["institution", "owner"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        personal = attrs.pop("personal", False)
        user = self.context["request"].user
        if self.instance is None:
            attrs["institution"] = user.institution
            attrs["owner"] = user if personal else None
            if user.institution is None:
                raise serializers.ValidationError({"institution": ["您没有所属机构，不能新增快捷回复。"]})
        return super().validate(attrs)


class RxReorderSerializer(serializers.Serializer[Any]):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), label="按新顺序排列的编号", min_length=1)


class RxCountersSerializer(serializers.Serializer[Any]):
    since = serializers.DateTimeField()
    until = serializers.DateTimeField()
    totals = serializers.DictField(child=serializers.IntegerField())
    institutions = serializers.ListField(child=serializers.DictField())
    pharmacists = serializers.ListField(child=serializers.DictField())
