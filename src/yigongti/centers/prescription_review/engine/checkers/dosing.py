"""Dose and usage checks: 超剂量, 超常规用量, 给药频次, 给药途径, 疗程."""

from __future__ import annotations

from collections.abc import Iterator

from yigongti.centers.prescription_review.engine.checkers.base import checker
from yigongti.centers.prescription_review.engine.context import Context, ItemView
from yigongti.centers.prescription_review.engine.kb import DoseLimit
from yigongti.centers.prescription_review.engine.severity import CAUTION, INFO, NOT_RECOMMENDED
from yigongti.centers.prescription_review.engine.types import Finding

OVER_DOSE_REASON_SOURCE = "《医院处方点评管理规范（试行）》1-9: 药品超剂量使用应注明原因和再次签名"
FREQUENCY_SOURCE = "《医疗机构处方审核规范》(2018) 适宜性: 剂量、用法的正确性; 药品说明书【用法用量】"
ROUTE_SOURCE = "《医疗机构处方审核规范》(2018) 适宜性: 选用剂型与给药途径的适宜性; 药品说明书【用法用量】"
COURSE_SOURCE = "药品说明书【用法用量】疗程"


def _limit_for(ctx: Context, view: ItemView) -> DoseLimit | None:
    """The most specific dose limit for the patient's age and the item's route."""
    limits = ctx.kb.dose_limits_by_drug.get(view.code)
    if not limits:
        return None
    age = ctx.age_days
    best: DoseLimit | None = None
    best_score = -1
    for lim in limits:
        if lim.route and lim.route != view.route:
            continue
        banded = lim.min_age_days is not None or lim.max_age_days is not None
        if banded:
            if age is None:
                continue
            if lim.min_age_days is not None and age < lim.min_age_days:
                continue
            if lim.max_age_days is not None and age >= lim.max_age_days:
                continue
        score = (2 if lim.route else 0) + (1 if banded else 0)
        if score > best_score:
            best, best_score = lim, score
    return best


def _scaled(ctx: Context, lim: DoseLimit, value: float | None) -> float | None:
    if value is None:
        return None
    if not lim.per_kg:
        return value
    weight = ctx.rx.patient.weight_kg
    return None if weight is None else value * weight


def _dose_text(value: float, unit: str) -> str:
    return f"{value:.4g}{unit}"


@checker("dose_over")
def check_dose_over(ctx: Context) -> Iterator[Finding]:
    reason = ctx.rx.prescription.over_dose_reason
    for view in ctx.known_items():
        lim = _limit_for(ctx, view)
        if lim is None:
            continue
        assert view.drug is not None
        unit = view.drug.dose_unit
        basis = "（按体重计算）" if lim.per_kg else ""
        max_single = _scaled(ctx, lim, lim.max_single)
        max_daily = _scaled(ctx, lim, lim.max_daily)
        problems: list[str] = []
        if max_single is not None and view.single_dose is not None and view.single_dose > max_single + 1e-9:
            problems.append(
                f"单次剂量{_dose_text(view.single_dose, unit)}超过最大单次剂量{_dose_text(max_single, unit)}{basis}"
            )
        if max_daily is not None and view.daily_dose is not None and view.daily_dose > max_daily + 1e-9:
            problems.append(
                f"日剂量{_dose_text(view.daily_dose, unit)}超过每日最大剂量{_dose_text(max_daily, unit)}{basis}"
            )
        if not problems:
            continue
        message = f"{view.name}" + "，".join(problems)
        severity = NOT_RECOMMENDED
        source = lim.source
        if reason:
            severity = CAUTION
            message += f"（医师已注明理由：{reason}）"
        else:
            message += "，未注明超剂量理由"
            source = f"{lim.source}; {OVER_DOSE_REASON_SOURCE}" if lim.source else OVER_DOSE_REASON_SOURCE
        yield ctx.finding(
            "dose_over",
            severity,
            message,
            items=(view,),
            source=source,
            rule_id=lim.rule_id,
            patient_data={"weight_kg": ctx.rx.patient.weight_kg} if lim.per_kg else {},
        )


