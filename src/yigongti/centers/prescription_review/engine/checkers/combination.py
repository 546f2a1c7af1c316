"""Checks across several items: 相互作用, 重复用药, 配伍, 配伍浓度, 注射剂离子浓度."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from yigongti.centers.prescription_review.engine.checkers.base import checker
from yigongti.centers.prescription_review.engine.context import Context, ItemView
from yigongti.centers.prescription_review.engine.kb import InteractionRule
from yigongti.centers.prescription_review.engine.severity import CONTRAINDICATED, NOT_RECOMMENDED
from yigongti.centers.prescription_review.engine.types import Finding

DUPLICATION_SOURCE = (
    "《医疗机构处方审核规范》(2018) 适宜性: 重复给药; 《医院处方点评管理规范（试行）》2-7 重复给药、"
    "3-4 无正当理由为同一患者同时开具2种以上药理作用相同药物"
)


@checker("interaction")
def check_interaction(ctx: Context) -> Iterator[Finding]:
    kb = ctx.kb
    pairs = kb.interaction_pairs
    if not pairs:
        return
    relevant = kb.interaction_keys
    keyed = [(v, [k for k in v.keys if k in relevant]) for v in ctx.items]
    keyed = [(v, ks) for v, ks in keyed if ks]
    for i in range(len(keyed)):
        a, a_keys = keyed[i]
        for j in range(i + 1, len(keyed)):
            b, b_keys = keyed[j]
            if a.code == b.code:
                continue
            for rule in _most_specific(pairs, a, a_keys, b, b_keys):
                text = f"{a.name}与{b.name}存在相互作用"
                if rule.mechanism:
                    text += f"：{rule.mechanism.rstrip('。')}"
                if rule.management:
                    text += f"。处理建议：{rule.management}"
                yield ctx.finding(
                    "interaction",
                    rule.severity,
                    text,
                    items=(a, b),
                    source=rule.source,
                    rule_id=rule.rule_id,
                    patient_data={"pair": [rule.a, rule.b]},
                )


def _most_specific(
    pairs: dict[frozenset[str], tuple[InteractionRule, ...]],
    a: ItemView,
    a_keys: list[str],
    b: ItemView,
    b_keys: list[str],
) -> list[InteractionRule]:
    """The rules matching the item pair at the most specific level only.

    Specificity = how many of the rule's two targets are the items' own drug codes (2 drug–drug,
    1 drug–class, 0 class–class).  A drug–drug monograph entry (e.g. 华法林 + 布洛芬) already states
    the class effect (华法林 + NSAIDs), so reporting both would list one clinical problem twice
    (《医疗机构处方审核规范》(2018) 第十九条: 审核结果应明确、可执行).  Rules of the same level are
    distinct problems and are all kept (deduplicated by rule id).
    """
    found: dict[str, tuple[int, InteractionRule]] = {}
    for ka in a_keys:
        for kb_key in b_keys:
            for rule in pairs.get(frozenset((ka, kb_key)), ()):
                level = (ka == a.code) + (kb_key == b.code)
                found.setdefault(rule.rule_id or f"{rule.a}|{rule.b}", (level, rule))
    if not found:
        return []
    best = max(level for level, _ in found.values())
    return [rule for level, rule in found.values() if level == best]


@checker("duplication")
def check_duplication(ctx: Context) -> Iterator[Finding]:
    kb = ctx.kb
    by_code: dict[str, list[ItemView]] = defaultdict(list)
    by_class: dict[str, list[ItemView]] = defaultdict(list)
    for view in ctx.items:
        if view.drug is not None and view.drug.is_solvent:
            continue
        by_code[view.code].append(view)
        if view.drug is None:
            continue
        for cls in view.drug.classes:
            info = kb.classes.get(cls)
            if info is not None and info.kind == "duplication":
                by_class[cls].append(view)
    for views in by_code.values():
        if len(views) > 1:
            yield ctx.finding(
                "duplication",
                NOT_RECOMMENDED,
                f"{views[0].name}在同一处方中重复开具{len(views)}次",
                items=tuple(views),
                source=DUPLICATION_SOURCE,
            )
    for cls, views in by_class.items():
        codes = {v.code for v in views}
        if len(codes) > 1:
            names = "、".join(v.name for v in views)
            yield ctx.finding(
                "duplication",
                NOT_RECOMMENDED,
                f"{names}同属{kb.class_name(cls)}，药理作用相同，属重复用药",
                items=tuple(views),
                source=DUPLICATION_SOURCE,
                patient_data={"class": cls},
            )


def _groups(ctx: Context) -> dict[str, list[ItemView]]:
    groups: dict[str, list[ItemView]] = defaultdict(list)
    for view in ctx.items:
        if view.item.group:
            groups[view.item.group].append(view)
    return groups


def _group_volume_ml(views: list[ItemView]) -> float | None:
    solvent_ml = 0.0
    for view in views:
        drug = view.drug
        if drug is not None and drug.is_solvent and view.single_dose is not None and drug.dose_unit.lower() == "ml":
            solvent_ml += view.single_dose
    if solvent_ml > 0:
        return solvent_ml
    declared = [v.item.solvent_volume_ml for v in views if v.item.solvent_volume_ml]
    return max(declared) if declared else None


INFUSE_ALONE_SOURCE = (
    "《中药注射剂临床使用基本原则》(卫医政发〔2008〕71号) 第四条: 中药注射剂应单独使用，禁忌与其他药品混合配伍使用"
)


@checker("incompatibility")
def check_incompatibility(ctx: Context) -> Iterator[Finding]:
    yield from _infuse_alone(ctx)
    pairs = ctx.kb.incompatibility_pairs
    if not pairs:
        return
    for group, views in _groups(ctx).items():
        for i in range(len(views)):
            for j in range(i + 1, len(views)):
                a, b = views[i], views[j]
                for ka in a.keys:
                    for kb_key in b.keys:
                        for rule in pairs.get(frozenset((ka, kb_key)), ()):
                            yield ctx.finding(
                                "incompatibility",
                                rule.severity,
                                f"第{group}组输液中{a.name}与{b.name}存在配伍禁忌"
                                + (f"：{rule.message}" if rule.message else ""),
                                items=(a, b),
                                source=rule.source,
                                rule_id=rule.rule_id,
                                patient_data={"group": group},
                            )


def _infuse_alone(ctx: Context) -> Iterator[Finding]:
    """An infuse-alone drug (中药注射剂) sharing its infusion group with any non-solvent drug."""
    for group, views in _groups(ctx).items():
        alone = [v for v in views if v.drug is not None and v.drug.infuse_alone]
        if not alone:
            continue
        for view in alone:
            others = [v for v in views if v is not view and not (v.drug is not None and v.drug.is_solvent)]
            if not others:
                continue
            assert view.drug is not None
            names = "、".join(v.name for v in others)
            yield ctx.finding(
                "incompatibility",
                CONTRAINDICATED,
                f"第{group}组输液中{view.name}应单独使用，不宜与{names}混合配伍",
                items=(view, *others),
                source=view.drug.infuse_alone_source or INFUSE_ALONE_SOURCE,
                patient_data={"group": group, "infuse_alone": view.code},
            )


@checker("concentration")
def check_concentration(ctx: Context) -> Iterator[Finding]:
    index = ctx.kb.concentration_index
    for group, views in _groups(ctx).items():
        volume = _group_volume_ml(views)
        solvents = [v for v in views if v.drug is not None and v.drug.is_solvent]
        solvent_codes = {v.code for v in solvents}
        for view in views:
            if view.drug is None or view.drug.is_solvent:
                continue
            for rule in index.for_keys(view.keys):
                if rule.solvents and solvent_codes and not (solvent_codes & rule.solvents):
                    allowed = "、".join(ctx.kb.class_name(c) for c in sorted(rule.solvents))
                    yield ctx.finding(
                        "concentration",
                        rule.severity,
                        f"第{group}组{view.name}溶媒选择不适宜，应选用{allowed}"
                        + (f"（{rule.message}）" if rule.message else ""),
                        items=(view, *solvents),
                        source=rule.source,
                        rule_id=rule.rule_id,
                        patient_data={"group": group},
                    )
                if volume is None or view.single_dose is None:
                    continue
                conc = view.single_dose / volume
                unit = f"{view.drug.dose_unit}/ml"
                if rule.max_per_ml is not None and conc > rule.max_per_ml:
                    yield ctx.finding(
                        "concentration",
                        rule.severity,
                        f"第{group}组{view.name}浓度{conc:.3g}{unit}，超过最高浓度{rule.max_per_ml:g}{unit}"
                        + (f"（{rule.message}）" if rule.message else ""),
                        items=(view,),
                        source=rule.source,
                        rule_id=rule.rule_id,
                        patient_data={"group": group, "concentration": round(conc, 4), "volume_ml": volume},
                    )
                elif rule.min_per_ml is not None and conc < rule.min_per_ml:
                    yield ctx.finding(
                        "concentration",
                        rule.severity,
                        f"第{group}组{view.name}浓度{conc:.3g}{unit}，低于最低浓度{rule.min_per_ml:g}{unit}"
                        + (f"（{rule.message}）" if rule.message else ""),
                        items=(view,),
                        source=rule.source,
                        rule_id=rule.rule_id,
                        patient_data={"group": group, "concentration": round(conc, 4), "volume_ml": volume},
                    )


ION_NAMES = {"K": "钾", "NA": "钠", "CA": "钙", "MG": "镁"}


@checker("ion_concentration")
def check_ion_concentration(ctx: Context) -> Iterator[Finding]:
    kb = ctx.kb
    if not kb.ions_by_drug:
        return
    for group, views in _groups(ctx).items():
        volume = _group_volume_ml(views)
        if not volume:
            continue
        totals: dict[str, float] = defaultdict(float)
        contributors: dict[str, list[ItemView]] = defaultdict(list)
        for view in views:
            if view.single_dose is None:
                continue
            for ion in kb.ions_by_drug.get(view.code, ()):
                totals[ion.ion] += view.single_dose * ion.mmol_per_unit
                contributors[ion.ion].append(view)
        for ion_code, mmol in totals.items():
            limit = kb.ion_limit_by_ion.get(ion_code)
            if limit is None:
                continue
            conc = mmol / (volume / 1000.0)
            if conc > limit.max_mmol_per_l:
                name = ION_NAMES.get(ion_code.upper(), ion_code)
                yield ctx.finding(
                    "ion_concentration",
                    limit.severity,
                    f"第{group}组输液{name}离子浓度{conc:.1f}mmol/L，超过{limit.max_mmol_per_l:g}mmol/L"
                    + (f"（{limit.message}）" if limit.message else ""),
                    items=tuple(contributors[ion_code]),
                    source=limit.source,
                    patient_data={"group": group, "ion": ion_code, "mmol_per_l": round(conc, 1)},
                )
