"""Special-management checks: 质子泵抑制剂, 抗菌药, 麻醉药品, 精神药品, 用药警示."""

from __future__ import annotations

from collections.abc import Iterator

from yigongti.centers.prescription_review.engine.checkers.base import checker
from yigongti.centers.prescription_review.engine.context import Context, ItemView
from yigongti.centers.prescription_review.engine.kb import (
    ANTIBIOTIC_SPECIAL,
    CONTROL_NARCOTIC,
    CONTROL_PSYCHO_1,
    CONTROL_PSYCHO_2,
)
from yigongti.centers.prescription_review.engine.severity import (
    CAUTION,
    CONTRAINDICATED,
    INFO,
    NOT_RECOMMENDED,
)
from yigongti.centers.prescription_review.engine.types import (
    KIND_EMERGENCY,
    KIND_INPATIENT,
    KIND_OUTPATIENT,
    Finding,
)

ANTIBIOTIC_GRADES = {1: "非限制使用级", 2: "限制使用级", 3: "特殊使用级"}
ANTIBIOTIC_PRIVILEGE_SOURCE = (
    "《抗菌药物临床应用管理办法》(卫生部令第84号, 2012): 医师经培训考核合格后按专业技术职务授予相应级别的抗菌药物处方权; "
    "《医疗机构处方审核规范》(2018) 合法性"
)
ANTIBIOTIC_OUTPATIENT_SOURCE = "《抗菌药物临床应用管理办法》(卫生部令第84号, 2012): 特殊使用级抗菌药物不得在门诊使用"
NARCOTIC_PRIVILEGE_SOURCE = (
    "《处方管理办法》(卫生部令第53号) 第十一条: 经麻醉药品和精神药品使用知识培训并考核合格后取得"
    "麻醉药品和第一类精神药品的处方权; 《医疗机构处方审核规范》(2018) 合法性"
)
NARCOTIC_AMOUNT_SOURCE = (
    "《处方管理办法》(2007) 第二十三条: 门（急）诊麻醉药品、第一类精神药品注射剂每张处方为一次常用量，"
    "控缓释制剂不得超过7日常用量，其他剂型不得超过3日常用量; 第二十四条: 癌症疼痛和中、重度慢性疼痛患者"
    "注射剂不得超过3日、控缓释制剂不得超过15日、其他剂型不得超过7日常用量"
)
NARCOTIC_INPATIENT_SOURCE = (
    "《处方管理办法》(2007): 住院患者麻醉药品和第一类精神药品处方应当逐日开具，每张处方为1日常用量"
)
PSYCHO_2_SOURCE = (
    "《处方管理办法》(2007) 第二十三条: 第二类精神药品一般每张处方不得超过7日常用量；"
    "慢性病或某些特殊情况可适当延长，医师应当注明理由"
)
HIGH_ALERT_SOURCE = "《中国高警示药品推荐目录（2019版）》(中国药学会医院药学专业委员会)"
# 癌症疼痛/慢性疼痛: malignant neoplasms (C00–C97) and chronic pain (R52.1/R52.2, G89).
CANCER_PAIN_PREFIXES = ("C", "R52.1", "R52.2", "G89")


@checker("ppi")
def check_ppi(ctx: Context) -> Iterator[Finding]:
    kb = ctx.kb
    ppis = [v for v in ctx.known_items() if v.drug is not None and v.drug.is_ppi]
    if not ppis:
        return
    if len({v.code for v in ppis}) > 1:
        yield ctx.finding(
            "ppi",
            NOT_RECOMMENDED,
            f"同时使用{len(ppis)}种质子泵抑制剂（{'、'.join(v.name for v in ppis)}），属重复用药",
            items=tuple(ppis),
            source=kb.ppi_source,
        )
    if kb.ppi_indication_prefixes and ctx.diagnosis_codes:
        indicated = bool(ctx.diagnoses_matching(kb.ppi_indication_prefixes))
        prophylaxis = [
            v
            for v in ctx.known_items()
            if v.drug is not None and not v.drug.is_ppi and v.keys & kb.ppi_prophylaxis_classes
        ]
        if not indicated and not prophylaxis:
            yield ctx.finding(
                "ppi",
                NOT_RECOMMENDED,
                f"{ppis[0].name}：诊断中无质子泵抑制剂适应症，且无需预防应激性溃疡/药物相关消化道损伤的合并用药",
                items=tuple(ppis),
                source=kb.ppi_source,
                diagnosis_codes=ctx.diagnosis_codes,
            )
    ambulatory = ctx.rx.prescription.kind in (KIND_OUTPATIENT, KIND_EMERGENCY)
    if kb.ppi_iv_indication_prefixes and ambulatory and not ctx.diagnoses_matching(kb.ppi_iv_indication_prefixes):
        for view in ppis:
            if view.drug is not None and view.drug.is_injection:
                yield ctx.finding(
                    "ppi",
                    CAUTION,
                    f"{view.name}为注射剂：门急诊患者能口服时应首选口服质子泵抑制剂",
                    items=(view,),
                    source=kb.ppi_source,
                )


