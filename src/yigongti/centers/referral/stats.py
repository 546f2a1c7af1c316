"""统计分析 (REF-03, guide §3.1.1.3): referral counts per institution, region, doctor and period.

Every breakdown is ONE aggregation query over the referrals the user may see (the data scope of
``referral_scope``), with conditional counts (``Count(filter=…)``); names come from joins in the
same query. Results are plain rows plus an ECharts-ready ``chart`` (``categories`` + ``series``).

Perspective: 转出 (out) counts referrals whose applicant institution is one of the user's
institutions, 转入 (in) those whose receiving institution is; 上转/下转 is the referral's direction.
Periods follow the submission time (``submitted_at``, local time Asia/Shanghai); drafts never count.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, IntegerField, Max, Q, QuerySet, Value
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
from django.utils import timezone

from yigongti.centers.referral.models import Referral
from yigongti.centers.referral.selectors import referral_visible
from yigongti.core.documents.excel import Sheet, excel_workbook
from yigongti.core.errors import BusinessError

UP, DOWN = "up", "down"
KINDS = (("outpatient", "门诊"), ("inpatient", "住院"), ("exam", "检查"))
PERIODS = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}
# 乡镇层级 (guide §3.1.1.1 成员机构类别): which institution types count as county level
COUNTY_TYPES = frozenset({"lead_hospital", "county_hospital", "public_health"})
VILLAGE_TYPES = frozenset({"village_clinic"})
ARRIVED = ("received", "feedback", "closed")
REFUSED = ("rejected", "refused")
MAX_DAYS = 3660


@dataclass(frozen=True)
class StatsFilter:
    start: dt.date | None = None
    end: dt.date | None = None
    direction: str = ""
    kind: str = ""
    institution_id: int | None = None
    period: str = "month"
    extra: dict[str, Any] = field(default_factory=dict)


def referral_scope(user: Any) -> QuerySet[Referral]:
    """The referrals ``user`` may see: both the applicant and the receiving side (data scope)."""
    return referral_visible(Referral.objects.all(), user)


def perspective(user: Any, flt: StatsFilter) -> frozenset[int] | None:
    """The institutions the figures are about (``None`` = every institution, for the 全部 scope)."""
    if flt.institution_id is not None:
        return frozenset({flt.institution_id})
    ctx = user.scope_context()
    if ctx.all:
        return None
    ids = set(ctx.institution_ids)
    if not ids and getattr(user, "institution_id", None):
        ids.add(user.institution_id)
    return frozenset(ids)


def base_queryset(user: Any, flt: StatsFilter) -> QuerySet[Referral]:
    if flt.start and flt.end and flt.end < flt.start:
        raise BusinessError(
            "REFERRAL_STATS_RANGE", "结束日期不能早于开始日期。", fields={"end": ["结束日期不能早于开始日期。"]}
        )
    if flt.start and flt.end and (flt.end - flt.start).days > MAX_DAYS:
        raise BusinessError(
            "REFERRAL_STATS_RANGE", "统计区间不能超过 10 年。", fields={"start": ["统计区间不能超过 10 年。"]}
        )
    qs = referral_scope(user).filter(submitted_at__isnull=False)
    tz = timezone.get_current_timezone()
    if flt.start:
        qs = qs.filter(submitted_at__gte=dt.datetime.combine(flt.start, dt.time.min, tzinfo=tz))
    if flt.end:
        qs = qs.filter(submitted_at__lt=dt.datetime.combine(flt.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    if flt.direction:
        qs = qs.filter(direction=flt.direction)
    if flt.kind:
        qs = qs.filter(kind=flt.kind)
    inst = perspective(user, flt)
    if inst is not None:
        qs = qs.filter(Q(from_institution_id__in=sorted(inst)) | Q(to_institution_id__in=sorted(inst)))
    return qs.order_by()


def _counts(prefix: str = "") -> dict[str, Any]:
    """Conditional counts of direction and kind (one column each)."""
    out: dict[str, Any] = {
        "up": Count("pk", filter=Q(direction=UP)),
        "down": Count("pk", filter=Q(direction=DOWN)),
        "total": Count("pk"),
    }
    for code, _ in KINDS:
        out[code] = Count("pk", filter=Q(kind=code))
    return {f"{prefix}{k}": v for k, v in out.items()}


def _zero(keys: Iterable[str]) -> dict[str, int]:
    return dict.fromkeys(keys, 0)


def _series(categories: list[str], rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "categories": categories,
        "series": [
            {"name": label, "key": key, "type": "bar", "data": [r[key] for r in rows]} for key, label in columns
        ],
    }


# -- summary and time quality ---------------------------------------------------------------------------
def _hours(value: dt.timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 3600, 1)


def summary(user: Any, flt: StatsFilter) -> dict[str, Any]:
    """Totals plus 时效 figures: average/longest hours submit→arrange, arrange→receive, submit→receive."""
    qs = base_queryset(user, flt)
    inst = perspective(user, flt)
    out_q = Q() if inst is None else Q(from_institution_id__in=sorted(inst))
    in_q = Q() if inst is None else Q(to_institution_id__in=sorted(inst))
    to_arrange = ExpressionWrapper(F("arranged_at") - F("submitted_at"), output_field=DurationField())
    to_receive = ExpressionWrapper(F("received_at") - F("arranged_at"), output_field=DurationField())
    overall = ExpressionWrapper(F("received_at") - F("submitted_at"), output_field=DurationField())
    row = qs.aggregate(
        **_counts(),
        out_total=Count("pk", filter=out_q),
        in_total=Count("pk", filter=in_q),
        arrived=Count("pk", filter=Q(status__in=ARRIVED)),
        refused=Count("pk", filter=Q(status__in=REFUSED)),
        cancelled=Count("pk", filter=Q(status="cancelled")),
        no_show=Count("pk", filter=Q(status="no_show")),
        arranged_n=Count("pk", filter=Q(arranged_at__isnull=False)),
        received_n=Count("pk", filter=Q(received_at__isnull=False, arranged_at__isnull=False)),
        avg_arrange=Avg(to_arrange, filter=Q(arranged_at__isnull=False)),
        max_arrange=Max(to_arrange, filter=Q(arranged_at__isnull=False)),
        avg_receive=Avg(to_receive, filter=Q(received_at__isnull=False, arranged_at__isnull=False)),
        max_receive=Max(to_receive, filter=Q(received_at__isnull=False, arranged_at__isnull=False)),
        avg_overall=Avg(overall, filter=Q(received_at__isnull=False)),
    )
    totals = {
        k: int(row[k] or 0)
        for k in ("total", "up", "down", "out_total", "in_total", "arrived", "refused", "cancelled", "no_show")
    }
    totals.update({code: int(row[code] or 0) for code, _ in KINDS})
    quality = {
        "arranged_count": int(row["arranged_n"] or 0),
        "received_count": int(row["received_n"] or 0),
        "submit_to_arrange_avg_hours": _hours(row["avg_arrange"]),
        "submit_to_arrange_max_hours": _hours(row["max_arrange"]),
        "arrange_to_receive_avg_hours": _hours(row["avg_receive"]),
        "arrange_to_receive_max_hours": _hours(row["max_receive"]),
        "submit_to_receive_avg_hours": _hours(row["avg_overall"]),
        "arrival_rate": round(totals["arrived"] / totals["total"], 4) if totals["total"] else None,
    }
    chart = {
        "categories": ["上转", "下转"],
        "series": [
            {"name": "转诊数", "key": "direction", "type": "pie", "data": [
                {"name": "上转", "value": totals["up"]}, {"name": "下转", "value": totals["down"]},
            ]},
            {"name": "转诊类型", "key": "kind", "type": "pie", "data": [
                {"name": label, "value": totals[code]} for code, label in KINDS
            ]},
        ],
    }  # fmt: skip
    return {"dimension": "summary", "totals": totals, "quality": quality, "rows": [], "chart": chart}


# -- per institution ---------------------------------------------------------------------------------
INSTITUTION_COLUMNS = [
    ("out_up", "上转转出"),
    ("out_down", "下转转出"),
    ("in_up", "上转转入"),
    ("in_down", "下转转入"),
]
_SIDE_KEYS = ["up", "down", "total", *(code for code, _ in KINDS)]


def by_institution(user: Any, flt: StatsFilter) -> dict[str, Any]:
    """转出 grouped by the applicant institution UNION ALL 转入 grouped by the receiving one (1 query)."""
    qs = base_queryset(user, flt)
    inst = perspective(user, flt)
    out_qs = qs if inst is None else qs.filter(from_institution_id__in=sorted(inst))
    in_qs = qs if inst is None else qs.filter(to_institution_id__in=sorted(inst))
    from_side = (
        out_qs.values(iid=F("from_institution_id"), name=F("from_institution__name"), sort=F("from_institution__sort"))
        .annotate(**_counts())
        .annotate(side=Value(0, output_field=IntegerField()))  # marks the out side
    )
    to_side = (
        in_qs.values(iid=F("to_institution_id"), name=F("to_institution__name"), sort=F("to_institution__sort"))
        .annotate(**_counts())
        .annotate(side=Value(1, output_field=IntegerField()))  # marks the in side
    )
    rows: dict[int, dict[str, Any]] = {}
    for r in from_side.union(to_side, all=True):
        side = "in" if r["side"] else "out"
        row = rows.setdefault(
            r["iid"],
            {"institution": r["iid"], "institution_name": r["name"], "_sort": r["sort"]}
            | _zero(f"{s}_{k}" for s in ("out", "in") for k in _SIDE_KEYS),
        )
        for k in _SIDE_KEYS:
            row[f"{side}_{k}"] += int(r[k])
    ordered = sorted(rows.values(), key=lambda r: (r.pop("_sort"), r["institution"]))
    for row in ordered:
        row["total"] = row["out_total"] + row["in_total"]
        for code, _ in KINDS:
            row[code] = row[f"out_{code}"] + row[f"in_{code}"]
            del row[f"out_{code}"], row[f"in_{code}"]
    totals = _zero(["out_up", "out_down", "out_total", "in_up", "in_down", "in_total", "total", *dict(KINDS)])
    for row in ordered:
        for k in totals:
            totals[k] += row[k]
    return {
        "dimension": "institution",
        "rows": ordered,
        "totals": totals,
        "chart": _series([r["institution_name"] for r in ordered], ordered, INSTITUTION_COLUMNS),
    }


# -- per region ------------------------------------------------------------------------------------
REGION_COLUMNS = [("up", "上转"), ("down", "下转")]


def _region_of(inst_id: int, name: str, type_: str, parent_id: int | None, parent_name: str | None) -> tuple[str, str]:
    if type_ in COUNTY_TYPES:
        return "county", "县级医疗机构"
    if type_ in VILLAGE_TYPES and parent_id is not None:
        return f"town-{parent_id}", parent_name or ""
    return f"town-{inst_id}", name


def by_region(user: Any, flt: StatsFilter) -> dict[str, Any]:
    """By township: each referral counts for its primary-care end — the applicant of an up-referral,
    the receiver of a down-referral; village clinics count for their township (org parent). 1 query."""
    qs = base_queryset(user, flt)
    up = (
        qs.filter(direction=UP)
        .values(
            iid=F("from_institution_id"),
            name=F("from_institution__name"),
            type=F("from_institution__type"),
            pid=F("from_institution__parent_id"),
            pname=F("from_institution__parent__name"),
            division=F("from_institution__division_code"),
        )
        .annotate(**_counts())
    )
    down = qs.filter(direction=DOWN).values(
        iid=F("to_institution_id"), name=F("to_institution__name"), type=F("to_institution__type"),
        pid=F("to_institution__parent_id"), pname=F("to_institution__parent__name"),
        division=F("to_institution__division_code"),
    ).annotate(**_counts())  # fmt: skip
    keys = ["up", "down", "total", *dict(KINDS)]
    regions: OrderedDict[str, dict[str, Any]] = OrderedDict()
    for r in up.union(down, all=True):
        key, label = _region_of(r["iid"], r["name"], r["type"], r["pid"], r["pname"])
        row = regions.setdefault(key, {"region": key, "region_name": label, "county": r["division"]} | _zero(keys))
        for k in keys:
            row[k] += int(r[k])
    ordered = sorted(regions.values(), key=lambda r: (r["region"] != "county", r["region_name"]))
    totals = _zero(keys)
    for row in ordered:
        for k in keys:
            totals[k] += row[k]
    return {
        "dimension": "region",
        "rows": ordered,
        "totals": totals,
        "chart": _series([r["region_name"] for r in ordered], ordered, REGION_COLUMNS),
    }


# -- per doctor ---------------------------------------------------------------------------------------
DOCTOR_COLUMNS = [("up", "上转"), ("down", "下转"), ("arrived", "已到诊")]


def by_doctor(user: Any, flt: StatsFilter, *, limit: int = 200) -> dict[str, Any]:
    """The applying doctors of the user's institutions, most referrals first (1 query)."""
    qs = base_queryset(user, flt)
    inst = perspective(user, flt)
    if inst is not None:
        qs = qs.filter(from_institution_id__in=sorted(inst))
    rows = [
        {
            "doctor": r["doctor"],
            "doctor_name": r["doctor_name"] or "",
            "institution": r["institution"],
            "institution_name": r["institution_name"],
            **{k: int(r[k]) for k in ("up", "down", "total", "arrived", "refused", *dict(KINDS))},
        }
        for r in qs.values(
            doctor=F("from_doctor_id"),
            doctor_name=F("from_doctor__name"),
            institution=F("from_institution_id"),
            institution_name=F("from_institution__name"),
        )
        .annotate(
            **_counts(),
            arrived=Count("pk", filter=Q(status__in=ARRIVED)),
            refused=Count("pk", filter=Q(status__in=REFUSED)),
        )
        .order_by("-total", "doctor")[:limit]
    ]
    keys = ["up", "down", "total", "arrived", "refused", *dict(KINDS)]
    totals = _zero(keys)
    for row in rows:
        for k in keys:
            totals[k] += row[k]
    return {
        "dimension": "doctor",
        "rows": rows,
        "totals": totals,
        "chart": _series([r["doctor_name"] for r in rows], rows, DOCTOR_COLUMNS),
    }


