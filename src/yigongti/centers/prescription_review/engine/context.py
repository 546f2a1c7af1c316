"""Per-check derived data shared by all checkers (computed once per prescription)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from yigongti.centers.prescription_review.engine.kb import UNIT_FAMILIES, DrugInfo, KnowledgeBase
from yigongti.centers.prescription_review.engine.types import (
    Diagnosis,
    Finding,
    LabResult,
    PrescriptionInput,
    PrescriptionItem,
)


@dataclass(slots=True)
class ItemView:
    index: int
    item: PrescriptionItem
    drug: DrugInfo | None
    keys: frozenset[str]
    route: str
    single_dose: float | None  # in drug.dose_unit
    daily_dose: float | None  # in drug.dose_unit
    times_per_day: float | None

    @property
    def code(self) -> str:
        return self.item.drug_code

    @property
    def name(self) -> str:
        if self.item.name:
            return self.item.name
        return self.drug.name if self.drug is not None else self.item.drug_code


def convert_dose(drug: DrugInfo, dose: float | None, unit: str) -> float | None:
    """Dose in the drug's canonical unit, or None when the unit cannot be converted."""
    if dose is None:
        return None
    key = unit.strip().lower()
    target = drug.dose_unit.strip().lower()
    if key == target or not key:
        return dose if key else None
    factor = drug.unit_factors.get(unit.strip()) or drug.unit_factors.get(key)
    if factor is not None:
        return dose * factor
    src = UNIT_FAMILIES.get(key)
    dst = UNIT_FAMILIES.get(target)
    if src is None or dst is None or src[0] != dst[0]:
        return None
    return dose * src[1] / dst[1]


def ckd_epi_2021(scr_umol_l: float, age_years: float, sex: str) -> float:
    """eGFR (ml/min/1.73m²) by the CKD-EPI 2021 race-free equation (KDIGO 2024 recommends it)."""
    scr = scr_umol_l / 88.4
    female = sex == "F"
    kappa = 0.7 if female else 0.9
    alpha = -0.241 if female else -0.302
    ratio = scr / kappa
    egfr = 142 * min(ratio, 1.0) ** alpha * max(ratio, 1.0) ** -1.200 * 0.9938**age_years
    return egfr * 1.012 if female else egfr


def cockcroft_gault(scr_umol_l: float, age_years: float, weight_kg: float, sex: str) -> float:
    """Creatinine clearance (ml/min), Cockcroft DW, Gault MH. Prediction of creatinine clearance from
    serum creatinine. Nephron 1976;16(1):31-41: CrCl = (140 − age) × weight / (72 × Scr[mg/dl]),
    × 0.85 for women (Scr μmol/L ÷ 88.4 = mg/dl).  Drug labels state renal dose limits in CrCl."""
    crcl = (140 - age_years) * weight_kg / (72 * (scr_umol_l / 88.4))
    return crcl * 0.85 if sex == "F" else crcl


@dataclass(slots=True)
class Context:
    kb: KnowledgeBase
    rx: PrescriptionInput
    items: list[ItemView]
    diagnosis_codes: tuple[str, ...]
    labs: dict[str, LabResult]  # canonical analyte → latest result with a value
    renal_function: float | None  # eGFR or CrCl
    renal_label: str
    history_text: str
    # Each measure separately: (value, label) — for RenalRule.measure.
    egfr: tuple[float, str] | None = None
    crcl: tuple[float, str] | None = None

    @property
    def age_days(self) -> int | None:
        return self.rx.patient.age_days

    def finding(
        self,
        check_type: str,
        severity: str,
        message: str,
        *,
        items: tuple[ItemView, ...] = (),
        source: str = "",
        diagnosis_codes: tuple[str, ...] = (),
        lab_codes: tuple[str, ...] = (),
        allergy: str = "",
        patient_data: dict[str, object] | None = None,
        rule_id: str = "",
    ) -> Finding:
        return Finding(
            check_type=check_type,
            severity=severity,
            message=message,
            drug_codes=tuple(v.code for v in items),
            source=source,
            diagnosis_codes=diagnosis_codes,
            lab_codes=lab_codes,
            allergy=allergy,
            patient_data=dict(patient_data or {}),
            rule_id=rule_id,
            item_indexes=tuple(v.index for v in items),
        )

    def diagnoses_matching(self, prefixes: tuple[str, ...]) -> tuple[str, ...]:
        if not prefixes:
            return ()
        return tuple(c for c in self.diagnosis_codes if c.startswith(prefixes))

    def known_items(self) -> Iterator[ItemView]:
        for view in self.items:
            if view.drug is not None:
                yield view

    def pairs(self) -> Iterator[tuple[ItemView, ItemView]]:
        items = self.items
        for i in range(len(items)):
            for j in range(i + 1, len(items)):
                yield items[i], items[j]


