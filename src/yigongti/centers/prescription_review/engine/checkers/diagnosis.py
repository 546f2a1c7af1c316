"""Checks against diagnoses and history: 适应症, 禁忌症, 病史相关禁忌, 慢病用药."""

from __future__ import annotations

from collections.abc import Iterator

from yigongti.centers.prescription_review.engine.checkers.base import checker
from yigongti.centers.prescription_review.engine.context import Context
from yigongti.centers.prescription_review.engine.severity import CAUTION, NOT_RECOMMENDED
from yigongti.centers.prescription_review.engine.types import KIND_EMERGENCY, KIND_OUTPATIENT, Finding

LONG_TERM_SOURCE = (
    "《长期处方管理规范（试行）》(国卫办医发〔2021〕17号): 长期处方用量一般在4周内，"
    "根据慢性病特点，病情稳定的患者可适当延长，最长不超过12周"
)
LONG_TERM_DIAGNOSIS_SOURCE = (
    "《长期处方管理规范（试行）》(2021): 长期处方适用于临床诊断明确、用药方案稳定的慢性病患者; 《处方管理办法》第十九条"
)


@checker("indication")
def check_indication(ctx: Context) -> Iterator[Finding]:
    if not ctx.diagnosis_codes:
        return  # 无诊断 is reported by norm_diagnosis
    for view in ctx.known_items():
        rules = ctx.kb.indication_index.for_keys(view.keys)
        if not rules:
            continue
        prefixes = tuple(p for r in rules for p in r.icd_prefixes)
        if ctx.diagnoses_matching(prefixes):
            continue
        rule = rules[0]
        names = "、".join(d.name or d.code for d in ctx.rx.diagnoses)
        yield ctx.finding(
            "indication",
            rule.severity,
            f"{view.name}的适应症与临床诊断（{names}）不符",
            items=(view,),
            source=rule.source,
            diagnosis_codes=ctx.diagnosis_codes,
            rule_id=rule.rule_id,
        )


@checker("contraindication")
def check_contraindication(ctx: Context) -> Iterator[Finding]:
    if not ctx.diagnosis_codes:
        return
    for view in ctx.items:
        for rule in ctx.kb.contra_index.for_keys(view.keys):
            if rule.kind != "diagnosis":
                continue
            matched = ctx.diagnoses_matching(rule.icd_prefixes)
            if not matched:
                continue
            names = "、".join(d.name or d.code for d in ctx.rx.diagnoses if d.code.strip().upper() in matched)
            yield ctx.finding(
                "contraindication",
                rule.severity,
                f"{view.name}禁用于{names}" + (f"：{rule.message}" if rule.message else ""),
                items=(view,),
                source=rule.source,
                diagnosis_codes=matched,
                rule_id=rule.rule_id,
            )


@checker("history_contra")
def check_history(ctx: Context) -> Iterator[Finding]:
    history = ctx.rx.patient.history
    text = ctx.history_text
    if not history and not text:
        return
    codes = tuple(h.strip().upper() for h in history)
    for view in ctx.items:
        for rule in ctx.kb.contra_index.for_keys(view.keys):
            if rule.kind != "history":
                continue
            matched = [c for c in codes if rule.icd_prefixes and c.startswith(rule.icd_prefixes)]
            words = [w for w in rule.keywords if w in text]
            if not matched and not words:
                continue
            what = "、".join(words or matched)
            yield ctx.finding(
                "history_contra",
                rule.severity,
                f"患者有{what}病史，{view.name}" + (f"：{rule.message}" if rule.message else "禁用"),
                items=(view,),
                source=rule.source,
                diagnosis_codes=tuple(matched),
                rule_id=rule.rule_id,
                patient_data={"history": what},
            )


@checker("chronic")
def check_chronic(ctx: Context) -> Iterator[Finding]:
    kind = ctx.rx.prescription.kind
    if kind not in (KIND_OUTPATIENT, KIND_EMERGENCY):
        return
    limit = ctx.kb.chronic_max_days
    has_chronic = bool(ctx.diagnoses_matching(ctx.kb.chronic_disease_prefixes))
    for view in ctx.known_items():
        assert view.drug is not None
        days = view.item.days
        if not view.drug.chronic or days is None or days <= 7:
            continue
        if days > limit:
            yield ctx.finding(
                "chronic",
                NOT_RECOMMENDED,
                f"{view.name}慢病长期处方用量{days}天，超过最长{limit}天",
                items=(view,),
                source=LONG_TERM_SOURCE,
                patient_data={"days": days},
            )
        elif not has_chronic and ctx.kb.chronic_disease_prefixes:
            yield ctx.finding(
                "chronic",
                CAUTION,
                f"{view.name}开具{days}天用量，但诊断中无适用长期处方的慢性病",
                items=(view,),
                source=LONG_TERM_DIAGNOSIS_SOURCE,
                diagnosis_codes=ctx.diagnosis_codes,
                patient_data={"days": days},
            )


def has_chronic_exemption(ctx: Context, days: int, chronic_drug: bool) -> bool:
    """长期处方 of a chronic-disease drug for a chronic diagnosis within the limit (used by norms)."""
    return (
        chronic_drug
        and days <= ctx.kb.chronic_max_days
        and bool(ctx.diagnoses_matching(ctx.kb.chronic_disease_prefixes))
    )