# -- per period -------------------------------------------------------------------------------------
PERIOD_COLUMNS = [("up", "上转"), ("down", "下转"), ("out_total", "转出"), ("in_total", "转入")]


def _period_start(day: dt.date, period: str) -> dt.date:
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def _next_period(day: dt.date, period: str) -> dt.date:
    if period == "day":
        return day + dt.timedelta(days=1)
    if period == "week":
        return day + dt.timedelta(days=7)
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def by_period(user: Any, flt: StatsFilter) -> dict[str, Any]:
    """By day/week (Monday)/month of submission, gaps filled with zeros for the chart (1 query)."""
    if flt.period not in PERIODS:
        raise BusinessError(
            "REFERRAL_STATS_PERIOD", "统计周期只能是 day、week 或 month。", fields={"period": ["无效的周期。"]}
        )
    qs = base_queryset(user, flt)
    inst = perspective(user, flt)
    trunc = PERIODS[flt.period]("submitted_at", tzinfo=timezone.get_current_timezone())
    found: dict[dt.date, dict[str, int]] = {}
    for r in (
        qs.annotate(bucket=trunc)
        .values("bucket")
        .annotate(
            **_counts(),
            out_total=Count("pk", filter=Q() if inst is None else Q(from_institution_id__in=sorted(inst))),
            in_total=Count("pk", filter=Q() if inst is None else Q(to_institution_id__in=sorted(inst))),
        )
        .order_by("bucket")
    ):
        bucket = r.pop("bucket")
        day = timezone.localtime(bucket).date() if isinstance(bucket, dt.datetime) else bucket
        found[day] = {k: int(v) for k, v in r.items()}
    keys = ["up", "down", "total", "out_total", "in_total", *dict(KINDS)]
    rows: list[dict[str, Any]] = []
    if found:
        first = _period_start(flt.start, flt.period) if flt.start else min(found)
        last = _period_start(flt.end, flt.period) if flt.end else max(found)
        day = min(first, min(found))
        while day <= max(last, max(found)):
            rows.append({"period": day.isoformat()} | _zero(keys) | found.get(day, {}))
            day = _next_period(day, flt.period)
    totals = _zero(keys)
    for row in rows:
        for k in keys:
            totals[k] += row[k]
    chart = _series([r["period"] for r in rows], rows, PERIOD_COLUMNS)
    for s in chart["series"]:
        s["type"] = "line"
    return {"dimension": "period", "period": flt.period, "rows": rows, "totals": totals, "chart": chart}


