"""In-memory drug knowledge base of the review engine (RX-03).

Engineer K's ``knowledge/snapshot.py: build_knowledge_base()`` maps the database onto these
dataclasses; benchmarks and unit tests build them directly.  Everything here is immutable after
:meth:`KnowledgeBase.__post_init__` has built the indexes, so one snapshot can be shared by all
threads of a process.

Targets.  Most rules apply to a *target*: either a drug code (``DrugInfo.code``) or a class code
(one of ``DrugInfo.classes``: pharmacological / therapeutic-duplication / allergy classes such as
``"NSAID"``, ``"PPI"``, ``"penicillin"``).  A drug's *keys* are its code plus its classes; a rule
matches a drug when its target is one of the drug's keys.  Class codes must never equal a drug
code.

Severities are the codes of the default scale (``contraindicated`` > ``not_recommended`` >
``caution`` > ``info``, see :mod:`.severity`).  Every rule carries ``source`` — the citation
shown to pharmacists (label section, 《中国国家处方集》, Beers 2023, 处方审核规范 2018 …).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

# Antibiotic use grades — 《抗菌药物临床应用管理办法》(卫生部令第84号, 2012) 第六条.
ANTIBIOTIC_UNRESTRICTED = 1  # 非限制使用级
ANTIBIOTIC_RESTRICTED = 2  # 限制使用级
ANTIBIOTIC_SPECIAL = 3  # 特殊使用级

# Special-management classes — 《处方管理办法》(卫生部令第53号, 2007) 第二十三条 … 第二十六条.
CONTROL_NARCOTIC = "narcotic"  # 麻醉药品
CONTROL_PSYCHO_1 = "psychotropic_1"  # 第一类精神药品
CONTROL_PSYCHO_2 = "psychotropic_2"  # 第二类精神药品
CONTROL_TOXIC = "toxic"  # 医疗用毒性药品
CONTROL_RADIOACTIVE = "radioactive"  # 放射性药品


@dataclass(frozen=True, slots=True)
class DrugInfo:
    """One drug (generic + form + strength) of the dictionary."""

    code: str
    name: str
    classes: frozenset[str] = frozenset()
    atc: str = ""
    form: str = ""  # 剂型, e.g. 片剂 / 注射剂
    dose_unit: str = "mg"  # canonical unit of every dose limit of this drug
    # Factors from prescribing units to ``dose_unit`` for units the generic table does not know,
    # e.g. {"片": 500.0} for a 0.5 g tablet when ``dose_unit`` is mg.
    unit_factors: Mapping[str, float] = field(default_factory=dict)
    routes: frozenset[str] = frozenset()  # allowed route codes; empty = not checked
    frequencies: frozenset[str] = frozenset()  # allowed frequency codes; empty = not checked
    is_injection: bool = False
    is_controlled_release: bool = False  # 控缓释制剂
    is_solvent: bool = False  # 溶媒 (0.9% NaCl, 5% GS …)
    essential: bool = False  # 国家基本药物
    antibiotic_grade: int | None = None  # ANTIBIOTIC_* or None
    control: str = ""  # CONTROL_* or ""
    is_ppi: bool = False
    high_alert: bool = False  # 高警示药品
    sex: str = ""  # "M" / "F" when the drug is restricted to one sex
    skin_test: bool = False  # 规定必须做皮试
    chronic: bool = False  # 慢病用药 (may be prescribed as 长期处方)
    max_course_days: int | None = None
    course_source: str = ""  # citation of max_course_days
    pregnancy_category: str = ""  # FDA letter kept for display; rules are PopulationRule
    essential_note: str = ""
    # Sex restriction as stated by the knowledge base (population rule "sex"); empty = engine default
    # (contraindicated, generic message, 处方审核规范 2018 性别禁忌).
    sex_severity: str = ""
    sex_message: str = ""
    sex_source: str = ""
    # 中药注射剂应单独使用，禁忌与其他药品混合配伍 — 《中药注射剂临床使用基本原则》(卫医政发〔2008〕71号) 第四条.
    infuse_alone: bool = False
    infuse_alone_source: str = ""


@dataclass(frozen=True, slots=True)
class ClassInfo:
    code: str
    name: str
    kind: str = "pharmacological"  # pharmacological / duplication / allergy / ppi …
    # Words matched in free-text allergies and histories (e.g. ("青霉素",) for penicillin).
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IndicationRule:
    """The drug is indicated for diagnoses whose ICD-10 code starts with one of the prefixes."""

    target: str
    icd_prefixes: tuple[str, ...]
    source: str = ""
    severity: str = "not_recommended"
    rule_id: str = ""


@dataclass(frozen=True, slots=True)
class ContraRule:
    """Contraindication by diagnosis (``kind="diagnosis"``, 禁忌症) or by history (``"history"``)."""

    target: str
    kind: str  # "diagnosis" | "history"
    icd_prefixes: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()  # matched in 既往史 / history text
    severity: str = "contraindicated"
    message: str = ""
    source: str = ""
    rule_id: str = ""


@dataclass(frozen=True, slots=True)
class AllergyCross:
    """A patient allergic to ``allergy`` (a class or drug code) is at risk with ``target``."""

    allergy: str
    target: str
    severity: str = "caution"
    message: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class AgeRule:
    """Age restriction; ``kind`` is "age" (年龄/老年 incl. Beers) or "child" (儿童)."""

    target: str
    kind: str
    min_age_days: int | None = None  # rule applies when age >= min (None = no lower bound)
    max_age_days: int | None = None  # rule applies when age < max
    severity: str = "contraindicated"
    message: str = ""
    source: str = ""
    rule_id: str = ""


@dataclass(frozen=True, slots=True)
class PopulationRule:
    """Pregnancy / lactation restriction (``population`` = "pregnancy" | "lactation")."""

    target: str
    population: str
    severity: str
    message: str = ""
    source: str = ""
    rule_id: str = ""


@dataclass(frozen=True, slots=True)
class HepaticRule:
    """Applies when the patient's Child-Pugh class is ``min_class`` or worse (A < B < C)."""

    target: str
    min_class: str
    severity: str
    message: str = ""
    source: str = ""
    max_daily_dose: float | None = None  # in the drug's dose_unit; None = any use flagged
    rule_id: str = ""


