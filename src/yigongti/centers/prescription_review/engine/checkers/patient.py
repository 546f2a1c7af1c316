"""Checks against the patient: 过敏史, 皮试, 年龄, 儿童, 性别, 妊娠期, 哺乳期, 肝/肾功能不全, 检验结果."""

from __future__ import annotations

from collections.abc import Iterator

from yigongti.centers.prescription_review.engine.checkers.base import checker
from yigongti.centers.prescription_review.engine.context import Context, ItemView
from yigongti.centers.prescription_review.engine.kb import RENAL_CRCL, RENAL_EGFR, child_pugh_rank
from yigongti.centers.prescription_review.engine.severity import CAUTION, CONTRAINDICATED
from yigongti.centers.prescription_review.engine.types import Allergy, Finding

ALLERGY_SOURCE = "《医疗机构处方审核规范》(2018) 适宜性: 用药禁忌（过敏史）; 药品说明书【禁忌】"
SKIN_TEST_SOURCE = "《医疗机构处方审核规范》(2018) 适宜性: 规定必须做皮试的药品，处方医师是否注明过敏试验及结果的判定"
SEX_SOURCE = "《医疗机构处方审核规范》(2018) 适宜性: 性别禁忌; 药品说明书【适应症】"


def _allergy_keys(ctx: Context, allergy: Allergy) -> set[str]:
    keys: set[str] = set()
    if allergy.code:
        keys.add(allergy.code)
    if allergy.text:
        keys |= ctx.kb.classes_in_text(allergy.text)
    return keys


def _text_hits(ctx: Context, view: ItemView, text: str) -> bool:
    if not text:
        return False
    names = {view.item.name, view.drug.name if view.drug else ""}
    return any(n and n in text for n in names)


@checker("allergy")
def check_allergy(ctx: Context) -> Iterator[Finding]:
    kb = ctx.kb
    for allergy in ctx.rx.patient.allergies:
        label = allergy.text or kb.class_name(allergy.code)
        keys = _allergy_keys(ctx, allergy)
        for view in ctx.items:
            direct = keys & view.keys
            if direct or _text_hits(ctx, view, allergy.text):
                what = kb.class_name(sorted(direct)[0]) if direct else view.name
                yield ctx.finding(
                    "allergy",
                    CONTRAINDICATED,
                    f"患者对{label}过敏，{view.name}属{what}，禁用",
                    items=(view,),
                    source=ALLERGY_SOURCE,
                    allergy=label,
                )
                continue
            for key in keys:
                for cross in kb.allergy_cross_by_allergy.get(key, ()):
                    if cross.target in view.keys:
                        yield ctx.finding(
                            "allergy",
                            cross.severity,
                            cross.message or f"患者对{label}过敏，与{view.name}可能存在交叉过敏",
                            items=(view,),
                            source=cross.source,
                            allergy=label,
                        )
                        break


@checker("skin_test")
def check_skin_test(ctx: Context) -> Iterator[Finding]:
    for view in ctx.known_items():
        assert view.drug is not None
        if not view.drug.skin_test:
            continue
        result = view.item.skin_test
        if result == "positive":
            yield ctx.finding(
                "skin_test",
                CONTRAINDICATED,
                f"{view.name}皮试结果为阳性，禁用",
                items=(view,),
                source=SKIN_TEST_SOURCE,
            )
        elif result == "":
            yield ctx.finding(
                "skin_test",
                CAUTION,
                f"{view.name}须做皮试，处方未注明皮试结果",
                items=(view,),
                source=SKIN_TEST_SOURCE,
            )


def _age_label(days: int) -> str:
    if days < 28:
        return f"{days}日龄"
    if days < 365 * 3:
        return f"{days // 30}月龄"
    return f"{days // 365}岁"


def _age_rules(ctx: Context, kind: str) -> Iterator[Finding]:
    age = ctx.age_days
    if age is None:
        return
    for view in ctx.items:
        for rule in ctx.kb.age_index.for_keys(view.keys):
            if rule.kind != kind:
                continue
            if rule.min_age_days is not None and age < rule.min_age_days:
                continue
            if rule.max_age_days is not None and age >= rule.max_age_days:
                continue
            yield ctx.finding(
                kind,
                rule.severity,
                f"{view.name}：{rule.message or '该年龄段患者用药受限'}（患者{_age_label(age)}）",
                items=(view,),
                source=rule.source,
                rule_id=rule.rule_id,
                patient_data={"age_days": age},
            )


@checker("age")
def check_age(ctx: Context) -> Iterator[Finding]:
    return _age_rules(ctx, "age")


@checker("child")
def check_child(ctx: Context) -> Iterator[Finding]:
    return _age_rules(ctx, "child")


