"""Seeded platform-default referral rules (REF-17), each citing its source.

Sources (see ``china-standards.md`` (the project's shared domain reference) for the evidence labels):

* 规范 = 《国家基本公共卫生服务规范（第三版）》(2017) 高血压患者健康管理服务规范 / 2型糖尿病患者健康管理服务规范,
  as summarised in china-standards.md §2.2 (紧急转诊 / 建议转诊 rows) and §2.5 (test vectors).
* Critical K⁺: china-standards.md §3.3 (ISO15189 laboratory list, "K⁺ ≤2.8 or ≥6.2 mmol/L" [V]).

Institutions override a default by saving their own rule with the same ``code`` (thresholds are
per-institution configuration); ``effective_from`` 2017-01-01 marks the 第三版 year (the exact
publication day is not in the reference).
"""

from __future__ import annotations

from typing import Any

HTN = ["I10", "I11", "I12", "I13", "I15"]  # ICD-10 高血压病 (I10–I15; I14 unused)
DM2 = ["E11", "E14"]  # 2型糖尿病 / 未特指的糖尿病
SRC_HTN = "《国家基本公共卫生服务规范（第三版）》高血压患者健康管理服务规范（china-standards.md §2.2）"
SRC_DM = "《国家基本公共卫生服务规范（第三版）》2型糖尿病患者健康管理服务规范（china-standards.md §2.2）"
EFFECTIVE_FROM = "2017-01-01"


def _dx(prefixes: list[str]) -> dict[str, Any]:
    return {"field": "diagnosis", "op": "prefix", "value": prefixes}


def _cmp(field: str, op: str, value: float) -> dict[str, Any]:
    return {"field": field, "op": op, "value": value}