BREAKDOWNS: dict[str, Callable[[Any, StatsFilter], dict[str, Any]]] = {
    "summary": summary,
    "institution": by_institution,
    "region": by_region,
    "doctor": by_doctor,
    "period": by_period,
}

# -- Excel ------------------------------------------------------------------------------------------------
KIND_HEADERS = [(code, label) for code, label in KINDS]
SHEETS: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("institution", "按机构", [
        ("institution_name", "机构"), ("out_up", "上转转出"), ("out_down", "下转转出"), ("out_total", "转出合计"),
        ("in_up", "上转转入"), ("in_down", "下转转入"), ("in_total", "转入合计"), *KIND_HEADERS, ("total", "合计"),
    ]),
    ("region", "按区域", [("region_name", "区域"), ("county", "行政区划"), ("up", "上转"), ("down", "下转"),
                         *KIND_HEADERS, ("total", "合计")]),
    ("doctor", "按医生", [("doctor_name", "医生"), ("institution_name", "机构"), ("up", "上转"), ("down", "下转"),
                         *KIND_HEADERS, ("arrived", "已到诊"), ("refused", "被拒/驳回"), ("total", "合计")]),
    ("period", "按时间", [("period", "周期起始日"), ("up", "上转"), ("down", "下转"), ("out_total", "转出"),
                         ("in_total", "转入"), *KIND_HEADERS, ("total", "合计")]),
]  # fmt: skip
SUMMARY_LABELS = [
    ("total", "转诊总数"), ("up", "上转"), ("down", "下转"), ("out_total", "转出"), ("in_total", "转入"),
    *KIND_HEADERS, ("arrived", "已到诊"), ("refused", "被拒/驳回"), ("cancelled", "已撤销"), ("no_show", "未到诊"),
]  # fmt: skip
QUALITY_LABELS = [
    ("submit_to_arrange_avg_hours", "提交→安排 平均（小时）"),
    ("submit_to_arrange_max_hours", "提交→安排 最长（小时）"),
    ("arrange_to_receive_avg_hours", "安排→接诊 平均（小时）"),
    ("arrange_to_receive_max_hours", "安排→接诊 最长（小时）"),
    ("submit_to_receive_avg_hours", "提交→接诊 平均（小时）"),
    ("arrival_rate", "到诊率"),
]


def stats_workbook(user: Any, flt: StatsFilter) -> bytes:
    """All breakdowns in one .xlsx (汇总 + 按机构/区域/医生/时间, each with a 合计 row)."""
    head = summary(user, flt)
    summary_rows = [{"item": label, "value": head["totals"][key]} for key, label in SUMMARY_LABELS]
    summary_rows += [{"item": label, "value": head["quality"][key]} for key, label in QUALITY_LABELS]
    sheets = [Sheet("汇总", [("item", "指标"), ("value", "数值")], summary_rows)]
    for dimension, title, columns in SHEETS:
        result = BREAKDOWNS[dimension](user, flt)
        total_row = {columns[0][0]: "合计"} | result["totals"]
        sheets.append(Sheet(title, columns, [*result["rows"], total_row]))
    return excel_workbook(sheets)
