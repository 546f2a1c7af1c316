"""HIS JSON → :class:`PrescriptionInput` (raises ``ValueError`` with a Chinese message)."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime

from yigongti.centers.prescription_review.engine.types import (
    KINDS,
    Allergy,
    Diagnosis,
    ExamResult,
    LabResult,
    MedicalRecord,
    PatientInfo,
    PrescriptionInput,
    PrescriptionItem,
    PrescriptionMeta,
)

SEX_MAP = {"m": "M", "male": "M", "男": "M", "1": "M", "f": "F", "female": "F", "女": "F", "2": "F"}
SKIN_TEST_MAP = {
    "": "",
    "negative": "negative",
    "阴性": "negative",
    "-": "negative",
    "positive": "positive",
    "阳性": "positive",
    "+": "positive",
    "exempt": "exempt",
    "免试": "exempt",
    "续用": "exempt",
}
CHILD_PUGH = {"", "A", "B", "C"}


def _obj(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"{where}应为对象")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{where}应为数组")
    return value


def _str(value: Any, where: str, *, max_len: int = 500) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"{where}应为字符串")
    text = str(value).strip()
    if len(text) > max_len:
        raise ValueError(f"{where}过长（最多{max_len}个字符）")
    return text


def _num(value: Any, where: str, *, minimum: float | None = 0.0) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{where}应为数字")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{where}应为数字") from None
    if math.isnan(number) or math.isinf(number):
        raise ValueError(f"{where}应为有限数字")
    if minimum is not None and number < minimum:
        raise ValueError(f"{where}不能小于{minimum:g}")
    return number


def _int(value: Any, where: str) -> int | None:
    number = _num(value, where)
    if number is None:
        return None
    if number != int(number):
        raise ValueError(f"{where}应为整数")
    return int(number)


def _bool(value: Any, where: str) -> bool:
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    if value in (0, 1, "0", "1"):
        return str(value) == "1"
    if isinstance(value, str) and value.lower() in ("true", "false", "是", "否"):
        return value.lower() in ("true", "是")
    raise ValueError(f"{where}应为布尔值")


def _dt(value: Any, where: str) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"{where}应为日期时间字符串")
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValueError(f"{where}格式不正确（应为ISO 8601日期时间）")
    return parsed


def _age_days(patient: dict[str, Any], prescribed_at: datetime | None) -> int | None:
    days = _int(patient.get("age_days"), "患者日龄(age_days)")
    if days is not None:
        return days
    months = _num(patient.get("age_months"), "患者月龄(age_months)")
    if months is not None:
        return int(months * 30.4375)
    years = _num(patient.get("age_years"), "患者年龄(age_years)")
    if years is not None:
        if years > 150:
            raise ValueError("患者年龄(age_years)不能超过150岁")
        return int(years * 365.25)
    birth = patient.get("birth_date")
    if birth:
        if not isinstance(birth, str):
            raise ValueError("出生日期(birth_date)应为日期字符串")
        try:
            born = parse_date(birth)
        except ValueError:
            born = None
        if born is None:
            raise ValueError("出生日期(birth_date)格式不正确（应为YYYY-MM-DD）")
        today = prescribed_at.date() if prescribed_at else date.today()
        if born > today:
            raise ValueError("出生日期(birth_date)不能晚于开方日期")
        return (today - born).days
    return None


def _patient(raw: dict[str, Any], prescribed_at: datetime | None) -> PatientInfo:
    sex_raw = _str(raw.get("sex"), "患者性别(sex)").lower()
    sex = SEX_MAP.get(sex_raw, "U") if sex_raw else "U"
    allergies: list[Allergy] = []
    for n, entry in enumerate(_list(raw.get("allergies"), "过敏史(allergies)"), start=1):
        if isinstance(entry, str):
            allergies.append(Allergy(text=_str(entry, f"第{n}条过敏史")))
        else:
            obj = _obj(entry, f"第{n}条过敏史")
            allergies.append(
                Allergy(
                    code=_str(obj.get("code"), f"第{n}条过敏史编码"),
                    text=_str(obj.get("text") or obj.get("name"), f"第{n}条过敏史"),
                )
            )
    history = [
        _str(h, f"第{n}条病史(history)") for n, h in enumerate(_list(raw.get("history"), "病史(history)"), start=1)
    ]
    child_pugh = _str(raw.get("child_pugh"), "Child-Pugh分级(child_pugh)").upper()
    if child_pugh not in CHILD_PUGH:
        raise ValueError("Child-Pugh分级(child_pugh)应为A、B或C")
    return PatientInfo(
        age_days=_age_days(raw, prescribed_at),
        sex=sex,
        age_text=_str(raw.get("age_text"), "年龄(age_text)", max_len=30),
        height_cm=_num(raw.get("height_cm"), "身高(height_cm)"),
        weight_kg=_num(raw.get("weight_kg"), "体重(weight_kg)"),
        pregnant=_bool(raw.get("pregnant"), "妊娠(pregnant)"),
        lactating=_bool(raw.get("lactating"), "哺乳(lactating)"),
        allergies=allergies,
        history=history,
        egfr=_num(raw.get("egfr"), "eGFR(egfr)"),
        crcl=_num(raw.get("crcl"), "肌酐清除率(crcl)"),
        serum_creatinine_umol_l=_num(raw.get("serum_creatinine"), "血肌酐(serum_creatinine)"),
        child_pugh=child_pugh,
    )


def _item(raw: Any, n: int) -> PrescriptionItem:
    obj = _obj(raw, f"第{n}条药品")
    code = _str(obj.get("drug_code"), f"第{n}条药品编码(drug_code)", max_len=64)
    if not code:
        raise ValueError(f"第{n}条药品缺少药品编码(drug_code)")
    skin = _str(obj.get("skin_test"), f"第{n}条药品皮试结果(skin_test)").lower()
    if skin not in SKIN_TEST_MAP:
        raise ValueError(f"第{n}条药品皮试结果(skin_test)应为negative、positive或exempt")
    return PrescriptionItem(
        drug_code=code,
        name=_str(obj.get("name"), f"第{n}条药品名称"),
        dose=_num(obj.get("dose"), f"第{n}条药品单次剂量(dose)"),
        unit=_str(obj.get("unit"), f"第{n}条药品剂量单位(unit)", max_len=20),
        frequency=_str(obj.get("frequency"), f"第{n}条药品频次(frequency)", max_len=30),
        route=_str(obj.get("route"), f"第{n}条药品给药途径(route)", max_len=30),
        days=_int(obj.get("days"), f"第{n}条药品天数(days)"),
        quantity=_num(obj.get("quantity"), f"第{n}条药品数量(quantity)"),
        quantity_unit=_str(obj.get("quantity_unit"), f"第{n}条药品数量单位", max_len=20),
        group=_str(obj.get("group"), f"第{n}条药品组号(group)", max_len=20),
        solvent_volume_ml=_num(obj.get("solvent_volume_ml"), f"第{n}条药品溶媒量(solvent_volume_ml)"),
        usage_text=_str(obj.get("usage_text"), f"第{n}条药品用法说明(usage_text)"),
        skin_test=SKIN_TEST_MAP[skin],
    )


def input_from_payload(payload: dict[str, Any]) -> PrescriptionInput:
    if not isinstance(payload, dict):
        raise ValueError("处方数据应为JSON对象")
    meta_raw = _obj(payload.get("prescription"), "处方信息(prescription)")
    prescribed_at = _dt(meta_raw.get("prescribed_at"), "开方时间(prescribed_at)")
    kind = _str(meta_raw.get("kind"), "处方类别(kind)") or "outpatient"
    if kind not in KINDS:
        raise ValueError("处方类别(kind)应为outpatient、emergency、inpatient或discharge")
    level = _int(meta_raw.get("antibiotic_level"), "抗菌药物处方权级别(antibiotic_level)") or 0
    if level > 3:
        raise ValueError("抗菌药物处方权级别(antibiotic_level)应为0-3")
    meta = PrescriptionMeta(
        kind=kind,
        prescriber_id=_str(meta_raw.get("prescriber_id"), "开方医师编码(prescriber_id)"),
        prescriber_name=_str(meta_raw.get("prescriber_name"), "开方医师姓名"),
        antibiotic_level=level,
        narcotic_privilege=_bool(meta_raw.get("narcotic_privilege"), "麻醉药品处方权(narcotic_privilege)"),
        department_code=_str(meta_raw.get("department_code"), "科室编码"),
        department_name=_str(meta_raw.get("department_name"), "科室名称"),
        long_supply_reason=_str(meta_raw.get("long_supply_reason"), "延长用量理由"),
        over_dose_reason=_str(meta_raw.get("over_dose_reason"), "超剂量理由"),
        prescribed_at=prescribed_at,
    )
    items_raw = _list(payload.get("items"), "药品明细(items)")
    if not items_raw:
        raise ValueError("处方至少应包含一条药品明细(items)")
    if len(items_raw) > 200:
        raise ValueError("药品明细(items)最多200条")
    record_raw = _obj(payload.get("record"), "病历(record)")
    diagnoses: list[Diagnosis] = []
    for n, d in enumerate(_list(payload.get("diagnoses"), "诊断(diagnoses)"), start=1):
        obj = _obj(d, f"第{n}条诊断")
        diagnoses.append(
            Diagnosis(
                code=_str(obj.get("code"), f"第{n}条诊断编码", max_len=20),
                name=_str(obj.get("name"), f"第{n}条诊断名称"),
            )
        )
    labs: list[LabResult] = []
    for n, lab in enumerate(_list(payload.get("labs"), "检验结果(labs)"), start=1):
        obj = _obj(lab, f"第{n}条检验结果")
        value = obj.get("value")
        labs.append(
            LabResult(
                code=_str(obj.get("code"), f"第{n}条检验项目编码", max_len=50),
                name=_str(obj.get("name"), f"第{n}条检验项目名称"),
                value=_num(value, f"第{n}条检验结果数值(value)", minimum=None),
                unit=_str(obj.get("unit"), f"第{n}条检验结果单位", max_len=30),
                time=_dt(obj.get("time"), f"第{n}条检验时间(time)"),
                text=_str(obj.get("text"), f"第{n}条检验结果描述"),
            )
        )
    exams = [
        ExamResult(
            name=_str(_obj(e, f"第{n}条检查").get("name"), f"第{n}条检查名称"),
            result=_str(_obj(e, f"第{n}条检查").get("result"), f"第{n}条检查结果", max_len=4000),
        )
        for n, e in enumerate(_list(payload.get("exams"), "检查(exams)"), start=1)
    ]
    return PrescriptionInput(
        patient=_patient(_obj(payload.get("patient"), "患者信息(patient)"), prescribed_at),
        record=MedicalRecord(
            chief_complaint=_str(record_raw.get("chief_complaint"), "主诉", max_len=4000),
            present_illness=_str(record_raw.get("present_illness"), "现病史", max_len=4000),
            past_history=_str(record_raw.get("past_history"), "既往史", max_len=4000),
        ),
        diagnoses=diagnoses,
        prescription=meta,
        items=[_item(raw, n) for n, raw in enumerate(items_raw, start=1)],
        labs=labs,
        exams=exams,
        prescription_id=_str(payload.get("prescription_id"), "处方号(prescription_id)", max_len=64),
    )
