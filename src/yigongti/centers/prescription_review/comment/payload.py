"""The upload format of a finished visit (数据上报, guide §3.6.4.1) and its validation.

One JSON object per visit (the API body, one line of a JSON-lines batch); the Excel batch has one row
per prescription item, grouped by 就诊ID (``flat_rows_to_payloads``). Field names are documented in
``docs/centers/prescription-review.md`` (点评与监管 › 数据上报).
"""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from yigongti.centers.prescription_review.comment.choices import VisitType
from yigongti.core.validators import normalize_id_number


class AllergyIn(serializers.Serializer[Any]):
    code = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class PatientIn(serializers.Serializer[Any]):
    patient_id = serializers.CharField(label="院内患者ID", max_length=64)
    name = serializers.CharField(label="姓名", max_length=50, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(label="身份证号", max_length=18, required=False, allow_blank=True, default="")
    phone = serializers.CharField(label="联系电话", max_length=20, required=False, allow_blank=True, default="")
    sex = serializers.ChoiceField(label="性别", choices=["0", "1", "2", "9"], required=False, default="0")
    birth_date = serializers.DateField(label="出生日期", required=False, allow_null=True, default=None)
    age_days = serializers.IntegerField(label="年龄（天）", min_value=0, required=False, allow_null=True, default=None)
    height_cm = serializers.DecimalField(max_digits=5, decimal_places=1, required=False, allow_null=True, default=None)
    weight_kg = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True, default=None)
    pregnant = serializers.BooleanField(required=False, default=False)
    lactating = serializers.BooleanField(required=False, default=False)
    allergies = AllergyIn(many=True, required=False, default=list)

    def validate_id_number(self, value: str) -> str:
        if value:
            try:
                return normalize_id_number(value)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.messages) from exc
        return value


class RecordIn(serializers.Serializer[Any]):
    chief_complaint = serializers.CharField(required=False, allow_blank=True, default="")
    present_illness = serializers.CharField(required=False, allow_blank=True, default="")
    past_history = serializers.CharField(required=False, allow_blank=True, default="")


class DiagnosisIn(serializers.Serializer[Any]):
    code = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    name = serializers.CharField(max_length=200)
    kind = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class ItemIn(serializers.Serializer[Any]):
    order_id = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    drug_code = serializers.CharField(label="药品编码", max_length=64)
    drug_name = serializers.CharField(label="药品名称", max_length=200)
    generic_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    spec = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    dose = serializers.DecimalField(max_digits=12, decimal_places=4, required=False, allow_null=True, default=None)
    dose_unit = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    frequency = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    route = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    days = serializers.IntegerField(min_value=0, max_value=3650, required=False, allow_null=True, default=None)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True, default=None)
    quantity_unit = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal(0), required=False, default=Decimal(0)
    )
    group_no = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")
    solvent_ml = serializers.DecimalField(max_digits=8, decimal_places=1, required=False, allow_null=True, default=None)
    antibiotic = serializers.BooleanField(label="抗菌药物", required=False, default=False)
    essential = serializers.BooleanField(label="基本药物", required=False, default=False)
    injection = serializers.BooleanField(label="注射剂", required=False, default=False)
    ppi = serializers.BooleanField(label="质子泵抑制剂", required=False, default=False)


