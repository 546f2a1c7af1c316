"""The first-visit information package (首诊信息包, REF-19; guide §3.1.4.1).

Sections: 基本信息 (filled by the server from the resident file — the ID number and phone only
masked, never in clear), 病历摘要, 初诊意见, 治疗情况, and the 门诊/住院/手术/用药/检验/检查/公卫
records. Attachments and images are files of the referral (``platform/files``, owner type
``referral.referral``), not part of this JSON.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

LIST_LIMIT = 200


def _items(child: serializers.Serializer[Any], label: str) -> serializers.ListField:
    return serializers.ListField(child=child, label=label, required=False, max_length=LIST_LIMIT)


def _text(label: str, max_length: int = 2000) -> serializers.CharField:
    return serializers.CharField(label=label, required=False, allow_blank=True, max_length=max_length)


class RecordSummarySerializer(serializers.Serializer[Any]):
    chief_complaint = _text("主诉", 500)
    present_illness = _text("现病史")
    past_history = _text("既往史")
    allergy_history = _text("过敏史", 500)
    physical_exam = _text("体格检查")
    blood_type = serializers.ChoiceField(
        label="血型", choices=["A", "B", "O", "AB", "未知"], required=False, allow_blank=True
    )


class OutpatientItemSerializer(serializers.Serializer[Any]):
    visit_date = serializers.DateField(label="就诊日期")
    institution = _text("就诊机构", 100)
    department = _text("科室", 100)
    diagnosis = _text("诊断", 200)
    summary = _text("就诊摘要")


class InpatientItemSerializer(serializers.Serializer[Any]):
    admitted_at = serializers.DateField(label="入院日期")
    discharged_at = serializers.DateField(label="出院日期", required=False, allow_null=True)
    institution = _text("住院机构", 100)
    diagnosis = _text("出院诊断", 200)
    summary = _text("出院小结")


class SurgeryItemSerializer(serializers.Serializer[Any]):
    date = serializers.DateField(label="手术日期")
    name = serializers.CharField(label="手术名称", max_length=200)
    result = _text("手术情况", 1000)


class MedicationItemSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(label="药品名称", max_length=200)
    specification = _text("规格", 100)
    dosage = _text("单次剂量", 50)
    frequency = _text("频次", 50)
    route = _text("用法", 50)
    start_date = serializers.DateField(label="开始日期", required=False, allow_null=True)


class LabItemSerializer(serializers.Serializer[Any]):
    item = serializers.CharField(label="检验项目", max_length=100)
    result = serializers.CharField(label="结果", max_length=100)
    unit = _text("单位", 30)
    reference = _text("参考范围", 100)
    abnormal = serializers.ChoiceField(
        label="异常标识", choices=[("", "正常"), ("H", "偏高"), ("L", "偏低"), ("A", "异常")], required=False,
        allow_blank=True,
    )  # fmt: skip
    reported_at = serializers.DateTimeField(label="报告时间", required=False, allow_null=True)


class ExamItemSerializer(serializers.Serializer[Any]):
    item = serializers.CharField(label="检查项目", max_length=100)
    findings = _text("检查所见")
    conclusion = _text("检查结论", 1000)
    reported_at = serializers.DateTimeField(label="报告时间", required=False, allow_null=True)


class PublicHealthSerializer(serializers.Serializer[Any]):
    chronic_management = _text("慢病管理情况")
    followups = _text("近期随访", 1000)
    vaccinations = _text("预防接种", 1000)
    family_doctor = _text("家庭医生签约", 200)


class ReferralPackageSerializer(serializers.Serializer[Any]):
    record_summary = RecordSummarySerializer(label="病历摘要", required=False)
    initial_opinion = _text("初诊意见")
    treatment = _text("治疗情况")
    outpatient = _items(OutpatientItemSerializer(), "门诊记录")
    inpatient = _items(InpatientItemSerializer(), "住院记录")
    surgery = _items(SurgeryItemSerializer(), "手术记录")
    medication = _items(MedicationItemSerializer(), "用药记录")
    lab = _items(LabItemSerializer(), "检验记录")
    exam = _items(ExamItemSerializer(), "检查记录")
    public_health = PublicHealthSerializer(label="公卫记录", required=False)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict) and "basic" in data:
            data = {k: v for k, v in data.items() if k != "basic"}  # the server fills 基本信息
        value = super().to_internal_value(data)
        return _plain(value)


def _plain(value: Any) -> Any:
    """JSON-ready: dates and times as ISO text."""
    import datetime as dt

    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value
