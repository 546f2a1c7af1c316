"""Request and response shapes of the HIS interface (hospital systems, OAuth2 clients)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from yigongti.centers.referral.choices import Direction, Kind, Urgency
from yigongti.centers.referral.models import Referral
from yigongti.platform.org.models import Department, Institution

# REF-19 首诊信息包 sections a hospital system may push (``basic`` is always taken from the
# resident file, never from the HIS).
PACKAGE_SECTIONS = {
    "summary": "病历摘要",
    "opinion": "初诊意见",
    "treatment": "治疗情况",
    "visit": "就诊摘要",
    "outpatient": "门诊记录",
    "inpatient": "住院记录",
    "surgery": "手术记录",
    "medication": "用药记录",
    "lab": "检验报告",
    "exam": "检查报告",
    "public_health": "公卫记录",
    "images": "影像",
    "attachments": "附件",
}


def _check_sections(value: dict[str, Any]) -> None:
    unknown = sorted(set(value) - set(PACKAGE_SECTIONS))
    if unknown:
        raise serializers.ValidationError(
            f"未知的资料分类：{'、'.join(unknown)}（可选：{'、'.join(PACKAGE_SECTIONS)}）。"
        )


class HisPatientSerializer(serializers.Serializer[Any]):
    """患者：经主索引（MPI）匹配或建档。"""

    name = serializers.CharField(label="姓名", max_length=50)
    id_number = serializers.CharField(label="身份证号", max_length=18, required=False, allow_blank=True)
    sex = serializers.ChoiceField(label="性别（GB/T 2261.1）", choices=["0", "1", "2", "9"], required=False)
    birth_date = serializers.DateField(label="出生日期", required=False, allow_null=True)
    phone = serializers.CharField(label="手机号", max_length=20, required=False, allow_blank=True)
    local_id = serializers.CharField(label="院内患者ID", max_length=64)
    division_code = serializers.CharField(label="住址行政区划（乡镇）", max_length=12, required=False, allow_blank=True)


class HisVisitSerializer(serializers.Serializer[Any]):
    """就诊摘要（HIS 预填）。"""

    visit_no = serializers.CharField(label="就诊号", max_length=64)
    visit_at = serializers.DateTimeField(label="就诊时间")
    department_name = serializers.CharField(label="就诊科室", max_length=100, required=False, allow_blank=True)
    chief_complaint = serializers.CharField(label="主诉", max_length=500, required=False, allow_blank=True)
    present_illness = serializers.CharField(label="现病史", max_length=4000, required=False, allow_blank=True)
    physical_exam = serializers.CharField(label="体格检查", max_length=4000, required=False, allow_blank=True)
    vital_signs = serializers.DictField(label="生命体征", required=False)


class HisReferralCreateSerializer(serializers.Serializer[Any]):
    external_key = serializers.CharField(
        label="幂等键", max_length=64, required=False, allow_blank=True, help_text="也可用请求头 Idempotency-Key"
    )
    patient = HisPatientSerializer(label="患者")
    doctor_code = serializers.CharField(label="申请医生工号", max_length=32)
    direction = serializers.ChoiceField(label="转诊方向", choices=Direction.choices)
    kind = serializers.ChoiceField(label="转诊类型", choices=Kind.choices, default=Kind.OUTPATIENT)
    urgency = serializers.ChoiceField(label="紧急程度", choices=Urgency.choices, default=Urgency.NORMAL)
    to_institution = serializers.PrimaryKeyRelatedField(label="转入机构", queryset=Institution.objects.all())
    to_department = serializers.PrimaryKeyRelatedField(
        label="转入科室", queryset=Department.objects.all(), required=False, allow_null=True
    )
    reason = serializers.CharField(label="转诊原因", max_length=2000)
    condition_summary = serializers.CharField(label="病情摘要", max_length=4000, required=False, allow_blank=True)
    diagnosis_code = serializers.CharField(
        label="初步诊断编码（ICD-10）", max_length=20, required=False, allow_blank=True
    )
    diagnosis_name = serializers.CharField(label="初步诊断", max_length=200)
    treatment = serializers.CharField(label="已行治疗", max_length=4000, required=False, allow_blank=True)
    visit = HisVisitSerializer(label="就诊摘要", required=False)
    package = serializers.DictField(label="首诊信息包", required=False, validators=[_check_sections])
    submit = serializers.BooleanField(label="创建后立即提交", default=True)
    slot = serializers.IntegerField(label="预约号源", required=False, allow_null=True, min_value=1)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("slot") and not attrs.get("submit", True):
            raise serializers.ValidationError({"slot": ["预约号源需在提交时占用，请同时提交（submit=true）。"]})
        return attrs


class HisPackagePushSerializer(serializers.Serializer[Any]):
    sections = serializers.DictField(label="资料分类 → 内容", validators=[_check_sections])


class HisSubmitSerializer(serializers.Serializer[Any]):
    slot = serializers.IntegerField(label="预约号源", required=False, allow_null=True, min_value=1)


class HisInstitutionSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class HisReferralSerializer(serializers.ModelSerializer[Referral]):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    from_institution = HisInstitutionSerializer(read_only=True)
    to_institution = HisInstitutionSerializer(read_only=True)
    to_department: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    arranged_department_name = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id", "number", "status", "status_label", "direction", "kind", "urgency", "external_key",
            "patient_name", "from_institution", "to_institution", "to_department", "slot", "booking_ref",
            "planned_at", "arranged_department_name", "refuse_reason", "submitted_at", "arranged_at",
            "received_at", "closed_at", "cancelled_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_arranged_department_name(self, obj: Referral) -> str:
        return obj.arranged_department.name if obj.arranged_department is not None else ""


class HisSlotSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    department = serializers.IntegerField(source="department_id")
    department_name = serializers.CharField(source="department.name")
    doctor = serializers.IntegerField(source="doctor_value", allow_null=True, help_text="仅“到医生”时给出")
    doctor_name = serializers.CharField(allow_null=True)
    date = serializers.DateField()
    period = serializers.CharField()
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    kind = serializers.CharField()
    capacity = serializers.IntegerField()
    available = serializers.IntegerField()


class HisBedSerializer(serializers.Serializer[Any]):
    department = serializers.IntegerField()
    department_name = serializers.CharField()
    total = serializers.IntegerField(help_text="在用床位")
    free = serializers.IntegerField(help_text="空床")
    referral_reserved = serializers.IntegerField(help_text="转诊预留且可用")


class HisWebhookSerializer(serializers.Serializer[Any]):
    url = serializers.URLField(label="回调地址", max_length=500)


class HisWebhookStateSerializer(serializers.Serializer[Any]):
    url = serializers.CharField()
    enabled = serializers.BooleanField()
    destination = serializers.CharField(help_text="外发目的地编码")
    signing_secret = serializers.CharField(required=False, help_text="签名密钥（HMAC-SHA256），仅登记时返回")
    signature_alg = serializers.CharField()
