"""Rules of 《医院处方点评管理规范（试行）》(卫医管发〔2010〕28号) used by the comment center.

Sources: ``china-standards.md`` §5 — the 15/9/4 item list is [V] (the vendor seed
ZLRECIPE_COMMENT_ITEM.sql reproduces the 规范 wording), the sampling minimum (门急诊 ≥1‰ and ≥100 张/月;
病房（区）医嘱单 ≥1% and ≥30 份/月) is [C]. The article numbers (第十二条 sampling, 第十七/十八/十九条
categories) are from the text of the 规范 as commonly reproduced [M] — re-check against the official
text before using them as test oracles. The seed of the reason templates is a data migration
(``migrations/0002_seed_reasons.py``) holding the same rows; a test keeps the two equal.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from yigongti.centers.prescription_review.comment.choices import ReasonCategory, RiskLevel, VisitType

STANDARD_NAME: Final = "《医院处方点评管理规范（试行）》（卫医管发〔2010〕28号）"
SAMPLING_SOURCE: Final = (
    f"{STANDARD_NAME}第十二条：门急诊处方抽样率不应少于总处方量的1‰，且每月点评处方绝对数不应少于100张；"
    "病房（区）医嘱单抽样率（按出院病历数计）不应少于1%，且每月点评出院病历绝对数不应少于30份"
    "（china-standards.md §5）"
)

# (visit type) → (minimum rate, minimum absolute number per institution per month); the default of
# ``SamplingPolicy`` when an institution has none of its own.
DEFAULT_MIN_RATE_OUTPATIENT: Final = Decimal("0.001")
DEFAULT_MIN_MONTHLY_OUTPATIENT: Final = 100
DEFAULT_MIN_RATE_INPATIENT: Final = Decimal("0.01")
DEFAULT_MIN_MONTHLY_INPATIENT: Final = 30
OUTPATIENT_TYPES: Final = frozenset({VisitType.OUTPATIENT, VisitType.EMERGENCY})

ARTICLE_OF_CATEGORY: Final = {
    ReasonCategory.IRREGULAR: "第十七条",
    ReasonCategory.INAPPROPRIATE: "第十八条",
    ReasonCategory.EXCESSIVE: "第十九条",
}

# code, category, text — china-standards.md §5 [V]
REASONS: Final[tuple[tuple[str, str, str], ...]] = (
    ("1-1", ReasonCategory.IRREGULAR, "处方的前记、正文、后记内容缺项，书写不规范或者字迹难以辨认的"),
    ("1-2", ReasonCategory.IRREGULAR, "医师签名、签章不规范或者与签名、签章的留样不一致的"),
    (
        "1-3",
        ReasonCategory.IRREGULAR,
        "药师未对处方进行适宜性审核的（处方后记的审核、调配、核对、发药栏目无审核调配药师及核对发药药师签名，"
        "或者单人值班调剂未执行双签名规定）",
    ),
    ("1-4", ReasonCategory.IRREGULAR, "新生儿、婴幼儿处方未写明日、月龄的"),
    ("1-5", ReasonCategory.IRREGULAR, "西药、中成药与中药饮片未分别开具处方的"),
    ("1-6", ReasonCategory.IRREGULAR, "未使用药品规范名称开具处方的"),
    ("1-7", ReasonCategory.IRREGULAR, "药品的剂量、规格、数量、单位等书写不规范或不清楚的"),
    ("1-8", ReasonCategory.IRREGULAR, "用法、用量使用“遵医嘱”、“自用”等含糊不清字句的"),
    ("1-9", ReasonCategory.IRREGULAR, "处方修改未签名并注明修改日期，或药品超剂量使用未注明原因和再次签名的"),
    ("1-10", ReasonCategory.IRREGULAR, "开具处方未写临床诊断或临床诊断书写不全的"),
    ("1-11", ReasonCategory.IRREGULAR, "单张门急诊处方超过五种药品的"),
    (
        "1-12",
        ReasonCategory.IRREGULAR,
        "无特殊情况下，门诊处方超过7日用量，急诊处方超过3日用量，慢性病、老年病或特殊情况下需要适当延长处方用量未注明理由的",
    ),
    (
        "1-13",
        ReasonCategory.IRREGULAR,
        "开具麻醉药品、精神药品、医疗用毒性药品、放射性药品等特殊管理药品处方未执行国家有关规定的",
    ),
    ("1-14", ReasonCategory.IRREGULAR, "医师未按照抗菌药物临床应用管理规定开具抗菌药物处方的"),
    (
        "1-15",
        ReasonCategory.IRREGULAR,
        "中药饮片处方药物未按照“君、臣、佐、使”的顺序排列，或未按要求标注药物调剂、煎煮等特殊要求的",
    ),
    ("2-1", ReasonCategory.INAPPROPRIATE, "适应证不适宜的"),
    ("2-2", ReasonCategory.INAPPROPRIATE, "遴选的药品不适宜的"),
    ("2-3", ReasonCategory.INAPPROPRIATE, "药品剂型或给药途径不适宜的"),
    ("2-4", ReasonCategory.INAPPROPRIATE, "无正当理由不首选国家基本药物的"),
    ("2-5", ReasonCategory.INAPPROPRIATE, "用法、用量不适宜的"),
    ("2-6", ReasonCategory.INAPPROPRIATE, "联合用药不适宜的"),
    ("2-7", ReasonCategory.INAPPROPRIATE, "重复给药的"),
    ("2-8", ReasonCategory.INAPPROPRIATE, "有配伍禁忌或者不良相互作用的"),
    ("2-9", ReasonCategory.INAPPROPRIATE, "其它用药不适宜情况的"),
    ("3-1", ReasonCategory.EXCESSIVE, "无适应证用药"),
    ("3-2", ReasonCategory.EXCESSIVE, "无正当理由开具高价药的"),
    ("3-3", ReasonCategory.EXCESSIVE, "无正当理由超说明书用药的"),
    ("3-4", ReasonCategory.EXCESSIVE, "无正当理由为同一患者同时开具2种以上药理作用相同药物的"),
)

# The engine's default severity scale (shared design: 禁忌 > 不推荐 > 慎用 > 提示) mapped to the risk
# levels the guide counts (§3.6.4.5 高/中/低/提醒类风险; §3.6.5.1 高/中/低风险不合理). A check is
# 不合理 when its highest severity maps to 高, 中 or 低; 提醒 only informs and counts as 合理.
RISK_OF_SEVERITY: Final = {
    "contraindicated": RiskLevel.HIGH,
    "not_recommended": RiskLevel.MEDIUM,
    "caution": RiskLevel.LOW,
    "info": RiskLevel.INFO,
}
UNREASONABLE_RISKS: Final = (RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW)
RISK_RANK: Final = {RiskLevel.NONE: 0, RiskLevel.INFO: 1, RiskLevel.LOW: 2, RiskLevel.MEDIUM: 3, RiskLevel.HIGH: 4}

# Engine check types counted by the statistics report (engine/checkers: one code per check type).
INTERACTION_CHECKS: Final = frozenset({"interaction"})
DUPLICATE_CHECKS: Final = frozenset({"duplicate", "duplication", "duplicate_therapy"})

# Routes whose drug counts as an injection (注射剂) when the uploader does not flag it: 静脉注射/滴注,
# 肌内注射, 皮下注射, 皮内注射 (common HIS route codes).
INJECTION_ROUTES: Final = frozenset(
    {"iv", "ivgtt", "ivd", "im", "ih", "id", "静脉注射", "静脉滴注", "肌内注射", "皮下注射"}
)

# Drug classes a condition template may select (条件模板 药品类别).
DRUG_CLASSES: Final = {
    "antibiotic": "抗菌药物",
    "ppi": "质子泵抑制剂",
    "injection": "注射剂",
    "essential": "国家基本药物",
}


def risk_of(severity: str | None) -> str:
    if not severity or severity == "none":
        return RiskLevel.NONE
    return str(RISK_OF_SEVERITY.get(severity, RiskLevel.INFO))