@dataclass(frozen=True, slots=True)
class RenalRule:
    """Applies when eGFR/CrCl (ml/min[/1.73m²]) is below ``below``.

    With ``max_daily_dose`` the rule only fires when the daily dose exceeds it (dose adjustment);
    without it any use below the threshold is flagged.  ``measure`` is the quantity the label's
    threshold is stated in: ``"egfr"`` (ml/min/1.73m²), ``"crcl"`` (Cockcroft-Gault ml/min) or ``""``
    (whichever the patient data give, eGFR first).  When the stated measure cannot be obtained the
    other one is used as a surrogate and the finding says so.
    """

    target: str
    below: float
    severity: str
    message: str = ""
    source: str = ""
    max_daily_dose: float | None = None
    rule_id: str = ""
    measure: str = ""  # RENAL_EGFR / RENAL_CRCL / "" (any)


RENAL_EGFR = "egfr"
RENAL_CRCL = "crcl"


@dataclass(frozen=True, slots=True)
class LabRule:
    """检验结果用药禁忌: the drug is restricted when ``analyte`` is ``op`` (``"<"``/``">"``) ``value``."""

    target: str
    analyte: str  # canonical analyte code, see KnowledgeBase.lab_aliases
    op: str
    value: float
    unit: str = ""
    severity: str = "contraindicated"
    message: str = ""
    source: str = ""
    rule_id: str = ""


@dataclass(frozen=True, slots=True)
class InteractionRule:
    """Drug–drug or class–class interaction (unordered pair of targets)."""

    a: str
    b: str
    severity: str
    mechanism: str = ""
    management: str = ""
    source: str = ""
    rule_id: str = ""


@dataclass(frozen=True, slots=True)
class IncompatibilityRule:
    """配伍禁忌 of two drugs (or classes) in the same infusion group."""

    a: str
    b: str
    severity: str = "contraindicated"
    message: str = ""
    source: str = ""
    rule_id: str = ""


@dataclass(frozen=True, slots=True)
class ConcentrationRule:
    """配伍浓度: concentration limits (drug's dose_unit per ml) and allowed solvents of an infusion."""

    target: str
    max_per_ml: float | None = None
    min_per_ml: float | None = None
    solvents: frozenset[str] = frozenset()  # allowed solvent drug codes; empty = not checked
    severity: str = "not_recommended"
    message: str = ""
    source: str = ""
    rule_id: str = ""


@dataclass(frozen=True, slots=True)
class IonContent:
    """mmol of ``ion`` delivered per unit (``DrugInfo.dose_unit``) of the drug, e.g. KCl 0.0134/mg."""

    drug_code: str
    ion: str
    mmol_per_unit: float


