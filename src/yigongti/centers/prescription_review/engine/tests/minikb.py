"""A small, hand-built knowledge base for unit tests (no database).

Each fact cites the source a real knowledge base would use; the unit tests cite the same sources.
"""

from __future__ import annotations

from typing import Any

from yigongti.centers.prescription_review.engine.kb import (
    ANTIBIOTIC_RESTRICTED,
    ANTIBIOTIC_SPECIAL,
    ANTIBIOTIC_UNRESTRICTED,
    CONTROL_NARCOTIC,
    CONTROL_PSYCHO_2,
    AgeRule,
    AllergyCross,
    ClassInfo,
    ConcentrationRule,
    ContraRule,
    DoseLimit,
    DrugInfo,
    DrugWarning,
    HepaticRule,
    IncompatibilityRule,
    IndicationRule,
    InteractionRule,
    IonContent,
    IonLimit,
    KnowledgeBase,
    LabRule,
    PopulationRule,
    RenalRule,
)
from yigongti.centers.prescription_review.engine.types import (
    Allergy,
    Diagnosis,
    LabResult,
    PatientInfo,
    PrescriptionInput,
    PrescriptionItem,
    PrescriptionMeta,
)

CNF = "《中国国家处方集（化学药品与生物制品卷）》"
YEAR = 365


def d(code: str, name: str, *classes: str, **kw: Any) -> DrugInfo:
    return DrugInfo(code=code, name=name, classes=frozenset(classes), **kw)


DRUGS = [
    d("WARF", "华法林钠片", "VKA", high_alert=True, routes=frozenset({"po"})),
    d("IBU", "布洛芬片", "NSAID"),
    d("DICLO", "双氯芬酸钠缓释片", "NSAID"),
    d("ASP", "阿司匹林肠溶片", "antiplatelet"),
    d("CLOP", "硫酸氢氯吡格雷片", "antiplatelet_p2y12"),
    d("OME", "奥美拉唑肠溶胶囊", "PPI", is_ppi=True),
    d("PANT", "注射用泮托拉唑钠", "PPI", is_ppi=True, is_injection=True),
    d("MET", "盐酸二甲双胍片", "biguanide", chronic=True),
    d("AMLO", "苯磺酸氨氯地平片", "CCB", chronic=True, routes=frozenset({"po"}), frequencies=frozenset({"qd"})),
    d("ENAL", "马来酸依那普利片", "ACEI", "RAAS", chronic=True),
    d("VALS", "缬沙坦胶囊", "ARB", "RAAS", chronic=True),
    d("SPIRO", "螺内酯片", "K_sparing"),
    d("LEVO", "左氧氟沙星片", "quinolone", antibiotic_grade=ANTIBIOTIC_UNRESTRICTED),
    d("AMOX", "阿莫西林胶囊", "penicillin", antibiotic_grade=ANTIBIOTIC_UNRESTRICTED, skin_test=True),
    d("CEFTR", "注射用头孢曲松钠", "cephalosporin", antibiotic_grade=ANTIBIOTIC_UNRESTRICTED, is_injection=True),
    d("CPZS", "注射用头孢哌酮钠舒巴坦钠", "cephalosporin", antibiotic_grade=ANTIBIOTIC_RESTRICTED, is_injection=True),
    d("IMI", "注射用亚胺培南西司他丁钠", "carbapenem", antibiotic_grade=ANTIBIOTIC_SPECIAL, is_injection=True),
    d("CAGLU", "葡萄糖酸钙注射液", "calcium", is_injection=True),
    d("NS", "0.9%氯化钠注射液", is_solvent=True, dose_unit="ml", is_injection=True),
    d("GS", "5%葡萄糖注射液", is_solvent=True, dose_unit="ml", is_injection=True),
    d("KCL", "10%氯化钾注射液", "potassium", is_injection=True, unit_factors={"ml": 100.0}, high_alert=True),
    d("AZI", "注射用阿奇霉素", "macrolide", antibiotic_grade=ANTIBIOTIC_UNRESTRICTED, is_injection=True),
    d("DIAZ", "地西泮片", "benzodiazepine", control=CONTROL_PSYCHO_2),
    d("ESTAZ", "艾司唑仑片", "benzodiazepine", control=CONTROL_PSYCHO_2),
    d("MOR_INJ", "盐酸吗啡注射液", "opioid", control=CONTROL_NARCOTIC, is_injection=True),
    d("MOR_SR", "硫酸吗啡缓释片", "opioid", control=CONTROL_NARCOTIC, is_controlled_release=True),
    d("FIN", "非那雄胺片", "5ARI", sex="M"),
    d("PROP", "盐酸普萘洛尔片", "beta_blocker"),
    d("APAP", "对乙酰氨基酚片", "analgesic"),
    d("ALLOP", "别嘌醇片", "xanthine_oxidase"),
    d(
        "KETO",
        "酮咯酸氨丁三醇片",
        "NSAID",
        max_course_days=5,
        course_source="酮咯酸氨丁三醇片说明书【用法用量】: 疗程不超过5天",
    ),
    d("PRED", "醋酸泼尼松片", "glucocorticoid"),
    d("INS", "门冬胰岛素注射液", "insulin", high_alert=True, dose_unit="iu", routes=frozenset({"ih", "iv"})),
]

