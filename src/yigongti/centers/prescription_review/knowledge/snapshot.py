"""Load a knowledge version from the database into the engine's in-memory ``KnowledgeBase``.

One query per table (``values()``, no model instances, no N+1): the scaled synthetic version (5,000
drugs, 50,000 interaction pairs) loads in well under a second. The engine caches the result and
rebuilds it when :func:`current_version_key` changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from yigongti.centers.prescription_review.engine import kb
from yigongti.centers.prescription_review.knowledge.choices import (
    AntibioticGrade,
    ContraindicationKind,
    Organ,
    Population,
)
from yigongti.centers.prescription_review.knowledge.models import (
    AllergyClass,
    ConcentrationLimit,
    Contraindication,
    CrossReactivity,
    DiseaseGroup,
    DoseLimit,
    Drug,
    Frequency,
    Incompatibility,
    Indication,
    Interaction,
    IonContent,
    IonLimit,
    KnowledgeVersion,
    LabItem,
    LabRule,
    OrganRule,
    PharmClass,
    PopulationRule,
    Route,
)
from yigongti.centers.prescription_review.knowledge.selectors import version_current

# 《中药注射剂临床使用基本原则》(卫医政发〔2008〕71号) 第四条: 中药注射剂应单独使用.
INFUSE_ALONE_CLASS = "TCM_INJECTION"
INFUSE_ALONE_SOURCE = (
    "《中药注射剂临床使用基本原则》(卫医政发〔2008〕71号) 第四条: 中药注射剂应单独使用，禁忌与其他药品混合配伍使用"
)

GRADES = {
    AntibioticGrade.NON_RESTRICTED: kb.ANTIBIOTIC_UNRESTRICTED,
    AntibioticGrade.RESTRICTED: kb.ANTIBIOTIC_RESTRICTED,
    AntibioticGrade.SPECIAL: kb.ANTIBIOTIC_SPECIAL,
}


def _f(value: Decimal | float | int | None) -> float | None:
    return None if value is None else float(value)


def _rows(model: Any, version: KnowledgeVersion, *fields: str) -> Iterable[dict[str, Any]]:
    return model._default_manager.filter(version=version).order_by("pk").values("pk", *fields)


def unit_factors(
    strength_value: Decimal | None, strength_unit: str, dose_unit: str, package_unit: str
) -> dict[str, float]:
    """How much of ``dose_unit`` one prescribing unit holds: a 0.5 g tablet is {"片": 500.0} in mg;
    a 20 mg/ml suspension is {"ml": 20.0}."""
    if strength_value is None or not package_unit:
        return {}
    value = float(strength_value)
    unit = strength_unit.strip()
    if "/" in unit:  # concentration of a liquid, e.g. mg/ml
        numerator, _, per = unit.partition("/")
        factor = _convert(value, numerator, dose_unit)
        return {per.strip(): factor} if factor is not None else {}
    factor = _convert(value, unit, dose_unit)
    return {package_unit: factor} if factor is not None else {}


def _convert(value: float, unit: str, target: str) -> float | None:
    if unit.lower() == target.lower():
        return value
    src = kb.UNIT_FAMILIES.get(unit.lower())
    dst = kb.UNIT_FAMILIES.get(target.lower())
    if src is None or dst is None or src[0] != dst[0]:
        return None
    return value * src[1] / dst[1]


def build_knowledge_base(version: KnowledgeVersion | None = None) -> kb.KnowledgeBase:
    """The engine snapshot of ``version`` (default: the version current today; empty when none)."""
    version = version or version_current()
    if version is None:
        return kb.empty_knowledge_base()

    code_of: dict[int, str] = {}
    drug_rows = list(
        _rows(
            Drug, version, "code", "generic_name", "atc_code", "dosage_form", "dose_unit", "strength_value",
            "strength_unit", "package_unit", "routes", "frequencies", "is_injection", "controlled_release",
            "is_solvent", "essential", "antibiotic_grade", "narcotic_class", "is_ppi", "high_alert", "skin_test",
            "chronic", "max_course_days", "pregnancy_category", "pharm_classes", "allergy_classes", "warning", "source",
        )
    )  # fmt: skip
    for row in drug_rows:
        code_of[row["pk"]] = row["code"]

    # population rules: pregnancy/lactation → PopulationRule, child/elderly → AgeRule, sex → DrugInfo.sex
    population_rules: list[kb.PopulationRule] = []
    age_rules: list[kb.AgeRule] = []
    sex_of: dict[str, tuple[str, str, str, str]] = {}  # code → (sex, severity, message, source)
    for r in _rows(
        PopulationRule,
        version,
        "drug_id",
        "population",
        "age_min_days",
        "age_max_days",
        "sex",
        "severity",
        "message",
        "source",
    ):
        target = code_of[r["drug_id"]]
        rule_id = f"population:{r['pk']}"
        if r["population"] in (Population.PREGNANCY, Population.LACTATION):
            population_rules.append(
                kb.PopulationRule(target, r["population"], r["severity"], r["message"], r["source"], rule_id)
            )
        elif r["population"] == Population.SEX:
            if r["sex"]:
                sex_of[target] = (r["sex"], r["severity"], r["message"], r["source"])
        else:
            kind = "child" if r["population"] == Population.CHILD else "age"
            age_rules.append(
                kb.AgeRule(
                    target,
                    kind,
                    r["age_min_days"],
                    r["age_max_days"],
                    r["severity"],
                    r["message"],
                    r["source"],
                    rule_id,
                )
            )

    drugs: dict[str, kb.DrugInfo] = {}
    warnings: list[kb.DrugWarning] = []
    for r in drug_rows:
        code = r["code"]
        sex, sex_severity, sex_message, sex_source = sex_of.get(code, ("", "", "", ""))
        infuse_alone = INFUSE_ALONE_CLASS in r["pharm_classes"]
        drugs[code] = kb.DrugInfo(
            code=code,
            name=r["generic_name"],
            classes=frozenset((*r["pharm_classes"], *r["allergy_classes"])),
            atc=r["atc_code"],
            form=r["dosage_form"],
            dose_unit=r["dose_unit"],
            unit_factors=unit_factors(r["strength_value"], r["strength_unit"], r["dose_unit"], r["package_unit"]),
            routes=frozenset(r["routes"]),
            frequencies=frozenset(r["frequencies"]),
            is_injection=r["is_injection"],
            is_controlled_release=r["controlled_release"],
            is_solvent=r["is_solvent"],
            essential=r["essential"],
            antibiotic_grade=GRADES.get(r["antibiotic_grade"]),
            control=r["narcotic_class"],
            is_ppi=r["is_ppi"],
            high_alert=r["high_alert"],
            sex=sex,
            sex_severity=sex_severity,
            sex_message=sex_message,
            sex_source=sex_source,
            infuse_alone=infuse_alone,
            infuse_alone_source=INFUSE_ALONE_SOURCE if infuse_alone else "",
            skin_test=r["skin_test"],
            chronic=r["chronic"],
            max_course_days=r["max_course_days"],
            pregnancy_category=r["pregnancy_category"],
        )
        if r["warning"]:
            warnings.append(kb.DrugWarning(code, r["warning"], "info", r["source"], f"drug:{r['pk']}"))

    classes: dict[str, kb.ClassInfo] = {}
    ppi_prophylaxis: set[str] = set()
    for r in _rows(PharmClass, version, "code", "name", "duplication", "ppi_prophylaxis", "keywords"):
        kind = "duplication" if r["duplication"] else "pharmacological"
        classes[r["code"]] = kb.ClassInfo(r["code"], r["name"], kind, tuple(r["keywords"]))
        if r["ppi_prophylaxis"]:
            ppi_prophylaxis.add(r["code"])
    for r in _rows(AllergyClass, version, "code", "name", "keywords"):
        classes[r["code"]] = kb.ClassInfo(r["code"], r["name"], "allergy", tuple(r["keywords"]))

    indications: dict[str, list[str]] = defaultdict(list)
    indication_sources: dict[str, str] = {}
    for r in _rows(Indication, version, "drug_id", "icd10_prefix", "source"):
        target = code_of[r["drug_id"]]
        indications[target].append(r["icd10_prefix"])
        indication_sources.setdefault(target, r["source"])

    contras: list[kb.ContraRule] = []
    crosses: list[kb.AllergyCross] = []
    for r in _rows(
        Contraindication, version, "drug_id", "kind", "code", "name", "keywords", "severity", "message", "source"
    ):
        target = code_of[r["drug_id"]]
        message = r["message"] or f"{r['name']}：{'禁用' if r['severity'] == 'contraindicated' else '慎用'}。"
        if r["kind"] == ContraindicationKind.ALLERGY_CLASS:
            crosses.append(kb.AllergyCross(r["code"], target, r["severity"], message, r["source"]))
        else:
            keywords = tuple(r["keywords"]) or ((r["name"],) if r["kind"] == ContraindicationKind.HISTORY else ())
            contras.append(
                kb.ContraRule(
                    target, r["kind"], (r["code"],), keywords, r["severity"], message, r["source"], f"contra:{r['pk']}"
                )
            )
    for r in _rows(CrossReactivity, version, "allergy_code", "drug_class_code", "severity", "note", "source"):
        crosses.append(kb.AllergyCross(r["allergy_code"], r["drug_class_code"], r["severity"], r["note"], r["source"]))

    hepatic: list[kb.HepaticRule] = []
    renal: list[kb.RenalRule] = []
    for r in _rows(
        OrganRule,
        version,
        "drug_id",
        "organ",
        "renal_measure",
        "renal_below",
        "child_pugh",
        "max_daily_dose",
        "severity",
        "message",
        "source",
    ):
        target, rule_id = code_of[r["drug_id"]], f"organ:{r['pk']}"
        if r["organ"] == Organ.HEPATIC:
            hepatic.append(
                kb.HepaticRule(
                    target, r["child_pugh"], r["severity"], r["message"], r["source"], _f(r["max_daily_dose"]), rule_id
                )
            )
        else:
            renal.append(
                kb.RenalRule(
                    target,
                    float(r["renal_below"]),
                    r["severity"],
                    r["message"],
                    r["source"],
                    _f(r["max_daily_dose"]),
                    rule_id,
                    measure=r["renal_measure"],
                )
            )

    labs = [
        kb.LabRule(
            code_of[r["drug_id"]],
            r["lab_code"].upper(),
            r["comparator"],
            float(r["threshold"]),
            r["unit"],
            r["severity"],
            r["message"],
            r["source"],
            f"lab:{r['pk']}",
        )
        for r in _rows(
            LabRule, version, "drug_id", "lab_code", "comparator", "threshold", "unit", "severity", "message", "source"
        )
    ]
    interactions = [
        kb.InteractionRule(
            r["a_code"],
            r["b_code"],
            r["severity"],
            r["mechanism"],
            r["management"],
            r["source"],
            f"interaction:{r['pk']}",
        )
        for r in _rows(Interaction, version, "a_code", "b_code", "severity", "mechanism", "management", "source")
    ]
    incompatibilities = [
        kb.IncompatibilityRule(
            r["a_code"], r["b_code"], r["severity"], r["message"], r["source"], f"incompatibility:{r['pk']}"
        )
        for r in _rows(Incompatibility, version, "a_code", "b_code", "severity", "message", "source")
    ]
    concentrations = [
        kb.ConcentrationRule(
            code_of[r["drug_id"]],
            _f(r["max_per_ml"]),
            _f(r["min_per_ml"]),
            frozenset(r["solvents"]),
            r["severity"],
            r["message"],
            r["source"],
            f"concentration:{r['pk']}",
        )
        for r in _rows(
            ConcentrationLimit,
            version,
            "drug_id",
            "max_per_ml",
            "min_per_ml",
            "solvents",
            "severity",
            "message",
            "source",
        )
    ]
    ion_contents = [
        kb.IonContent(code_of[r["drug_id"]], r["ion"], float(r["mmol_per_unit"]))
        for r in _rows(IonContent, version, "drug_id", "ion", "mmol_per_unit")
    ]
    ion_limits = [
        kb.IonLimit(r["ion"], float(r["max_mmol_per_l"]), r["severity"], r["message"], r["source"])
        for r in _rows(IonLimit, version, "ion", "max_mmol_per_l", "severity", "message", "source")
    ]
    doses = [
        kb.DoseLimit(
            drug_code=code_of[r["drug_id"]], min_age_days=r["age_min_days"], max_age_days=r["age_max_days"], route=r["route"],
            per_kg=r["per_kg"], usual_single_max=_f(r["usual_single_max"]), usual_daily_max=_f(r["usual_daily_max"]),
            max_single=_f(r["max_single"]), max_daily=_f(r["max_daily"]), min_daily=_f(r["min_daily"]), source=r["source"],
            rule_id=f"dose:{r['pk']}", max_course_total=_f(r["max_course_total"]),
        )
        for r in _rows(
            DoseLimit, version, "drug_id", "age_min_days", "age_max_days", "route", "per_kg", "usual_single_max",
            "usual_daily_max", "max_single", "max_daily", "min_daily", "max_course_total", "source",
        )
    ]  # fmt: skip

    lab_aliases: dict[str, str] = {}
    for r in _rows(LabItem, version, "code", "name", "aliases"):
        for alias in (r["code"], r["name"], *r["aliases"]):
            lab_aliases[alias.strip().lower()] = r["code"]
    frequency_per_day: dict[str, float] = {}
    vague_frequencies: set[str] = set()
    for r in _rows(Frequency, version, "code", "name", "times_per_day", "aliases", "vague"):
        for alias in (r["code"], *r["aliases"]):
            frequency_per_day[alias.strip().lower()] = float(r["times_per_day"])
            if r["vague"]:
                vague_frequencies.add(alias.strip().lower())
    route_aliases: dict[str, str] = {}
    for r in _rows(Route, version, "code", "name", "aliases"):
        for alias in (r["code"], r["name"], *r["aliases"]):
            route_aliases[alias.strip().lower()] = r["code"]
    groups: dict[str, list[str]] = defaultdict(list)
    for r in _rows(DiseaseGroup, version, "group", "icd10_prefix"):
        groups[r["group"]].append(r["icd10_prefix"])

    return kb.KnowledgeBase(
        version=f"V{version.number}",
        drugs=drugs,
        classes=classes,
        indications=[
            kb.IndicationRule(target, tuple(prefixes), indication_sources[target], rule_id=f"indication:{target}")
            for target, prefixes in indications.items()
        ],
        contraindications=contras,
        allergy_crosses=crosses,
        age_rules=age_rules,
        population_rules=population_rules,
        hepatic_rules=hepatic,
        renal_rules=renal,
        lab_rules=labs,
        interactions=interactions,
        incompatibilities=incompatibilities,
        concentrations=concentrations,
        ion_contents=ion_contents,
        ion_limits=ion_limits,
        dose_limits=doses,
        warnings=warnings,
        lab_aliases=lab_aliases,
        frequency_per_day=frequency_per_day,
        vague_frequencies=frozenset(vague_frequencies),
        route_aliases=route_aliases,
        ppi_indication_prefixes=tuple(groups.get("ppi_indication", ())),
        ppi_prophylaxis_classes=frozenset(ppi_prophylaxis),
        ppi_iv_indication_prefixes=tuple(groups.get("ppi_iv_indication", ())),
        chronic_disease_prefixes=tuple(groups.get("chronic", ())),
        effective_from=str(version.effective_date or ""),
    )


def current_version_key() -> str | None:
    """A cheap key that changes whenever the current version changes (the engine's cache key);
    ``None`` when no version is in force."""
    version = version_current()
    if version is None:
        return None
    published = version.published_at.isoformat() if version.published_at else ""
    return f"{version.pk}:{version.number}:{published}"