@dataclass(frozen=True, slots=True)
class IonLimit:
    ion: str
    max_mmol_per_l: float
    severity: str = "not_recommended"
    message: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class DoseLimit:
    """Dose limits of one drug for an age band (and optionally a route), in the drug's dose_unit.

    ``per_kg`` means the figures are per kg of body weight.  ``usual_*`` is the label's usual
    range (above it: 超常规用量); ``max_*`` is the absolute maximum (above it: 超剂量).
    """

    drug_code: str
    min_age_days: int | None = None
    max_age_days: int | None = None
    route: str = ""
    per_kg: bool = False
    usual_single_max: float | None = None
    usual_daily_max: float | None = None
    max_single: float | None = None
    max_daily: float | None = None
    min_daily: float | None = None
    source: str = ""
    rule_id: str = ""
    # 疗程总量上限 (e.g. a cumulative course dose); compared with daily dose × days.
    max_course_total: float | None = None


@dataclass(frozen=True, slots=True)
class DrugWarning:
    """用药警示 shown whenever the target is prescribed (high-alert drugs, boxed warnings …)."""

    target: str
    message: str
    severity: str = "info"
    source: str = ""
    rule_id: str = ""


class _Targeted(Protocol):
    @property
    def target(self) -> str: ...


T = TypeVar("T", bound=_Targeted)


class TargetIndex(Generic[T]):
    """Rules indexed by target (drug code or class code)."""

    __slots__ = ("_by_target",)

    def __init__(self, rules: Iterable[T]) -> None:
        grouped: dict[str, list[T]] = defaultdict(list)
        for rule in rules:
            grouped[rule.target].append(rule)
        self._by_target: dict[str, tuple[T, ...]] = {k: tuple(v) for k, v in grouped.items()}

    def for_keys(self, keys: Iterable[str]) -> list[T]:
        out: list[T] = []
        get = self._by_target.get
        for key in keys:
            found = get(key)
            if found:
                out.extend(found)
        return out

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_target.values())


# Frequencies — times per day (HIS codes, lower-cased).  Additive overrides in
# KnowledgeBase.frequency_per_day.
DEFAULT_FREQUENCIES: dict[str, float] = {
    "qd": 1,
    "bid": 2,
    "tid": 3,
    "qid": 4,
    "q4h": 6,
    "q6h": 4,
    "q8h": 3,
    "q12h": 2,
    "qn": 1,
    "qm": 1,
    "hs": 1,
    "qod": 0.5,
    "qw": 1 / 7,
    "biw": 2 / 7,
    "tiw": 3 / 7,
    "st": 1,
    "once": 1,
    "prn": 1,
}

# Units convertible without drug knowledge (factor to the base unit of the family).
UNIT_FAMILIES: dict[str, tuple[str, float]] = {
    "kg": ("mg", 1_000_000.0),
    "g": ("mg", 1000.0),
    "mg": ("mg", 1.0),
    "ug": ("mg", 0.001),
    "μg": ("mg", 0.001),
    "µg": ("mg", 0.001),
    "mcg": ("mg", 0.001),
    "ng": ("mg", 0.000001),
    "l": ("ml", 1000.0),
    "ml": ("ml", 1.0),
    "miu": ("iu", 1_000_000.0),
    "万u": ("iu", 10_000.0),
    "万iu": ("iu", 10_000.0),
    "iu": ("iu", 1.0),
    "u": ("iu", 1.0),
    "单位": ("iu", 1.0),
    "mmol": ("mmol", 1.0),
}


def child_pugh_rank(value: str) -> int:
    return {"A": 1, "B": 2, "C": 3}.get(value.strip().upper(), 0)