DEFAULT_RULES: list[dict[str, Any]] = [
    {
        "code": "BP_CRISIS",
        "name": "血压≥180/110mmHg 紧急转诊",
        "severity": "emergency",
        "condition": {"any": [_cmp("vitals.sbp", ">=", 180), _cmp("vitals.dbp", ">=", 110)]},
        "reason": "收缩压≥180mmHg和（或）舒张压≥110mmHg，处理后紧急转诊，2周内主动随访转诊情况",
        "source": f"{SRC_HTN}；{SRC_DM}（紧急转诊，[C]）",
    },
    {
        "code": "GLU_CRITICAL",
        "name": "血糖≥16.7 或 ≤3.9mmol/L 紧急转诊",
        "severity": "emergency",
        "condition": {
            "any": [
                _cmp("labs.GLU", ">=", 16.7),
                _cmp("labs.GLU", "<=", 3.9),
                _cmp("labs.FPG", ">=", 16.7),
                _cmp("labs.FPG", "<=", 3.9),
            ]
        },
        "reason": "血糖≥16.7mmol/L或血糖≤3.9mmol/L，处理后紧急转诊，2周内主动随访转诊情况",
        "source": f"{SRC_DM}（紧急转诊，[C]）",
    },
    {
        "code": "CONSCIOUSNESS_CHANGED",
        "name": "意识或行为改变 紧急转诊",
        "severity": "emergency",
        "condition": {"field": "vitals.consciousness", "op": "not_in", "value": ["alert"]},
        "reason": "意识改变（或行为改变），处理后紧急转诊",
        "source": f"{SRC_HTN}（[M]）；{SRC_DM}（[C]）",
    },
    {
        "code": "DM_TACHYCARDIA",
        "name": "糖尿病患者持续性心动过速（心率>100次/分）紧急转诊",
        "severity": "emergency",
        "condition": {"all": [_dx(DM2), _cmp("vitals.hr", ">", 100)]},
        "reason": "持续性心动过速（心率超过100次/分钟），处理后紧急转诊",
        "source": f"{SRC_DM}（紧急转诊，[C]）",
    },
    {
        "code": "DM_FEVER",
        "name": "糖尿病患者体温超过39℃ 紧急转诊",
        "severity": "emergency",
        "condition": {"all": [_dx(DM2), _cmp("vitals.temperature", ">", 39)]},
        "reason": "体温超过39摄氏度，处理后紧急转诊",
        "source": f"{SRC_DM}（紧急转诊，[C]）",
    },
    {
        "code": "DM_ACUTE_SYMPTOMS",
        "name": "糖尿病急性并发症症状 紧急转诊",
        "severity": "emergency",
        "condition": {
            "all": [
                _dx(DM2),
                {
                    "field": "symptoms",
                    "op": "any_of",
                    "value": [
                        "呼气有烂苹果样丙酮味",
                        "心悸",
                        "出汗",
                        "食欲减退",
                        "恶心",
                        "呕吐",
                        "多饮",
                        "多尿",
                        "腹痛",
                        "深大呼吸",
                        "皮肤潮红",
                        "视力突然骤降",
                    ],
                },
            ]
        },
        "reason": "出现呼气烂苹果样丙酮味、心悸、出汗、恶心呕吐、多饮多尿、腹痛、深大呼吸、皮肤潮红或视力骤降等危急情况之一",
        "source": f"{SRC_DM}（紧急转诊，[C]）",
    },
    {
        "code": "HTN_ACUTE_SYMPTOMS",
        "name": "高血压危急症状 紧急转诊",
        "severity": "emergency",
        "condition": {
            "all": [
                _dx(HTN),
                {
                    "field": "symptoms",
                    "op": "any_of",
                    "value": ["剧烈头痛", "剧烈头晕", "恶心呕吐", "视力模糊", "眼痛", "心悸", "胸闷", "喘憋不能平卧"],
                },
            ]
        },
        "reason": "出现剧烈头痛或头晕、恶心呕吐、视力模糊、眼痛、心悸、胸闷、喘憋不能平卧等危急情况之一",
        "source": f"{SRC_HTN}（紧急转诊，[M]：须对照官方文本复核）",
    },
    {
        "code": "HTN_PREGNANCY",
        "name": "妊娠期或哺乳期血压高于正常 紧急转诊",
        "severity": "emergency",
        "condition": {
            "all": [
                {"field": "flags", "op": "any_of", "value": ["pregnant", "lactating"]},
                {"any": [_cmp("vitals.sbp", ">=", 140), _cmp("vitals.dbp", ">=", 90)]},
            ]
        },
        "reason": "处于妊娠期或哺乳期同时血压高于正常（≥140/90mmHg），紧急转诊",
        "source": f"{SRC_HTN}（紧急转诊，[M]；“高于正常”按筛查标准≥140/90mmHg）",
    },
    {
        "code": "HTN_UNCONTROLLED_TWICE",
        "name": "高血压连续两次控制不满意 建议转诊",
        "severity": "urgent",
        "condition": {
            "all": [
                _dx(HTN),
                {"field": "previous_control", "op": "==", "value": "uncontrolled"},
                {
                    "any": [
                        {
                            "all": [
                                _cmp("age", "<", 65),
                                {"any": [_cmp("vitals.sbp", ">=", 140), _cmp("vitals.dbp", ">=", 90)]},
                            ]
                        },
                        {
                            "all": [
                                _cmp("age", ">=", 65),
                                {"any": [_cmp("vitals.sbp", ">=", 150), _cmp("vitals.dbp", ">=", 90)]},
                            ]
                        },
                    ]
                },
            ]
        },
        "reason": "连续两次出现血压控制不满意（本次≥140/90mmHg，65岁及以上≥150/90mmHg），建议转诊到上级医院，2周内主动随访转诊情况",
        "source": f"{SRC_HTN}（建议转诊，[C]；向量 HTN-5）",
    },
    {
        "code": "DM_UNCONTROLLED_TWICE",
        "name": "糖尿病连续两次空腹血糖控制不满意 建议转诊",
        "severity": "urgent",
        "condition": {
            "all": [
                _dx(DM2),
                {"field": "previous_control", "op": "==", "value": "uncontrolled"},
                _cmp("labs.FPG", ">=", 7.0),
            ]
        },
        "reason": "连续两次空腹血糖控制不满意（本次空腹血糖≥7.0mmol/L），建议转诊到上级医院，2周内主动随访转诊情况",
        "source": f"{SRC_DM}（建议转诊，[C]；向量 DM-5）",
    },
    {
        "code": "CHRONIC_ADR_COMPLICATION",
        "name": "药物不良反应难以控制或并发症加重 建议转诊",
        "severity": "urgent",
        "condition": {
            "all": [
                _dx([*HTN, *DM2]),
                {
                    "field": "flags",
                    "op": "any_of",
                    "value": ["adr_uncontrolled", "new_complication", "complication_worse"],
                },
            ]
        },
        "reason": "药物不良反应难以控制，或出现新的并发症或原有并发症加重，建议转诊到上级医院",
        "source": f"{SRC_HTN}；{SRC_DM}（建议转诊，[C]）",
    },
    {
        "code": "K_CRITICAL",
        "name": "血钾危急值 紧急转诊",
        "severity": "emergency",
        "condition": {"any": [_cmp("labs.K", "<=", 2.8), _cmp("labs.K", ">=", 6.2)]},
        "reason": "血钾≤2.8mmol/L或≥6.2mmol/L（危急值），基层处理后紧急转诊",
        "source": "危急值报告制度；ISO15189 实验室危急值表 K⁺ ≤2.8 或 ≥6.2mmol/L（china-standards.md §3.3，[V] 第三方；各机构可按本院危急值表修改）",
    },
]