class PrescriptionIn(serializers.Serializer[Any]):
    prescription_id = serializers.CharField(label="处方ID", max_length=64)
    kind = serializers.ChoiceField(choices=VisitType.choices, required=False, allow_null=True, default=None)
    prescribed_at = serializers.DateTimeField(label="开具时间")
    department_code = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    department_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    doctor_code = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    doctor_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    long_supply_reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    items = ItemIn(many=True, allow_empty=False)

    def validate_items(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if len(items) > 200:
            raise serializers.ValidationError("单张处方最多 200 条明细。")
        return items


class LabResultIn(serializers.Serializer[Any]):
    code = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    name = serializers.CharField(max_length=100)
    value = serializers.CharField(max_length=64)
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    reference_range = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    time = serializers.DateTimeField(required=False, allow_null=True, default=None)


class LabIn(serializers.Serializer[Any]):
    report_id = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    name = serializers.CharField(max_length=200)
    ordered_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    reported_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    results = LabResultIn(many=True, required=False, default=list)


class ExamIn(serializers.Serializer[Any]):
    exam_id = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    name = serializers.CharField(max_length=200)
    exam_time = serializers.DateTimeField(required=False, allow_null=True, default=None)
    findings = serializers.CharField(required=False, allow_blank=True, default="")
    conclusion = serializers.CharField(required=False, allow_blank=True, default="")


class VisitIn(serializers.Serializer[Any]):
    visit_id = serializers.CharField(label="就诊ID", max_length=64)
    visit_type = serializers.ChoiceField(label="就诊类型", choices=VisitType.choices)
    visit_time = serializers.DateTimeField(label="就诊时间")
    discharge_time = serializers.DateTimeField(required=False, allow_null=True, default=None)
    department_code = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    department_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    doctor_code = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    doctor_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    patient = PatientIn()
    record = RecordIn(required=False, default=dict)
    diagnoses = DiagnosisIn(many=True, required=False, default=list)
    prescriptions = PrescriptionIn(many=True, required=False, default=list)
    labs = LabIn(many=True, required=False, default=list)
    exams = ExamIn(many=True, required=False, default=list)

    def validate_prescriptions(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ids = [p["prescription_id"] for p in value]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError("同一次就诊中处方ID重复。")
        return value


# -- Excel batch: one row per prescription item ---------------------------------------------------
FLAT_COLUMNS: list[tuple[str, str]] = [
    ("visit_id", "就诊ID"),
    ("visit_type", "就诊类型"),
    ("visit_time", "就诊时间"),
    ("department_code", "科室编码"),
    ("department_name", "科室名称"),
    ("doctor_code", "医生工号"),
    ("doctor_name", "医生姓名"),
    ("patient_id", "院内患者ID"),
    ("patient_name", "患者姓名"),
    ("id_number", "身份证号"),
    ("sex", "性别"),
    ("age_days", "年龄（天）"),
    ("weight_kg", "体重(kg)"),
    ("diagnoses", "诊断（编码:名称，顿号分隔）"),
    ("chief_complaint", "主诉"),
    ("prescription_id", "处方ID"),
    ("prescribed_at", "开具时间"),
    ("drug_code", "药品编码"),
    ("drug_name", "药品名称"),
    ("generic_name", "通用名"),
    ("spec", "规格"),
    ("dose", "单次剂量"),
    ("dose_unit", "剂量单位"),
    ("frequency", "频次"),
    ("route", "给药途径"),
    ("days", "天数"),
    ("quantity", "数量"),
    ("amount", "金额"),
    ("antibiotic", "抗菌药物(是/否)"),
    ("essential", "基本药物(是/否)"),
    ("injection", "注射剂(是/否)"),
    ("ppi", "质子泵抑制剂(是/否)"),
]
VISIT_KEYS = (
    "visit_id",
    "visit_type",
    "visit_time",
    "department_code",
    "department_name",
    "doctor_code",
    "doctor_name",
)
ITEM_KEYS = (
    "drug_code",
    "drug_name",
    "generic_name",
    "spec",
    "dose",
    "dose_unit",
    "frequency",
    "route",
    "days",
    "quantity",
    "amount",
    "antibiotic",
    "essential",
    "injection",
    "ppi",
)
_YES = {"是", "1", "true", "True", "Y", "y", "yes"}


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip()
    return value


def flat_rows_to_payloads(rows: list[tuple[int, dict[str, Any]]]) -> list[tuple[list[int], dict[str, Any]]]:
    """Group spreadsheet rows (row number, {column: value}) into one visit payload per 就诊ID."""
    visits: OrderedDict[str, tuple[list[int], dict[str, Any]]] = OrderedDict()
    for number, row in rows:
        row = {k: _cell(v) for k, v in row.items()}
        visit_id = str(row.get("visit_id") or "")
        numbers, payload = visits.setdefault(
            visit_id,
            (
                [],
                {
                    **{k: row.get(k) if row.get(k) is not None else "" for k in VISIT_KEYS},
                    "patient": {
                        "patient_id": str(row.get("patient_id") or ""),
                        "name": row.get("patient_name") or "",
                        "id_number": str(row.get("id_number") or ""),
                        "sex": str(row.get("sex") or "0"),
                        "age_days": row.get("age_days"),
                        "weight_kg": row.get("weight_kg"),
                    },
                    "record": {"chief_complaint": row.get("chief_complaint") or ""},
                    "diagnoses": _diagnoses(row.get("diagnoses")),
                    "prescriptions": [],
                },
            ),
        )
        numbers.append(number)
        rx_id = str(row.get("prescription_id") or "")
        found = next((p for p in payload["prescriptions"] if p["prescription_id"] == rx_id), None)
        if found is None:
            found = {
                "prescription_id": rx_id,
                "prescribed_at": row.get("prescribed_at"),
                "department_code": payload["department_code"],
                "department_name": payload["department_name"],
                "doctor_code": payload["doctor_code"],
                "doctor_name": payload["doctor_name"],
                "items": [],
            }
            payload["prescriptions"].append(found)
        item: dict[str, Any] = {}
        for key in ITEM_KEYS:
            value = row.get(key)
            if key in {"antibiotic", "essential", "injection", "ppi"}:
                item[key] = str(value) in _YES if value is not None else False
            elif value is not None and value != "":
                item[key] = str(value) if key in {"drug_code", "frequency", "route", "spec"} else value
        found["items"].append(item)
    return list(visits.values())


def _diagnoses(cell: Any) -> list[dict[str, str]]:
    out = []
    for part in str(cell or "").replace(",", "、").split("、"):
        part = part.strip()
        if not part:
            continue
        code, _, name = part.partition(":")
        out.append({"code": code.strip(), "name": (name or code).strip()} if name else {"code": "", "name": code})
    return out