@dataclass(slots=True)
class KnowledgeBase:
    """An immutable snapshot of the drug knowledge base with lookup indexes."""

    version: str
    drugs: Mapping[str, DrugInfo]
    classes: Mapping[str, ClassInfo] = field(default_factory=dict)
    indications: Iterable[IndicationRule] = ()
    contraindications: Iterable[ContraRule] = ()
    allergy_crosses: Iterable[AllergyCross] = ()
    age_rules: Iterable[AgeRule] = ()
    population_rules: Iterable[PopulationRule] = ()
    hepatic_rules: Iterable[HepaticRule] = ()
    renal_rules: Iterable[RenalRule] = ()
    lab_rules: Iterable[LabRule] = ()
    interactions: Iterable[InteractionRule] = ()
    incompatibilities: Iterable[IncompatibilityRule] = ()
    concentrations: Iterable[ConcentrationRule] = ()
    ion_contents: Iterable[IonContent] = ()
    ion_limits: Iterable[IonLimit] = ()
    dose_limits: Iterable[DoseLimit] = ()
    warnings: Iterable[DrugWarning] = ()
    # HIS lab codes and names (lower-cased) → canonical analyte code ("K", "EGFR", "CR", "ALT" …).
    lab_aliases: Mapping[str, str] = field(default_factory=dict)
    frequency_per_day: Mapping[str, float] = field(default_factory=dict)
    # HIS route codes / names → canonical route code ("po", "iv", "ivgtt", "im", "ih" …).
    route_aliases: Mapping[str, str] = field(default_factory=dict)
    # 质子泵抑制剂: ICD-10 prefixes that justify a PPI, and co-prescribed classes that justify
    # prophylaxis (《质子泵抑制剂临床应用指导原则（2020年版）》).
    ppi_indication_prefixes: tuple[str, ...] = ()
    ppi_prophylaxis_classes: frozenset[str] = frozenset()
    # ICD-10 prefixes that justify an intravenous PPI (e.g. 上消化道出血 K92.2, 消化性溃疡出血 K25.0 …).
    ppi_iv_indication_prefixes: tuple[str, ...] = ()
    ppi_source: str = "《质子泵抑制剂临床应用指导原则（2020年版）》(国卫办医函〔2020〕973号)"
    # 慢病用药: ICD-10 prefixes of chronic diseases eligible for 长期处方 and the longest supply.
    chronic_disease_prefixes: tuple[str, ...] = ()
    chronic_max_days: int = 84
    effective_from: str = ""
    # Frequency codes/aliases meaning nothing definite (遵医嘱, prn-like "必要时" is NOT vague) —
    # K's Frequency.vague flag; 《医疗机构处方审核规范》(2018) 规范性: 不得使用"遵医嘱""自用"等含糊不清字句.
    vague_frequencies: frozenset[str] = frozenset()

    # ---- indexes (built in __post_init__) ----
    indication_index: TargetIndex[IndicationRule] = field(init=False, repr=False)
    contra_index: TargetIndex[ContraRule] = field(init=False, repr=False)
    allergy_cross_by_allergy: dict[str, tuple[AllergyCross, ...]] = field(init=False, repr=False)
    age_index: TargetIndex[AgeRule] = field(init=False, repr=False)
    population_index: TargetIndex[PopulationRule] = field(init=False, repr=False)
    hepatic_index: TargetIndex[HepaticRule] = field(init=False, repr=False)
    renal_index: TargetIndex[RenalRule] = field(init=False, repr=False)
    lab_index: TargetIndex[LabRule] = field(init=False, repr=False)
    interaction_pairs: dict[frozenset[str], tuple[InteractionRule, ...]] = field(init=False, repr=False)
    interaction_keys: frozenset[str] = field(init=False, repr=False)
    incompatibility_pairs: dict[frozenset[str], tuple[IncompatibilityRule, ...]] = field(init=False, repr=False)
    concentration_index: TargetIndex[ConcentrationRule] = field(init=False, repr=False)
    ions_by_drug: dict[str, tuple[IonContent, ...]] = field(init=False, repr=False)
    ion_limit_by_ion: dict[str, IonLimit] = field(init=False, repr=False)
    dose_limits_by_drug: dict[str, tuple[DoseLimit, ...]] = field(init=False, repr=False)
    warning_index: TargetIndex[DrugWarning] = field(init=False, repr=False)
    drugs_by_class: dict[str, frozenset[str]] = field(init=False, repr=False)
    keys_by_drug: dict[str, frozenset[str]] = field(init=False, repr=False)
    class_keywords: tuple[tuple[str, str], ...] = field(init=False, repr=False)
    drug_name_index: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.drugs = dict(self.drugs)
        self.classes = dict(self.classes)
        self.indications = tuple(self.indications)
        self.contraindications = tuple(self.contraindications)
        self.allergy_crosses = tuple(self.allergy_crosses)
        self.age_rules = tuple(self.age_rules)
        self.population_rules = tuple(self.population_rules)
        self.hepatic_rules = tuple(self.hepatic_rules)
        self.renal_rules = tuple(self.renal_rules)
        self.lab_rules = tuple(self.lab_rules)
        self.interactions = tuple(self.interactions)
        self.incompatibilities = tuple(self.incompatibilities)
        self.concentrations = tuple(self.concentrations)
        self.ion_contents = tuple(self.ion_contents)
        self.ion_limits = tuple(self.ion_limits)
        self.dose_limits = tuple(self.dose_limits)
        self.warnings = tuple(self.warnings)
        self.lab_aliases = {k.strip().lower(): v.upper() for k, v in self.lab_aliases.items()}
        self.frequency_per_day = {
            **DEFAULT_FREQUENCIES,
            **{k.strip().lower(): v for k, v in self.frequency_per_day.items()},
        }
        self.route_aliases = {k.strip().lower(): v for k, v in self.route_aliases.items()}
        self.vague_frequencies = frozenset(k.strip().lower() for k in self.vague_frequencies)

        self.indication_index = TargetIndex(self.indications)
        self.contra_index = TargetIndex(self.contraindications)
        crosses: dict[str, list[AllergyCross]] = defaultdict(list)
        for cross in self.allergy_crosses:
            crosses[cross.allergy].append(cross)
        self.allergy_cross_by_allergy = {k: tuple(v) for k, v in crosses.items()}
        self.age_index = TargetIndex(self.age_rules)
        self.population_index = TargetIndex(self.population_rules)
        self.hepatic_index = TargetIndex(self.hepatic_rules)
        self.renal_index = TargetIndex(self.renal_rules)
        self.lab_index = TargetIndex(self.lab_rules)
        pairs: dict[frozenset[str], list[InteractionRule]] = defaultdict(list)
        for inter in self.interactions:
            pairs[frozenset((inter.a, inter.b))].append(inter)
        self.interaction_pairs = {k: tuple(v) for k, v in pairs.items()}
        self.interaction_keys = frozenset(k for pair in pairs for k in pair)
        incompat: dict[frozenset[str], list[IncompatibilityRule]] = defaultdict(list)
        for inc in self.incompatibilities:
            incompat[frozenset((inc.a, inc.b))].append(inc)
        self.incompatibility_pairs = {k: tuple(v) for k, v in incompat.items()}
        self.concentration_index = TargetIndex(self.concentrations)
        ions: dict[str, list[IonContent]] = defaultdict(list)
        for ion in self.ion_contents:
            ions[ion.drug_code].append(ion)
        self.ions_by_drug = {k: tuple(v) for k, v in ions.items()}
        self.ion_limit_by_ion = {lim.ion: lim for lim in self.ion_limits}
        doses: dict[str, list[DoseLimit]] = defaultdict(list)
        for lim in self.dose_limits:
            doses[lim.drug_code].append(lim)
        self.dose_limits_by_drug = {k: tuple(v) for k, v in doses.items()}
        self.warning_index = TargetIndex(self.warnings)
        by_class: dict[str, set[str]] = defaultdict(set)
        keys: dict[str, frozenset[str]] = {}
        names: dict[str, str] = {}
        for drug in self.drugs.values():
            keys[drug.code] = frozenset((drug.code, *drug.classes))
            for cls in drug.classes:
                by_class[cls].add(drug.code)
            names.setdefault(drug.name, drug.code)
        self.drugs_by_class = {k: frozenset(v) for k, v in by_class.items()}
        self.keys_by_drug = keys
        self.drug_name_index = names
        kw: list[tuple[str, str]] = []
        for cls_info in self.classes.values():
            for word in (cls_info.name, *cls_info.keywords):
                if word:
                    kw.append((word, cls_info.code))
        self.class_keywords = tuple(kw)

    # ---- lookups ----
    def drug(self, code: str) -> DrugInfo | None:
        return self.drugs.get(code)

    def keys_of(self, code: str) -> frozenset[str]:
        return self.keys_by_drug.get(code) or frozenset((code,))

    def class_name(self, code: str) -> str:
        info = self.classes.get(code)
        if info is not None:
            return info.name
        drug = self.drugs.get(code)
        return drug.name if drug is not None else code

    def times_per_day(self, frequency: str) -> float | None:
        return self.frequency_per_day.get(frequency.strip().lower())

    def canonical_route(self, route: str) -> str:
        key = route.strip().lower()
        return self.route_aliases.get(key, key)

    def canonical_analyte(self, code: str, name: str = "") -> str:
        found = self.lab_aliases.get(code.strip().lower())
        if found is None and name:
            found = self.lab_aliases.get(name.strip().lower())
        return found or code.strip().upper()

    def classes_in_text(self, text: str) -> set[str]:
        """Class codes whose name or keywords appear in free text (allergy, history)."""
        return {code for word, code in self.class_keywords if word in text}

    def drugs_in_text(self, text: str) -> set[str]:
        return {code for name, code in self.drug_name_index.items() if name and name in text}

    def stats(self) -> dict[str, int]:
        return {
            "drugs": len(self.drugs),
            "interactions": len(self.interactions),  # type: ignore[arg-type]
            "dose_limits": len(self.dose_limits),  # type: ignore[arg-type]
        }


def empty_knowledge_base(version: str = "empty") -> KnowledgeBase:
    return KnowledgeBase(version=version, drugs={})
