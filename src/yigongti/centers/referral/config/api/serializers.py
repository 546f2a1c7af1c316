"""Serializers of 双向转诊配置 (thin: rules live on the models and in the services)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from rest_framework import serializers

from yigongti.centers.referral.config import choices, models
from yigongti.core.api.serializers import ResourceSerializer, ScopedRelatedField
from yigongti.platform.accounts.models import Role, User
from yigongti.platform.org.models import Department, Institution


def _institution_field(label: str = "机构", **kw: Any) -> ScopedRelatedField:
    return ScopedRelatedField(label=label, queryset=Institution.objects.all(), **kw)


def _department_field(label: str = "科室", **kw: Any) -> ScopedRelatedField:
    return ScopedRelatedField(label=label, queryset=Department.objects.all(), **kw)


def _doctor_field() -> ScopedRelatedField:
    return ScopedRelatedField(
        label="医生", queryset=User.objects.all(), lookup_fields=("username",), required=False, allow_null=True
    )


# -- settings ------------------------------------------------------------------------------------
class ReferralSettingsSerializer(serializers.Serializer[Any]):
    institution = serializers.IntegerField(source="institution_id", read_only=True, label="机构")
    institution_name = serializers.SerializerMethodField(label="机构名称")
    configured = serializers.SerializerMethodField(label="已保存设置", help_text="否表示使用默认值")
    outbound_review = serializers.BooleanField(label="转出审核", required=False)
    outbound_reviewer_role = serializers.IntegerField(
        source="outbound_reviewer_role_id",
        label="转出审核角色",
        required=False,
        allow_null=True,
        help_text="为空表示有审核权限者均可审核",
    )
    inbound_review = serializers.BooleanField(label="转入审核", required=False)
    inbound_reviewer_role = serializers.IntegerField(
        source="inbound_reviewer_role_id",
        label="转入审核角色",
        required=False,
        allow_null=True,
        help_text="为空表示有审核权限者均可审核",
    )
    quota_mode = serializers.BooleanField(label="配额模式", required=False)
    online_mode = serializers.BooleanField(label="在线预约模式", required=False)
    pinning = serializers.ChoiceField(label="转诊精确到", choices=choices.Pinning.choices, required=False)
    pinning_display = serializers.CharField(source="get_pinning_display", label="转诊精确到名称", read_only=True)
    no_show_grace_hours = serializers.IntegerField(label="爽约宽限（小时）", min_value=0, max_value=720, required=False)
    share_window_days = serializers.IntegerField(label="资料共享期（天）", min_value=1, max_value=3650, required=False)
    remark = serializers.CharField(label="备注", max_length=200, allow_blank=True, required=False)

    def get_institution_name(self, obj: models.ReferralSettings) -> str:
        names: dict[int, str] = self.context.get("institution_names", {})
        return names.get(obj.institution_id) or obj.institution.name

    def get_configured(self, obj: models.ReferralSettings) -> bool:
        return obj.pk is not None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        institution_id = self.context["institution_id"]
        for key in ("outbound_reviewer_role_id", "inbound_reviewer_role_id"):
            role_id = attrs.get(key)
            if role_id is None:
                continue
            usable = Role.objects.filter(pk=role_id).filter(
                Q(institution__isnull=True) | Q(institution_id=institution_id)
            )
            if not usable.exists():
                raise serializers.ValidationError(
                    {key.removesuffix("_id"): "审核角色不存在，或不是平台角色/本机构角色。"}
                )
        return attrs


class BookingAdapterConfigSerializer(ResourceSerializer):
    institution = _institution_field("接诊机构")
    institution_name = serializers.CharField(source="institution.name", label="机构名称", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", label="接口类型名称", read_only=True)
    api_key = serializers.CharField(label="接口密钥", write_only=True, required=False, allow_blank=True)
    has_api_key = serializers.SerializerMethodField(label="已设置密钥")

    class Meta:
        model = models.BookingAdapterConfig
        fields = [
            "id", "institution", "institution_name", "kind", "kind_display", "base_url", "api_key", "has_api_key",
            "timeout_seconds", "is_active", "remark", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]

    def get_has_api_key(self, obj: models.BookingAdapterConfig) -> bool:
        return bool(obj.api_key)


# -- schedules and slots -------------------------------------------------------------------------
class ReferralScheduleSerializer(ResourceSerializer):
    institution = _institution_field("接诊机构")
    department = _department_field()
    doctor = _doctor_field()
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6), label="出诊星期", required=False
    )
    institution_name = serializers.CharField(source="institution.name", label="机构名称", read_only=True)
    department_name = serializers.CharField(source="department.name", label="科室名称", read_only=True)
    doctor_name = serializers.CharField(source="doctor.name", label="医生姓名", read_only=True, allow_null=True)
    period_display = serializers.CharField(source="get_period_display", label="时段名称", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", label="号源类别名称", read_only=True)

    class Meta:
        model = models.ReferralSchedule
        fields = [
            "id", "institution", "institution_name", "department", "department_name", "doctor", "doctor_name",
            "kind", "kind_display", "weekdays", "start_date", "end_date", "period", "period_display", "start_time",
            "end_time", "capacity", "is_active", "remark", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]


class ScheduleGenerateSerializer(serializers.Serializer[Any]):
    until = serializers.DateField(label="生成至（含）")


class ScheduleGenerateResultSerializer(serializers.Serializer[Any]):
    created = serializers.IntegerField(label="新生成号源数")


class ReferralSlotSerializer(ResourceSerializer):
    institution = _institution_field("接诊机构")
    department = _department_field()
    doctor = _doctor_field()
    institution_name = serializers.CharField(source="institution.name", label="机构名称", read_only=True)
    department_name = serializers.CharField(source="department.name", label="科室名称", read_only=True)
    doctor_name = serializers.CharField(source="doctor.name", label="医生姓名", read_only=True, allow_null=True)
    period_display = serializers.CharField(source="get_period_display", label="时段名称", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", label="号源类别名称", read_only=True)
    status_display = serializers.CharField(source="get_status_display", label="状态名称", read_only=True)
    available = serializers.IntegerField(label="剩余号源", read_only=True)

    class Meta:
        model = models.ReferralSlot
        fields = [
            "id", "schedule", "institution", "institution_name", "department", "department_name", "doctor",
            "doctor_name", "date", "period", "period_display", "start_time", "end_time", "capacity", "booked",
            "available", "kind", "kind_display", "status", "status_display", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["schedule", "booked", "status", "created_at", "updated_at"]


class SlotCapacitySerializer(serializers.Serializer[Any]):
    capacity = serializers.IntegerField(label="号源数", min_value=0, max_value=10000)


class AvailableSlotSerializer(serializers.Serializer[Any]):
    """A bookable slot as an applicant sees it; ``doctor`` is hidden unless pinned to doctors."""

    id = serializers.IntegerField()
    institution = serializers.IntegerField(source="institution_id")
    institution_name = serializers.CharField(source="institution.name")
    department = serializers.IntegerField(source="department_id")
    department_name = serializers.CharField(source="department.name")
    doctor = serializers.IntegerField(source="doctor_value", allow_null=True)
    doctor_name = serializers.CharField(allow_null=True)
    date = serializers.DateField()
    period = serializers.CharField()
    period_display = serializers.CharField(source="get_period_display")
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    kind = serializers.CharField()
    capacity = serializers.IntegerField()
    available = serializers.IntegerField()
    pinning = serializers.CharField(label="接诊机构转诊精确到")


# -- rules and paths -----------------------------------------------------------------------------
class ReferralRuleSerializer(ResourceSerializer):
    institution = _institution_field(required=False, allow_null=True)
    institution_name = serializers.CharField(
        source="institution.name", label="机构名称", read_only=True, allow_null=True
    )
    severity_display = serializers.CharField(source="get_severity_display", label="转诊级别名称", read_only=True)
    status_display = serializers.CharField(source="get_status_display", label="状态名称", read_only=True)
    condition = serializers.JSONField(label="触发条件")

    class Meta:
        model = models.ReferralRule
        fields = [
            "id", "institution", "institution_name", "code", "version", "name", "severity", "severity_display",
            "condition", "reason", "source", "effective_from", "effective_to", "status", "status_display", "sort",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]


class VisitVitalsSerializer(serializers.Serializer[Any]):
    sbp = serializers.FloatField(label="收缩压 mmHg", required=False, allow_null=True)
    dbp = serializers.FloatField(label="舒张压 mmHg", required=False, allow_null=True)
    hr = serializers.FloatField(label="心率 次/分", required=False, allow_null=True)
    rr = serializers.FloatField(label="呼吸 次/分", required=False, allow_null=True)
    spo2 = serializers.FloatField(label="血氧饱和度 %", required=False, allow_null=True)
    temperature = serializers.FloatField(label="体温 ℃", required=False, allow_null=True)
    consciousness = serializers.ChoiceField(
        label="意识状态",
        choices=[
            ("alert", "清醒"),
            ("changed", "意识改变"),
            ("confused", "意识模糊"),
            ("drowsy", "嗜睡"),
            ("coma", "昏迷"),
        ],
        required=False,
        allow_null=True,
    )


class VisitSerializer(serializers.Serializer[Any]):
    """就诊数据 for 转诊评估 (the HIS or the console sends it; nothing is stored)."""

    diagnosis_codes = serializers.ListField(
        child=serializers.CharField(max_length=20), label="诊断编码（ICD-10）", required=False
    )
    age = serializers.FloatField(label="年龄", required=False, allow_null=True, min_value=0, max_value=150)
    vitals = VisitVitalsSerializer(label="生命体征", required=False)
    labs = serializers.DictField(child=serializers.FloatField(), label="检验结果（编码→数值）", required=False)
    symptoms = serializers.ListField(child=serializers.CharField(max_length=50), label="症状", required=False)
    flags = serializers.ListField(
        child=serializers.CharField(max_length=50),
        label="情况标记",
        required=False,
        help_text="pregnant 妊娠期, lactating 哺乳期, adr_uncontrolled 药物不良反应难以控制, new_complication 新发并发症, complication_worse 并发症加重",
    )
    previous_control = serializers.ChoiceField(
        label="上次随访分类",
        choices=[
            ("controlled", "控制满意"),
            ("uncontrolled", "控制不满意"),
            ("adverse_reaction", "不良反应"),
            ("complication", "并发症"),
        ],
        required=False,
        allow_null=True,
    )


class RuleEvaluateSerializer(serializers.Serializer[Any]):
    institution = serializers.IntegerField(
        label="评估机构", required=False, help_text="默认为当前用户（或接口客户端）所属机构"
    )
    date = serializers.DateField(label="评估日期", required=False, help_text="默认今天，按规则生效日期选择版本")
    visit = VisitSerializer(label="就诊数据")


class MatchedRuleSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    version = serializers.IntegerField()
    name = serializers.CharField()
    severity = serializers.CharField()
    severity_label = serializers.CharField()
    reason = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]  # DRF pops declared fields
    evidence = serializers.ListField(child=serializers.CharField())
    institution_rule = serializers.BooleanField(help_text="是否为本机构自定义规则")


class RuleEvaluationSerializer(serializers.Serializer[Any]):
    refer = serializers.BooleanField(label="建议转诊")
    severity = serializers.CharField(allow_null=True, label="最高转诊级别")
    severity_label = serializers.CharField(allow_blank=True)
    date = serializers.DateField()
    rules_evaluated = serializers.IntegerField()
    matched = MatchedRuleSerializer(many=True)


class ReferralPathSerializer(ResourceSerializer):
    institution = _institution_field("转出机构")
    target_institution = ScopedRelatedField(label="推荐接诊机构", queryset=Institution.objects.all(), scoped=False)
    target_department = ScopedRelatedField(
        label="推荐接诊科室", queryset=Department.objects.all(), scoped=False, required=False, allow_null=True
    )
    institution_name = serializers.CharField(source="institution.name", label="转出机构名称", read_only=True)
    target_institution_name = serializers.CharField(
        source="target_institution.name", label="推荐接诊机构名称", read_only=True
    )
    target_department_name = serializers.CharField(
        source="target_department.name", label="推荐接诊科室名称", read_only=True, allow_null=True
    )

    class Meta:
        model = models.ReferralPath
        fields = [
            "id", "institution", "institution_name", "diagnosis_code", "diagnosis_name", "department_code",
            "target_institution", "target_institution_name", "target_department", "target_department_name",
            "priority", "is_active", "remark", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        institution = attrs.get("institution") or getattr(self.instance, "institution", None)
        target = attrs.get("target_institution") or getattr(self.instance, "target_institution", None)
        if institution is not None and target is not None and target.community_id != institution.community_id:
            raise serializers.ValidationError({"target_institution": "推荐接诊机构须属于同一医共体。"})
        return attrs


class PathRecommendationSerializer(serializers.Serializer[Any]):
    rank = serializers.IntegerField()
    path_id = serializers.IntegerField()
    match = serializers.ChoiceField(choices=["exact", "prefix", "department"])
    match_label = serializers.CharField()
    diagnosis_code = serializers.CharField(allow_blank=True)
    diagnosis_name = serializers.CharField(allow_blank=True)
    department_code = serializers.CharField(allow_blank=True)
    target_institution = serializers.IntegerField()
    target_institution_name = serializers.CharField()
    target_department = serializers.IntegerField(allow_null=True)
    target_department_name = serializers.CharField(allow_blank=True)
    priority = serializers.IntegerField()
    free_slots = serializers.IntegerField()
    remark = serializers.CharField(allow_blank=True)
