"""Request data and effects of the referral transitions (declared in ``flows.py``).

Each effect runs inside ``workflow_transition``'s transaction, after every check passed, so a
slot taken at submission and the state change commit or roll back together (REF-16).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from yigongti.centers.referral import bridge
from yigongti.centers.referral.choices import Direction, Kind
from yigongti.core.api.serializers import ScopedRelatedField
from yigongti.core.errors import BusinessError
from yigongti.platform.accounts.models import User
from yigongti.platform.org.models import Bed, Department


def _belongs(value: Any, institution_id: int, field: str, label: str) -> None:
    if value is not None and value.institution_id != institution_id:
        raise serializers.ValidationError({field: [f"{label}必须属于接诊机构。"]})


# -- submit: optional booking ----------------------------------------------------------------
class ReferralOnlineBookingSerializer(serializers.Serializer[Any]):
    department = ScopedRelatedField(label="预约科室", queryset=Department.objects.all(), scoped=False)
    doctor = ScopedRelatedField(
        label="预约医生", queryset=User.objects.all(), scoped=False, required=False, allow_null=True
    )
    start = serializers.DateTimeField(label="就诊时间")


class ReferralSubmitDataSerializer(serializers.Serializer[Any]):
    """配额模式: ``slot`` (a published referral slot of the receiving institution);
    在线预约模式: ``online`` (placed through the institution's booking interface)."""

    slot = serializers.IntegerField(label="号源", required=False, allow_null=True, min_value=1)
    online = ReferralOnlineBookingSerializer(label="在线预约", required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        obj = self.context["object"]
        if attrs.get("slot") and attrs.get("online"):
            raise serializers.ValidationError({"slot": ["号源预约与在线预约只能选择一种。"]})
        online = attrs.get("online")
        if online:
            _belongs(online["department"], obj.to_institution_id, "online", "预约科室")
            doctor = online.get("doctor")
            if doctor is not None and doctor.institution_id != obj.to_institution_id:
                raise serializers.ValidationError({"online": ["预约医生必须属于接诊机构。"]})
            if online["start"] <= timezone.now():
                raise serializers.ValidationError({"online": ["预约就诊时间必须晚于当前时间。"]})
        return attrs


def submit_booking(obj: Any, data: dict[str, Any], actor: Any) -> list[str]:
    """Take the chosen slot (atomic conditional update by the config app) or place the online
    booking; a full, closed or past slot refuses the submission and nothing is written."""
    changed: list[str] = []
    if data.get("slot"):
        if obj.slot_id:
            raise BusinessError("REFERRAL_SLOT_HELD", "该转诊单已占用号源，不能重复预约。")
        slot = bridge.take_slot(slot_id=data["slot"], kind=obj.kind, to_institution_id=obj.to_institution_id)
        obj.slot = slot
        changed.append("slot")
        if obj.to_department_id is None:
            obj.to_department_id = slot.department_id
            changed.append("to_department")
        if obj.to_doctor_id is None and slot.doctor_id is not None:
            obj.to_doctor_id = slot.doctor_id
            changed.append("to_doctor")
        obj.planned_at = timezone.make_aware(dt.datetime.combine(slot.date, slot.start_time))
        changed.append("planned_at")
    elif data.get("online"):
        online = data["online"]
        doctor = online.get("doctor")
        obj.booking_ref = bridge.place_online(
            institution_id=obj.to_institution_id,
            department_id=online["department"].pk,
            doctor_id=doctor.pk if doctor is not None else None,
            start=online["start"],
            patient_name=obj.patient_name,
            referral_number=obj.number,
        )
        obj.planned_at = online["start"]
        obj.to_department = online["department"]
        changed += ["booking_ref", "planned_at", "to_department"]
        if doctor is not None:
            obj.to_doctor = doctor
            changed.append("to_doctor")
    return changed


# -- release on refusal, rejection, cancellation, no-show ---------------------------------------
class ReferralReleaseDataSerializer(serializers.Serializer[Any]):
    """No input: the transition releases the slot or online booking the referral holds."""


def release_booking(obj: Any, data: dict[str, Any], actor: Any) -> list[str]:
    changed: list[str] = []
    if obj.slot_id:
        bridge.release_slot(slot_id=obj.slot_id)
        obj.slot = None
        changed.append("slot")
    if obj.booking_ref:
        bridge.cancel_online(institution_id=obj.to_institution_id, booking_ref=obj.booking_ref)
        obj.booking_ref = ""
        changed.append("booking_ref")
    return changed


# -- arrange (REF-07) --------------------------------------------------------------------------
class ReferralArrangementSerializer(serializers.Serializer[Any]):
    planned_at = serializers.DateTimeField(
        label="计划就诊时间", required=False, allow_null=True, help_text="已预约号源时默认为号源时间"
    )
    department = ScopedRelatedField(label="接诊科室", queryset=Department.objects.all())
    doctor = ScopedRelatedField(label="接诊医生", queryset=User.objects.all(), required=False, allow_null=True)
    bed = ScopedRelatedField(
        label="床位", queryset=Bed.objects.all(), required=False, allow_null=True, lookup_fields=()
    )
    note = serializers.CharField(label="安排说明", required=False, allow_blank=True, max_length=500)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        obj = self.context["object"]
        to_id = obj.to_institution_id
        _belongs(attrs["department"], to_id, "department", "接诊科室")
        doctor = attrs.get("doctor")
        if doctor is not None and doctor.institution_id != to_id:
            raise serializers.ValidationError({"doctor": ["接诊医生必须属于接诊机构。"]})
        bed = attrs.get("bed")
        _belongs(bed, to_id, "bed", "床位")
        if bed is not None and bed.status not in ("free", "reserved"):
            raise serializers.ValidationError(
                {"bed": [f"床位 {bed.code} 当前为“{bed.get_status_display()}”，不能安排。"]}
            )
        if obj.kind == Kind.INPATIENT and bed is None:
            raise serializers.ValidationError({"bed": ["住院转诊请安排床位。"]})
        planned = attrs.get("planned_at") or obj.planned_at
        if planned is None:
            raise serializers.ValidationError({"planned_at": ["请填写计划就诊时间。"]})
        if planned <= timezone.now():
            raise serializers.ValidationError({"planned_at": ["计划就诊时间必须晚于当前时间。"]})
        attrs["planned_at"] = planned
        return attrs


def apply_arrangement(obj: Any, data: dict[str, Any], actor: Any) -> list[str]:
    obj.planned_at = data["planned_at"]
    obj.arranged_department = data["department"]
    obj.arranged_doctor = data.get("doctor")
    obj.arranged_bed = data.get("bed")
    obj.arrangement_note = data.get("note", "")
    return ["planned_at", "arranged_department", "arranged_doctor", "arranged_bed", "arrangement_note"]


class ReferralRefusalSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(label="拒收原因", max_length=1000)


def record_refusal(obj: Any, data: dict[str, Any], actor: Any) -> list[str]:
    obj.refuse_reason = data["reason"].strip()
    return ["refuse_reason", *release_booking(obj, data, actor)]


# -- receive (REF-08) --------------------------------------------------------------------------
class ReferralReceptionSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(label="接诊记录", required=False, allow_blank=True, max_length=1000)


def apply_reception(obj: Any, data: dict[str, Any], actor: Any) -> list[str]:
    obj.reception_note = data.get("note", "")
    changed = ["reception_note"]
    if obj.to_doctor_id is None and getattr(actor, "pk", None) is not None:
        obj.to_doctor_id = actor.pk
        changed.append("to_doctor")
    return changed


# -- feedback (REF-09): the form depends on direction and kind ----------------------------------
RECOVERY_CHOICES = [
    ("good", "恢复良好"),
    ("improving", "好转"),
    ("stable", "稳定"),
    ("worse", "加重"),
]

# Required fields per form. Up-referral: the hospital reports diagnosis and treatment back to the
# township; down-referral: the community reports rehabilitation (到位、康复、健康状况、阶段结果).
FEEDBACK_FORMS: dict[tuple[str, str], tuple[str, ...]] = {
    (Direction.UP, Kind.OUTPATIENT): ("diagnosis_name", "result", "advice"),
    (Direction.UP, Kind.INPATIENT): ("diagnosis_name", "admitted_at", "discharge_summary", "advice"),
    (Direction.UP, Kind.EXAM): ("exam_findings", "exam_conclusion"),
    (Direction.DOWN, Kind.OUTPATIENT): ("arrived", "recovery", "health_status"),
    (Direction.DOWN, Kind.INPATIENT): ("arrived", "recovery", "health_status"),
    (Direction.DOWN, Kind.EXAM): ("arrived", "health_status"),
}


def feedback_form(direction: str, kind: str) -> tuple[str, ...]:
    return FEEDBACK_FORMS[(direction, kind)]


class ReferralFeedbackSerializer(serializers.Serializer[Any]):
    """反馈: which fields are required follows ``FEEDBACK_FORMS`` for the referral's direction and kind."""

    # up-referral (上级医院反馈)
    diagnosis_code = serializers.CharField(label="出院/确诊诊断编码", required=False, allow_blank=True, max_length=20)
    diagnosis_name = serializers.CharField(label="确诊诊断", required=False, allow_blank=True, max_length=200)
    result = serializers.CharField(label="诊疗结果", required=False, allow_blank=True, max_length=2000)
    admitted_at = serializers.DateField(label="入院日期", required=False, allow_null=True)
    discharged_at = serializers.DateField(label="出院日期", required=False, allow_null=True)
    discharge_summary = serializers.CharField(label="出院小结", required=False, allow_blank=True, max_length=4000)
    exam_findings = serializers.CharField(label="检查所见", required=False, allow_blank=True, max_length=4000)
    exam_conclusion = serializers.CharField(label="检查结论", required=False, allow_blank=True, max_length=2000)
    advice = serializers.CharField(label="后续治疗与康复建议", required=False, allow_blank=True, max_length=2000)
    # down-referral (社区康复反馈)
    arrived = serializers.BooleanField(label="患者已到位", required=False, allow_null=True, default=None)
    arrived_at = serializers.DateTimeField(label="到位时间", required=False, allow_null=True)
    recovery = serializers.ChoiceField(label="康复情况", choices=RECOVERY_CHOICES, required=False, allow_blank=True)
    health_status = serializers.CharField(label="健康状况", required=False, allow_blank=True, max_length=2000)
    stage = serializers.CharField(label="阶段", required=False, allow_blank=True, max_length=50)
    stage_result = serializers.CharField(label="阶段康复结果", required=False, allow_blank=True, max_length=2000)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        obj = self.context["object"]
        missing = {
            name: ["该项为必填项。"] for name in feedback_form(obj.direction, obj.kind) if attrs.get(name) in (None, "")
        }
        if missing:
            raise serializers.ValidationError(missing)
        if attrs.get("admitted_at") and attrs.get("discharged_at") and attrs["discharged_at"] < attrs["admitted_at"]:
            raise serializers.ValidationError({"discharged_at": ["出院日期不能早于入院日期。"]})
        return {k: v for k, v in attrs.items() if v not in (None, "")}


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def apply_feedback(obj: Any, data: dict[str, Any], actor: Any) -> list[str]:
    """Each feedback is one entry (staged results of a down-referral add entries)."""
    entries = list((obj.feedback or {}).get("entries", []))
    entry = {k: _json(v) for k, v in data.items()}
    entry["at"] = timezone.now().isoformat()
    entry["by"] = getattr(actor, "name", "") or "系统"
    entries.append(entry)
    obj.feedback = {"form": f"{obj.direction}_{obj.kind}", "entries": entries}
    return ["feedback"]