CLASSES = [
    ClassInfo("NSAID", "非甾体抗炎药", kind="duplication"),
    ClassInfo("PPI", "质子泵抑制剂", kind="duplication"),
    ClassInfo("RAAS", "肾素-血管紧张素系统抑制剂", kind="duplication"),
    ClassInfo("benzodiazepine", "苯二氮䓬类", kind="duplication"),
    ClassInfo("penicillin", "青霉素类", kind="allergy", keywords=("青霉素",)),
    ClassInfo("cephalosporin", "头孢菌素类", kind="allergy", keywords=("头孢",)),
    ClassInfo("sulfonamide", "磺胺类", kind="allergy", keywords=("磺胺",)),
    ClassInfo("VKA", "维生素K拮抗剂"),
    ClassInfo("antiplatelet", "抗血小板药"),
    ClassInfo("antiplatelet_p2y12", "P2Y12受体拮抗剂"),
    ClassInfo("ACEI", "血管紧张素转换酶抑制剂"),
    ClassInfo("ARB", "血管紧张素Ⅱ受体拮抗剂"),
    ClassInfo("K_sparing", "保钾利尿剂"),
    ClassInfo("glucocorticoid", "糖皮质激素"),
]


def make_kb(**overrides: Any) -> KnowledgeBase:
    facts: dict[str, Any] = {
        "version": "mini-1",
        "drugs": {drug.code: drug for drug in DRUGS},
        "classes": {c.code: c for c in CLASSES},
        "indications": [
            IndicationRule(
                "AMLO", ("I10", "I11", "I12", "I13", "I15", "I20", "I25"), source="苯磺酸氨氯地平片说明书【适应症】"
            ),
            IndicationRule("MET", ("E11", "E14", "R73"), source="盐酸二甲双胍片说明书【适应症】"),
            IndicationRule("penicillin", ("J", "N30", "N39", "K05", "B96", "A"), source=f"{CNF} 阿莫西林【适应症】"),
        ],
        "contraindications": [
            ContraRule(
                "PROP",
                "diagnosis",
                icd_prefixes=("J45", "J44"),
                message="可诱发支气管痉挛",
                source="盐酸普萘洛尔片说明书【禁忌】支气管哮喘",
            ),
            ContraRule(
                "ASP",
                "history",
                icd_prefixes=("K25", "K26", "K27"),
                keywords=("消化性溃疡", "胃溃疡", "消化道出血"),
                message="活动性消化性溃疡禁用",
                source="阿司匹林肠溶片说明书【禁忌】",
            ),
        ],
        "allergy_crosses": [
            AllergyCross(
                "penicillin",
                "cephalosporin",
                "caution",
                "青霉素过敏者与头孢菌素类可能存在交叉过敏",
                source=f"{CNF} 头孢菌素类【注意事项】",
            ),
        ],
        "age_rules": [
            AgeRule(
                "quinolone",
                "child",
                max_age_days=18 * YEAR,
                severity="contraindicated",
                message="18岁以下患者禁用（影响软骨发育）",
                source="左氧氟沙星片说明书【儿童用药】",
            ),
            AgeRule(
                "benzodiazepine",
                "age",
                min_age_days=65 * YEAR,
                severity="not_recommended",
                message="老年人避免使用苯二氮䓬类（认知损害、跌倒、骨折风险）",
                source="AGS Beers Criteria 2023 Table 2",
            ),
            AgeRule(
                "ASP",
                "child",
                max_age_days=16 * YEAR,
                severity="caution",
                message="16岁以下病毒感染患儿慎用（瑞夷综合征）",
                source="阿司匹林肠溶片说明书【儿童用药】",
            ),
        ],
        "population_rules": [
            PopulationRule(
                "quinolone",
                "pregnancy",
                "contraindicated",
                "孕妇禁用",
                source="左氧氟沙星片说明书【孕妇及哺乳期妇女用药】",
            ),
            PopulationRule(
                "quinolone",
                "lactation",
                "contraindicated",
                "哺乳期妇女禁用",
                source="左氧氟沙星片说明书【孕妇及哺乳期妇女用药】",
            ),
            PopulationRule(
                "ACEI",
                "pregnancy",
                "contraindicated",
                "妊娠期禁用（胎儿肾损害）",
                source="马来酸依那普利片说明书【孕妇及哺乳期妇女用药】",
            ),
            PopulationRule(
                "WARF", "pregnancy", "contraindicated", "妊娠期禁用（致畸）", source="华法林钠片说明书【禁忌】"
            ),
        ],
        "hepatic_rules": [
            HepaticRule("APAP", "C", "contraindicated", "严重肝功能不全禁用", source="对乙酰氨基酚片说明书【禁忌】"),
            HepaticRule("APAP", "B", "caution", source=f"{CNF} 对乙酰氨基酚", max_daily_dose=2000),
        ],
        "renal_rules": [
            RenalRule(
                "MET", 30, "contraindicated", "eGFR<30 ml/min/1.73m²禁用", source="二甲双胍临床应用专家共识（2023版）"
            ),
            RenalRule(
                "MET",
                45,
                "caution",
                "eGFR 30-45 最大剂量1000mg/d",
                source="二甲双胍临床应用专家共识（2023版）",
                max_daily_dose=1000,
            ),
        ],
        "lab_rules": [
            LabRule(
                "K_sparing", "K", ">", 5.5, "mmol/L", "contraindicated", "高钾血症禁用", source="螺内酯片说明书【禁忌】"
            ),
            LabRule(
                "WARF",
                "INR",
                ">",
                4.0,
                "",
                "not_recommended",
                "INR过高，出血风险",
                source="华法林钠片说明书【注意事项】",
            ),
        ],
        "interactions": [
            InteractionRule(
                "VKA",
                "NSAID",
                "not_recommended",
                "NSAIDs抑制血小板并损伤胃黏膜，合用增加出血风险",
                "避免合用，必要时选对乙酰氨基酚并监测INR",
                source=f"{CNF} 华法林【药物相互作用】",
                rule_id="I-1",
            ),
            InteractionRule(
                "VKA",
                "antiplatelet",
                "caution",
                "合用增加出血风险",
                "监测INR及出血征象",
                source="华法林钠片说明书【药物相互作用】",
                rule_id="I-2",
            ),
            InteractionRule(
                "CLOP",
                "OME",
                "caution",
                "奥美拉唑抑制CYP2C19，降低氯吡格雷活性代谢物",
                "改用泮托拉唑",
                source="硫酸氢氯吡格雷片说明书【药物相互作用】",
                rule_id="I-3",
            ),
            InteractionRule(
                "ACEI",
                "K_sparing",
                "caution",
                "合用致高钾血症",
                "监测血钾",
                source="马来酸依那普利片说明书【药物相互作用】",
                rule_id="I-4",
            ),
        ],
        "incompatibilities": [
            IncompatibilityRule(
                "CEFTR",
                "calcium",
                "contraindicated",
                "生成头孢曲松钙沉淀",
                source="注射用头孢曲松钠说明书【禁忌】不得与含钙注射液同时静脉给药",
            ),
        ],
        "concentrations": [
            ConcentrationRule(
                "AZI",
                max_per_ml=2.0,
                solvents=frozenset({"NS", "GS"}),
                severity="not_recommended",
                message="静滴浓度1.0-2.0mg/ml",
                source="注射用阿奇霉素说明书【用法用量】",
            ),
            ConcentrationRule(
                "PANT",
                solvents=frozenset({"NS"}),
                severity="not_recommended",
                message="仅用0.9%氯化钠注射液溶解稀释",
                source="注射用泮托拉唑钠说明书【用法用量】",
            ),
        ],
        "ion_contents": [IonContent("KCL", "K", 0.0134)],
        "ion_limits": [
            IonLimit(
                "K",
                45.0,
                "contraindicated",
                "外周静脉补钾浓度不超过3.4g/L（45mmol/L）",
                source="氯化钾注射液说明书【用法用量】",
            ),
        ],
        "dose_limits": [
            DoseLimit(
                "IBU",
                min_age_days=12 * YEAR,
                usual_single_max=400,
                max_single=800,
                max_daily=2400,
                source=f"{CNF} 布洛芬: 成人一次0.2-0.4g，一日最大2.4g",
            ),
            DoseLimit(
                "IBU",
                max_age_days=12 * YEAR,
                per_kg=True,
                usual_single_max=10,
                max_daily=40,
                source=f"{CNF} 布洛芬: 儿童一次5-10mg/kg，一日最大40mg/kg",
            ),
            DoseLimit(
                "AMOX",
                max_age_days=12 * YEAR,
                per_kg=True,
                max_daily=90,
                usual_daily_max=50,
                source=f"{CNF} 阿莫西林: 儿童一日20-40mg/kg（重症最大90mg/kg）",
            ),
            DoseLimit(
                "AMOX",
                min_age_days=12 * YEAR,
                max_single=1000,
                max_daily=4000,
                usual_single_max=500,
                source=f"{CNF} 阿莫西林: 成人一次0.5g，一日最大4g",
            ),
            DoseLimit(
                "MET", min_age_days=10 * YEAR, max_daily=2550, min_daily=500, source="盐酸二甲双胍片说明书【用法用量】"
            ),
        ],
        "warnings": [
            DrugWarning(
                "ALLOP",
                "用药前建议检测HLA-B*5801基因（阳性者严重皮肤不良反应风险高）",
                severity="caution",
                source="别嘌醇片说明书【警示语】",
            ),
        ],
        "lab_aliases": {"血钾": "K", "k+": "K", "肌酐": "CR", "scr": "CR", "egfr": "EGFR", "inr": "INR"},
        "route_aliases": {"口服": "po", "静滴": "ivgtt", "静脉滴注": "ivgtt", "皮下注射": "ih", "肌注": "im"},
        "ppi_indication_prefixes": ("K21", "K25", "K26", "K27", "K29", "K92", "B98.0"),
        "ppi_prophylaxis_classes": frozenset({"NSAID", "antiplatelet", "glucocorticoid", "VKA"}),
        "ppi_iv_indication_prefixes": ("K92", "K25.0", "K25.4", "K26.0", "K26.4"),
        "chronic_disease_prefixes": ("I10", "I11", "I25", "E11", "E14", "J44", "I63"),
        "chronic_max_days": 84,
    }
    facts.update(overrides)
    return KnowledgeBase(**facts)


