"""规范性 checks of 《医疗机构处方审核规范》(2018) that the structured data allows (china-standards §4, §5)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from yigongti.centers.prescription_review.engine.checkers.base import checker
from yigongti.centers.prescription_review.engine.checkers.diagnosis import has_chronic_exemption
from yigongti.centers.prescription_review.engine.context import Context
from yigongti.centers.prescription_review.engine.kb import CONTROL_NARCOTIC, CONTROL_PSYCHO_1, CONTROL_PSYCHO_2
from yigongti.centers.prescription_review.engine.severity import CAUTION, INFO
from yigongti.centers.prescription_review.engine.types import KIND_EMERGENCY, KIND_OUTPATIENT, Finding

MAX_ITEMS = 5  # 每张处方不得超过5种药品 (处方审核规范 2018 规范性; 点评规范 1-11)
OUTPATIENT_DAYS = 7  # 《处方管理办法》第十九条: 处方一般不得超过7日用量
EMERGENCY_DAYS = 3  # 急诊处方一般不得超过3日用量
INFANT_DAYS = 365 * 3  # 婴幼儿 (≤3岁) — 新生儿、婴幼儿写日、月龄

ITEM_COUNT_SOURCE = (
    "《医疗机构处方审核规范》(2018) 规范性: 每张处方不得超过5种药品; 《医院处方点评管理规范（试行）》1-11"
)
SUPPLY_SOURCE = (
    "《处方管理办法》(2007) 第十九条: 处方一般不得超过7日用量，急诊处方一般不得超过3日用量，"
    "慢性病、老年病或特殊情况可适当延长但医师应当注明理由; 《医院处方点评管理规范（试行）》1-12"
)
INFANT_SOURCE = (
    "《医疗机构处方审核规范》(2018) 规范性: 年龄应当为实足年龄，新生儿、婴幼儿写日、月龄，必要时注明体重; "
    "《医院处方点评管理规范（试行）》1-4"
)
VAGUE_SOURCE = (
    '《医疗机构处方审核规范》(2018) 规范性: 用法用量不得使用"遵医嘱""自用"等含糊不清字句; '
    "《医院处方点评管理规范（试行）》1-8"
)
DIAGNOSIS_SOURCE = "《医院处方点评管理规范（试行）》1-10: 开具处方未写临床诊断或临床诊断书写不全"

VAGUE_RE = re.compile(r"遵医嘱|遵嘱|按医嘱|自用|医嘱用|如前|同前")
DAY_MONTH_RE = re.compile(r"[天日月]|周龄")
CONTROLLED = frozenset({CONTROL_NARCOTIC, CONTROL_PSYCHO_1, CONTROL_PSYCHO_2})


def _ambulatory(ctx: Context) -> bool:
    return ctx.rx.prescription.kind in (KIND_OUTPATIENT, KIND_EMERGENCY)


@checker("norm_item_count")
def check_item_count(ctx: Context) -> Iterator[Finding]:
    if not _ambulatory(ctx):
        return
    drugs = {v.code: v for v in ctx.items if not (v.drug is not None and v.drug.is_solvent)}
    if len(drugs) > MAX_ITEMS:
        yield ctx.finding(
            "norm_item_count",
            CAUTION,
            f"单张门急诊处方开具{len(drugs)}种药品，超过{MAX_ITEMS}种",
            items=tuple(drugs.values()),
            source=ITEM_COUNT_SOURCE,
            patient_data={"count": len(drugs)},
        )


@checker("norm_supply_days")
def check_supply_days(ctx: Context) -> Iterator[Finding]:
    meta = ctx.rx.prescription
    if not _ambulatory(ctx) or meta.long_supply_reason:
        return
    limit = EMERGENCY_DAYS if meta.kind == KIND_EMERGENCY else OUTPATIENT_DAYS
    label = "急诊" if meta.kind == KIND_EMERGENCY else "门诊"
    for view in ctx.items:
        days = view.item.days
        if days is None or days <= limit:
            continue
        drug = view.drug
        if drug is not None and drug.control in CONTROLLED:
            continue  # 麻醉/精神药品 have their own limits
        if has_chronic_exemption(ctx, days, drug is not None and drug.chronic):
            continue
        yield ctx.finding(
            "norm_supply_days",
            CAUTION,
            f"{view.name}{label}处方用量{days}日，超过{limit}日且未注明延长理由",
            items=(view,),
            source=SUPPLY_SOURCE,
            patient_data={"days": days, "limit_days": limit},
        )


@checker("norm_infant_age")
def check_infant_age(ctx: Context) -> Iterator[Finding]:
    patient = ctx.rx.patient
    age = patient.age_days
    if age is None or age >= INFANT_DAYS:
        return
    who = "新生儿" if age < 28 else "婴幼儿"
    if patient.age_text and not DAY_MONTH_RE.search(patient.age_text):
        yield ctx.finding(
            "norm_infant_age",
            CAUTION,
            f"{who}处方年龄写作“{patient.age_text}”，应写明日龄或月龄",
            source=INFANT_SOURCE,
            patient_data={"age_days": age, "age_text": patient.age_text},
        )
    if patient.weight_kg is None:
        yield ctx.finding(
            "norm_infant_age",
            INFO,
            f"{who}处方未注明体重",
            source=INFANT_SOURCE,
            patient_data={"age_days": age},
        )


@checker("norm_vague_usage")
def check_vague_usage(ctx: Context) -> Iterator[Finding]:
    for view in ctx.items:
        item = view.item
        text = f"{item.usage_text} {item.frequency} {item.route}"
        match = VAGUE_RE.search(text)
        if match is not None:
            word = match.group(0)
        elif item.frequency and item.frequency.strip().lower() in ctx.kb.vague_frequencies:
            # a HIS frequency code the knowledge base marks as 含义不明确 (e.g. "ysz" = 遵医嘱)
            word = item.frequency.strip()
        else:
            continue
        yield ctx.finding(
            "norm_vague_usage",
            CAUTION,
            f"{view.name}用法用量使用“{word}”等含糊字句",
            items=(view,),
            source=VAGUE_SOURCE,
        )


@checker("norm_diagnosis")
def check_diagnosis(ctx: Context) -> Iterator[Finding]:
    if ctx.rx.diagnoses and any(d.code or d.name for d in ctx.rx.diagnoses):
        return
    yield ctx.finding("norm_diagnosis", CAUTION, "处方未写临床诊断", source=DIAGNOSIS_SOURCE)


UNKNOWN_SOURCE = "《医疗机构处方审核规范》(2018): 对信息系统不能审核的部分，应由药师进行人工审核"


@checker("unknown_drug")
def check_unknown_drug(ctx: Context) -> Iterator[Finding]:
    for view in ctx.items:
        if view.drug is None:
            yield ctx.finding(
                "unknown_drug",
                INFO,
                f"{view.name}（{view.code}）未收录于审方知识库，系统无法审核，需药师人工审核",
                items=(view,),
                source=UNKNOWN_SOURCE,
            )
