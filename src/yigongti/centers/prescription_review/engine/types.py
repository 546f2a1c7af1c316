"""Input and result types of the review engine (shared design of the prescription-review center)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Prescription kinds (《处方管理办法》 第五条 / 处方审核规范 2018 scope).
KIND_OUTPATIENT = "outpatient"
KIND_EMERGENCY = "emergency"
KIND_INPATIENT = "inpatient"
KIND_DISCHARGE = "discharge"
KINDS = (KIND_OUTPATIENT, KIND_EMERGENCY, KIND_INPATIENT, KIND_DISCHARGE)

# Verdicts.
VERDICT_PASS = "pass"  # 通过
VERDICT_INFORM = "inform"  # 通过但提示医生
VERDICT_DOUBLE_SIGN = "double_sign"  # 医生双签可放行
VERDICT_REVIEW = "review"  # 转药师审核
VERDICT_INTERCEPT = "intercept"  # 自动拦截
VERDICTS = (VERDICT_PASS, VERDICT_INFORM, VERDICT_DOUBLE_SIGN, VERDICT_REVIEW, VERDICT_INTERCEPT)


@dataclass(slots=True)
class Allergy:
    """An allergy: a drug or allergy-class code when the HIS coded it, and/or free text."""

    code: str = ""
    text: str = ""


@dataclass(slots=True)
class PatientInfo:
    age_days: int | None = None
    sex: str = "U"  # "M" / "F" / "U"
    age_text: str = ""  # age as written on the prescription ("3月", "18天", "45岁")
    height_cm: float | None = None
    weight_kg: float | None = None
    pregnant: bool = False
    lactating: bool = False
    allergies: list[Allergy] = field(default_factory=list)
    history: list[str] = field(default_factory=list)  # ICD-10 codes or text of past diseases
    egfr: float | None = None  # ml/min/1.73m²
    crcl: float | None = None  # ml/min
    serum_creatinine_umol_l: float | None = None
    child_pugh: str = ""  # "" / "A" / "B" / "C"

    @property
    def age_years(self) -> float | None:
        return None if self.age_days is None else self.age_days / 365.25


@dataclass(slots=True)
class MedicalRecord:
    chief_complaint: str = ""  # 主诉
    present_illness: str = ""  # 现病史
    past_history: str = ""  # 既往史


@dataclass(slots=True)
class Diagnosis:
    code: str
    name: str = ""


@dataclass(slots=True)
class PrescriptionMeta:
    kind: str = KIND_OUTPATIENT
    prescriber_id: str = ""
    prescriber_name: str = ""
    antibiotic_level: int = 0  # 0 无 / 1 非限制 / 2 限制 / 3 特殊使用级 处方权
    narcotic_privilege: bool = False  # 麻醉药品和第一类精神药品处方权
    department_code: str = ""
    department_name: str = ""
    long_supply_reason: str = ""  # 延长处方用量的理由
    over_dose_reason: str = ""  # 超剂量使用的理由 (医师再次签名)
    prescribed_at: datetime | None = None


@dataclass(slots=True)
class PrescriptionItem:
    drug_code: str
    name: str = ""
    dose: float | None = None  # single dose
    unit: str = ""
    frequency: str = ""
    route: str = ""
    days: int | None = None
    quantity: float | None = None
    quantity_unit: str = ""
    group: str = ""  # 组号 of an infusion
    solvent_volume_ml: float | None = None
    usage_text: str = ""  # 用法 as free text (to detect "遵医嘱")
    skin_test: str = ""  # "" 未注明 / "negative" / "positive" / "exempt" (续用免试)


@dataclass(slots=True)
class LabResult:
    code: str
    name: str = ""
    value: float | None = None
    unit: str = ""
    time: datetime | None = None
    text: str = ""


@dataclass(slots=True)
class ExamResult:
    name: str
    result: str = ""


@dataclass(slots=True)
class PrescriptionInput:
    patient: PatientInfo = field(default_factory=PatientInfo)
    record: MedicalRecord = field(default_factory=MedicalRecord)
    diagnoses: list[Diagnosis] = field(default_factory=list)
    prescription: PrescriptionMeta = field(default_factory=PrescriptionMeta)
    items: list[PrescriptionItem] = field(default_factory=list)
    labs: list[LabResult] = field(default_factory=list)
    exams: list[ExamResult] = field(default_factory=list)
    prescription_id: str = ""


@dataclass(slots=True)
class Finding:
    check_type: str  # code of engine.checktypes, e.g. "interaction"
    severity: str  # code on the ordered scale, e.g. "contraindicated"
    message: str  # Chinese, shown to doctor and pharmacist
    drug_codes: tuple[str, ...] = ()
    source: str = ""  # citation
    diagnosis_codes: tuple[str, ...] = ()
    lab_codes: tuple[str, ...] = ()
    allergy: str = ""
    patient_data: dict[str, Any] = field(default_factory=dict)
    rule_id: str = ""
    item_indexes: tuple[int, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "check_type": self.check_type,
            "severity": self.severity,
            "message": self.message,
            "drug_codes": list(self.drug_codes),
            "source": self.source,
            "diagnosis_codes": list(self.diagnosis_codes),
            "lab_codes": list(self.lab_codes),
            "allergy": self.allergy,
            "patient_data": dict(self.patient_data),
            "rule_id": self.rule_id,
            "item_indexes": list(self.item_indexes),
        }


@dataclass(slots=True)
class CheckResult:
    findings: list[Finding]
    max_severity: str | None
    verdict: str  # one of VERDICTS
    elapsed_us: int
    kb_version: str
    config_version: str = ""
    severity_names: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "findings": [f.as_dict() for f in self.findings],
            "max_severity": self.max_severity,
            "verdict": self.verdict,
            "elapsed_us": self.elapsed_us,
            "kb_version": self.kb_version,
            "config_version": self.config_version,
            "severity_names": dict(self.severity_names),
        }