@checker("sex")
def check_sex(ctx: Context) -> Iterator[Finding]:
    sex = ctx.rx.patient.sex
    if sex not in ("M", "F"):
        return
    for view in ctx.known_items():
        assert view.drug is not None
        if view.drug.sex and view.drug.sex != sex:
            only = "男性" if view.drug.sex == "M" else "女性"
            message = f"{view.name}仅用于{only}患者，与患者性别不符"
            if view.drug.sex_message:
                message += f"：{view.drug.sex_message}"
            yield ctx.finding(
                "sex",
                view.drug.sex_severity or CONTRAINDICATED,
                message,
                items=(view,),
                source=view.drug.sex_source or SEX_SOURCE,
                patient_data={"sex": sex},
            )


def _population(ctx: Context, population: str, label: str) -> Iterator[Finding]:
    for view in ctx.items:
        for rule in ctx.kb.population_index.for_keys(view.keys):
            if rule.population == population:
                yield ctx.finding(
                    population,
                    rule.severity,
                    f"{label}患者使用{view.name}：{rule.message or '用药受限'}",
                    items=(view,),
                    source=rule.source,
                    rule_id=rule.rule_id,
                    patient_data={population: True},
                )


@checker("pregnancy")
def check_pregnancy(ctx: Context) -> Iterator[Finding]:
    if ctx.rx.patient.pregnant:
        yield from _population(ctx, "pregnancy", "妊娠期")


@checker("lactation")
def check_lactation(ctx: Context) -> Iterator[Finding]:
    if ctx.rx.patient.lactating:
        yield from _population(ctx, "lactation", "哺乳期")


@checker("hepatic")
def check_hepatic(ctx: Context) -> Iterator[Finding]:
    grade = ctx.rx.patient.child_pugh
    rank = child_pugh_rank(grade)
    if rank == 0:
        return
    for view in ctx.items:
        for rule in ctx.kb.hepatic_index.for_keys(view.keys):
            if rank < child_pugh_rank(rule.min_class):
                continue
            if rule.max_daily_dose is not None:
                if view.daily_dose is None or view.daily_dose <= rule.max_daily_dose:
                    continue
                unit = view.drug.dose_unit if view.drug else ""
                text = f"日剂量{view.daily_dose:g}{unit}超过肝功能不全时上限{rule.max_daily_dose:g}{unit}"
            else:
                text = rule.message or "肝功能不全患者用药受限"
            yield ctx.finding(
                "hepatic",
                rule.severity,
                f"肝功能Child-Pugh {grade}级患者使用{view.name}：{text}",
                items=(view,),
                source=rule.source,
                rule_id=rule.rule_id,
                patient_data={"child_pugh": grade},
            )


def _renal_value(ctx: Context, measure: str) -> tuple[float, str] | None:
    """The patient's renal function in the rule's measure; the other measure as a surrogate when the
    stated one cannot be obtained (label shows which was used)."""
    if measure == RENAL_CRCL:
        return ctx.crcl or ctx.egfr
    if measure == RENAL_EGFR:
        return ctx.egfr or ctx.crcl
    if ctx.renal_function is None:
        return None
    return ctx.renal_function, ctx.renal_label


@checker("renal")
def check_renal(ctx: Context) -> Iterator[Finding]:
    if ctx.renal_function is None and ctx.egfr is None and ctx.crcl is None:
        return
    for view in ctx.items:
        for rule in ctx.kb.renal_index.for_keys(view.keys):
            found = _renal_value(ctx, rule.measure)
            if found is None:
                continue
            value, label = found
            if value >= rule.below:
                continue
            if rule.max_daily_dose is not None:
                if view.daily_dose is None or view.daily_dose <= rule.max_daily_dose:
                    continue
                unit = view.drug.dose_unit if view.drug else ""
                text = f"日剂量{view.daily_dose:g}{unit}超过肾功能不全时上限{rule.max_daily_dose:g}{unit}"
                if rule.message:
                    text += f"（{rule.message}）"
            else:
                text = rule.message or "肾功能不全患者用药受限"
            data: dict[str, object] = {"renal_function": value, "measure": label}
            if rule.measure:
                data["rule_measure"] = rule.measure
            yield ctx.finding(
                "renal",
                rule.severity,
                f"{label} {value:g}（<{rule.below:g}）患者使用{view.name}：{text}",
                items=(view,),
                source=rule.source,
                rule_id=rule.rule_id,
                patient_data=data,
            )


@checker("lab_contra")
def check_lab(ctx: Context) -> Iterator[Finding]:
    if not ctx.labs:
        return
    for view in ctx.items:
        for rule in ctx.kb.lab_index.for_keys(view.keys):
            lab = ctx.labs.get(rule.analyte)
            if lab is None or lab.value is None:
                continue
            hit = lab.value < rule.value if rule.op == "<" else lab.value > rule.value
            if not hit:
                continue
            name = lab.name or rule.analyte
            unit = lab.unit or rule.unit
            yield ctx.finding(
                "lab_contra",
                rule.severity,
                f"{name} {lab.value:g}{unit}（{rule.op}{rule.value:g}{rule.unit}），{view.name}："
                f"{rule.message or '检验结果提示用药禁忌'}",
                items=(view,),
                source=rule.source,
                lab_codes=(lab.code,),
                rule_id=rule.rule_id,
                patient_data={"analyte": rule.analyte, "value": lab.value, "unit": unit},
            )
