from __future__ import annotations

from typing import Any

from rest_framework import serializers

from yigongti.centers.prescription_review.engine.models import CheckTypeSetting, RuleConfig, SeverityLevel
from yigongti.core.api.serializers import ResourceSerializer, ScopedRelatedField
from yigongti.platform.org.models import Community, Institution


class RuleConfigSerializer(ResourceSerializer):
    community = ScopedRelatedField(label="医共体", queryset=Community.objects.all())
    institution = ScopedRelatedField(
        label="机构（空=医共体默认）", queryset=Institution.objects.all(), required=False, allow_null=True
    )
    institution_name = serializers.CharField(
        source="institution.name", label="机构名称", read_only=True, allow_null=True
    )
    version = serializers.CharField(label="配置版本", read_only=True)

    class Meta:
        model = RuleConfig
        fields = [
            "id", "community", "institution", "institution_name", "name", "effective_from", "note", "source",
            "version", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs: dict[str, Any] = {"effective_from": {"validators": []}}
        validators: list[Any] = []


class SeverityLevelSerializer(ResourceSerializer):
    config = ScopedRelatedField(label="配置", queryset=RuleConfig.objects.all(), lookup_fields=())
    action_display = serializers.CharField(source="get_action_display", label="处理方式名称", read_only=True)

    class Meta:
        model = SeverityLevel
        fields = ["id", "config", "code", "name", "rank", "action", "action_display", "color", "updated_at"]
        read_only_fields = ["updated_at"]
        validators: list[Any] = []


class CheckTypeSettingSerializer(ResourceSerializer):
    config = ScopedRelatedField(label="配置", queryset=RuleConfig.objects.all(), lookup_fields=())
    check_type_display = serializers.CharField(source="get_check_type_display", label="审核类型名称", read_only=True)

    class Meta:
        model = CheckTypeSetting
        fields = [
            "id", "config", "check_type", "check_type_display", "enabled", "severity_override", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["updated_at"]
        validators: list[Any] = []


class CheckTypeInfoSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(label="审核类型编码")
    name = serializers.CharField(label="审核类型")
    group = serializers.CharField(label="审核分类")
    source = serializers.CharField(label="依据")  # type: ignore[assignment]


class FindingSerializer(serializers.Serializer[Any]):
    check_type = serializers.CharField(label="审核类型")
    severity = serializers.CharField(label="警示级别")
    message = serializers.CharField(label="提示信息")
    drug_codes = serializers.ListField(child=serializers.CharField(), label="相关药品")
    source = serializers.CharField(label="依据", allow_blank=True)  # type: ignore[assignment]
    diagnosis_codes = serializers.ListField(child=serializers.CharField(), label="相关诊断")
    lab_codes = serializers.ListField(child=serializers.CharField(), label="相关检验")
    allergy = serializers.CharField(label="相关过敏史", allow_blank=True)
    patient_data = serializers.DictField(label="相关患者数据")
    rule_id = serializers.CharField(label="规则编号", allow_blank=True)
    item_indexes = serializers.ListField(child=serializers.IntegerField(), label="处方明细序号")


class CheckResultSerializer(serializers.Serializer[Any]):
    findings = FindingSerializer(many=True, label="审核结果")
    max_severity = serializers.CharField(label="最高警示级别", allow_null=True)
    verdict = serializers.CharField(label="结论")
    elapsed_us = serializers.IntegerField(label="耗时（微秒）")
    kb_version = serializers.CharField(label="知识库版本")
    config_version = serializers.CharField(label="配置版本")
    severity_names = serializers.DictField(child=serializers.CharField(), label="警示级别名称")


class TrialSerializer(serializers.Serializer[Any]):
    payload = serializers.JSONField(label="处方数据（与HIS接口相同的JSON）")