def item(code: str, dose: float | None = None, unit: str = "mg", frequency: str = "qd", **kw: Any) -> PrescriptionItem:
    kw.setdefault("route", "po")
    kw.setdefault("days", 3)
    return PrescriptionItem(drug_code=code, dose=dose, unit=unit, frequency=frequency, **kw)


def rx(
    *items: PrescriptionItem,
    age_years: float | None = 45,
    sex: str = "M",
    diagnoses: tuple[tuple[str, str], ...] = (("J06.9", "急性上呼吸道感染"),),
    kind: str = "outpatient",
    labs: tuple[LabResult, ...] = (),
    allergies: tuple[Allergy, ...] = (),
    **patient: Any,
) -> PrescriptionInput:
    meta_keys = {"antibiotic_level", "narcotic_privilege", "long_supply_reason", "over_dose_reason"}
    meta_kw = {k: patient.pop(k) for k in list(patient) if k in meta_keys}
    meta_kw.setdefault("antibiotic_level", 1)
    age_days = None if age_years is None else int(age_years * 365.25)
    if "age_days" in patient:
        age_days = patient.pop("age_days")
    return PrescriptionInput(
        patient=PatientInfo(age_days=age_days, sex=sex, allergies=list(allergies), **patient),
        diagnoses=[Diagnosis(code, name) for code, name in diagnoses],
        prescription=PrescriptionMeta(kind=kind, **meta_kw),
        items=list(items),
        labs=list(labs),
    )