@checker("antibiotic")
def check_antibiotic(ctx: Context) -> Iterator[Finding]:
    meta = ctx.rx.prescription
    for view in ctx.known_items():
        assert view.drug is not None
        grade = view.drug.antibiotic_grade
        if not grade:
            continue
        if grade > meta.antibiotic_level:
            have = ANTIBIOTIC_GRADES.get(meta.antibiotic_level, "无")
            yield ctx.finding(
                "antibiotic",
                CONTRAINDICATED,
                f"{view.name}为{ANTIBIOTIC_GRADES[grade]}抗菌药物，开方医师抗菌药物处方权为{have}，无权开具",
                items=(view,),
                source=ANTIBIOTIC_PRIVILEGE_SOURCE,
                patient_data={"grade": grade, "privilege": meta.antibiotic_level},
            )
        if grade == ANTIBIOTIC_SPECIAL and meta.kind in (KIND_OUTPATIENT, KIND_EMERGENCY):
            yield ctx.finding(
                "antibiotic",
                CONTRAINDICATED,
                f"{view.name}为特殊使用级抗菌药物，不得在门急诊使用",
                items=(view,),
                source=ANTIBIOTIC_OUTPATIENT_SOURCE,
            )


def _supply_limit(ctx: Context, view: ItemView) -> tuple[int, str]:
    """Max days of supply of a 麻醉药品/第一类精神药品 item (处方管理办法 第二十三至二十五条)."""
    assert view.drug is not None
    if ctx.rx.prescription.kind == KIND_INPATIENT:
        return 1, "住院患者逐日开具，每张处方为1日常用量"
    pain = bool(ctx.diagnoses_matching(CANCER_PAIN_PREFIXES))
    if view.drug.is_injection:
        return (3, "癌痛/慢性疼痛患者注射剂不得超过3日常用量") if pain else (1, "注射剂每张处方为一次常用量")
    if view.drug.is_controlled_release:
        return (15, "癌痛/慢性疼痛患者控缓释制剂不得超过15日常用量") if pain else (7, "控缓释制剂不得超过7日常用量")
    return (7, "癌痛/慢性疼痛患者其他剂型不得超过7日常用量") if pain else (3, "其他剂型不得超过3日常用量")


def _controlled(ctx: Context, view: ItemView, check_type: str, label: str) -> Iterator[Finding]:
    meta = ctx.rx.prescription
    if not meta.narcotic_privilege:
        yield ctx.finding(
            check_type,
            CONTRAINDICATED,
            f"{view.name}为{label}，开方医师无麻醉药品和第一类精神药品处方权",
            items=(view,),
            source=NARCOTIC_PRIVILEGE_SOURCE,
        )
    if meta.kind not in (KIND_OUTPATIENT, KIND_EMERGENCY, KIND_INPATIENT):
        return
    days = view.item.days
    limit, text = _supply_limit(ctx, view)
    if days is not None and days > limit:
        yield ctx.finding(
            check_type,
            NOT_RECOMMENDED,
            f"{view.name}为{label}，处方用量{days}日：{text}",
            items=(view,),
            source=NARCOTIC_INPATIENT_SOURCE if meta.kind == KIND_INPATIENT else NARCOTIC_AMOUNT_SOURCE,
            patient_data={"days": days, "limit_days": limit},
        )


@checker("narcotic")
def check_narcotic(ctx: Context) -> Iterator[Finding]:
    for view in ctx.known_items():
        assert view.drug is not None
        if view.drug.control == CONTROL_NARCOTIC:
            yield from _controlled(ctx, view, "narcotic", "麻醉药品")


@checker("psychotropic")
def check_psychotropic(ctx: Context) -> Iterator[Finding]:
    meta = ctx.rx.prescription
    for view in ctx.known_items():
        assert view.drug is not None
        if view.drug.control == CONTROL_PSYCHO_1:
            yield from _controlled(ctx, view, "psychotropic", "第一类精神药品")
        elif view.drug.control == CONTROL_PSYCHO_2:
            days = view.item.days
            if meta.kind == KIND_INPATIENT or days is None or days <= 7 or meta.long_supply_reason:
                continue
            yield ctx.finding(
                "psychotropic",
                NOT_RECOMMENDED,
                f"{view.name}为第二类精神药品，处方用量{days}日超过7日常用量且未注明理由",
                items=(view,),
                source=PSYCHO_2_SOURCE,
                patient_data={"days": days},
            )


@checker("warning")
def check_warning(ctx: Context) -> Iterator[Finding]:
    for view in ctx.items:
        rules = ctx.kb.warning_index.for_keys(view.keys)
        for rule in rules:
            yield ctx.finding(
                "warning",
                rule.severity,
                f"{view.name}：{rule.message}",
                items=(view,),
                source=rule.source,
                rule_id=rule.rule_id,
            )
        if view.drug is not None and view.drug.high_alert and not any("高警示" in r.message for r in rules):
            yield ctx.finding(
                "warning",
                INFO,
                f"{view.name}为高警示药品，请核对剂量、浓度与给药途径",
                items=(view,),
                source=HIGH_ALERT_SOURCE,
            )