@checker("dose_unusual")
def check_dose_unusual(ctx: Context) -> Iterator[Finding]:
    for view in ctx.known_items():
        lim = _limit_for(ctx, view)
        if lim is None:
            continue
        assert view.drug is not None
        unit = view.drug.dose_unit
        max_single = _scaled(ctx, lim, lim.max_single)
        max_daily = _scaled(ctx, lim, lim.max_daily)
        over_single = max_single is not None and view.single_dose is not None and view.single_dose > max_single
        over_daily = max_daily is not None and view.daily_dose is not None and view.daily_dose > max_daily
        if over_single or over_daily:
            continue  # reported as 超剂量
        usual_single = _scaled(ctx, lim, lim.usual_single_max)
        usual_daily = _scaled(ctx, lim, lim.usual_daily_max)
        min_daily = _scaled(ctx, lim, lim.min_daily)
        if usual_single is not None and view.single_dose is not None and view.single_dose > usual_single + 1e-9:
            yield ctx.finding(
                "dose_unusual",
                CAUTION,
                f"{view.name}单次剂量{_dose_text(view.single_dose, unit)}高于常规剂量{_dose_text(usual_single, unit)}",
                items=(view,),
                source=lim.source,
                rule_id=lim.rule_id,
            )
        elif usual_daily is not None and view.daily_dose is not None and view.daily_dose > usual_daily + 1e-9:
            yield ctx.finding(
                "dose_unusual",
                CAUTION,
                f"{view.name}日剂量{_dose_text(view.daily_dose, unit)}高于常规日剂量{_dose_text(usual_daily, unit)}",
                items=(view,),
                source=lim.source,
                rule_id=lim.rule_id,
            )
        elif min_daily is not None and view.daily_dose is not None and view.daily_dose < min_daily - 1e-9:
            yield ctx.finding(
                "dose_unusual",
                INFO,
                f"{view.name}日剂量{_dose_text(view.daily_dose, unit)}低于常规最低日剂量{_dose_text(min_daily, unit)}",
                items=(view,),
                source=lim.source,
                rule_id=lim.rule_id,
            )


@checker("frequency")
def check_frequency(ctx: Context) -> Iterator[Finding]:
    for view in ctx.known_items():
        assert view.drug is not None
        allowed = view.drug.frequencies
        freq = view.item.frequency.strip().lower()
        if not allowed or not freq:
            continue
        if freq not in {f.lower() for f in allowed}:
            yield ctx.finding(
                "frequency",
                NOT_RECOMMENDED,
                f"{view.name}给药频次{view.item.frequency}不适宜，推荐{'/'.join(sorted(allowed))}",
                items=(view,),
                source=FREQUENCY_SOURCE,
            )


@checker("route")
def check_route(ctx: Context) -> Iterator[Finding]:
    for view in ctx.known_items():
        assert view.drug is not None
        allowed = view.drug.routes
        if not allowed or not view.route:
            continue
        if view.route not in allowed:
            yield ctx.finding(
                "route",
                NOT_RECOMMENDED,
                f"{view.name}（{view.drug.form or '该剂型'}）不能经{view.item.route}给药，"
                f"应为{'/'.join(sorted(allowed))}",
                items=(view,),
                source=ROUTE_SOURCE,
            )


@checker("course")
def check_course(ctx: Context) -> Iterator[Finding]:
    for view in ctx.known_items():
        assert view.drug is not None
        limit = view.drug.max_course_days
        days = view.item.days
        if limit is not None and days is not None and days > limit:
            yield ctx.finding(
                "course",
                CAUTION,
                f"{view.name}用药{days}天，超过推荐最长疗程{limit}天",
                items=(view,),
                source=view.drug.course_source or COURSE_SOURCE,
                patient_data={"days": days},
            )
        yield from _course_total(ctx, view)


def _course_total(ctx: Context, view: ItemView) -> Iterator[Finding]:
    """疗程总量: daily dose × days above ``DoseLimit.max_course_total`` (label's cumulative maximum)."""
    lim = _limit_for(ctx, view)
    days = view.item.days
    if lim is None or lim.max_course_total is None or view.daily_dose is None or not days:
        return
    cap = _scaled(ctx, lim, lim.max_course_total)
    if cap is None:
        return
    total = view.daily_dose * days
    if total <= cap + 1e-9:
        return
    assert view.drug is not None
    unit = view.drug.dose_unit
    yield ctx.finding(
        "course",
        NOT_RECOMMENDED,
        f"{view.name}疗程总量{_dose_text(total, unit)}（{days}天），超过疗程总量上限{_dose_text(cap, unit)}",
        items=(view,),
        source=lim.source or COURSE_SOURCE,
        rule_id=lim.rule_id,
        patient_data={"days": days, "course_total": round(total, 4), "max_course_total": cap},
    )