def build_context(kb: KnowledgeBase, rx: PrescriptionInput) -> Context:
    views: list[ItemView] = []
    for index, item in enumerate(rx.items):
        drug = kb.drugs.get(item.drug_code)
        times = kb.times_per_day(item.frequency) if item.frequency else None
        single = convert_dose(drug, item.dose, item.unit) if drug is not None else None
        daily = single * times if single is not None and times is not None else None
        views.append(
            ItemView(
                index=index,
                item=item,
                drug=drug,
                keys=kb.keys_of(item.drug_code),
                route=kb.canonical_route(item.route) if item.route else "",
                single_dose=single,
                daily_dose=daily,
                times_per_day=times,
            )
        )
    codes = tuple(_norm_icd(d) for d in rx.diagnoses if d.code)
    labs: dict[str, LabResult] = {}
    for lab in rx.labs:
        if lab.value is None or (isinstance(lab.value, float) and math.isnan(lab.value)):
            continue
        analyte = kb.canonical_analyte(lab.code, lab.name)
        prev = labs.get(analyte)
        if prev is None or (lab.time is not None and (prev.time is None or lab.time > prev.time)):
            labs[analyte] = lab
    patient = rx.patient
    egfr: tuple[float, str] | None = None
    crcl: tuple[float, str] | None = None
    if patient.egfr is not None:
        egfr = (patient.egfr, "eGFR")
    elif "EGFR" in labs and labs["EGFR"].value is not None:
        egfr = (labs["EGFR"].value, "eGFR")
    if patient.crcl is not None:
        crcl = (patient.crcl, "CrCl")
    scr = patient.serum_creatinine_umol_l
    if scr is None and "CR" in labs:
        scr = labs["CR"].value
    adult_age: float | None = None
    if patient.age_days is not None and patient.age_days / 365.25 >= 18:
        adult_age = patient.age_days / 365.25
    if scr is not None and scr > 0 and adult_age is not None and patient.sex in ("M", "F"):
        if egfr is None:
            egfr = (round(ckd_epi_2021(scr, adult_age, patient.sex), 1), "eGFR(CKD-EPI)")
        if crcl is None and patient.weight_kg:
            crcl = (round(cockcroft_gault(scr, adult_age, patient.weight_kg, patient.sex), 1), "CrCl(Cockcroft-Gault)")
    # Single figure for rules without a stated measure: a stated eGFR, else a stated CrCl, else a lab
    # eGFR, else the eGFR computed from creatinine.
    renal: float | None = None
    label = ""
    if patient.egfr is not None:
        renal, label = patient.egfr, "eGFR"
    elif patient.crcl is not None:
        renal, label = patient.crcl, "CrCl"
    elif egfr is not None:
        renal, label = egfr
    history_text = " ".join((*patient.history, rx.record.past_history))
    return Context(
        kb=kb,
        rx=rx,
        items=views,
        diagnosis_codes=codes,
        labs=labs,
        renal_function=renal,
        renal_label=label,
        history_text=history_text,
        egfr=egfr,
        crcl=crcl,
    )


def _norm_icd(diagnosis: Diagnosis) -> str:
    return diagnosis.code.strip().upper()
