"""前置审方成效统计 (RX-14, guide §3.6.5.1): the 23 indicators over the real-time review history of
the review center, read through its selectors (``prescription_review.selectors``), scoped to the
requesting user (监管: whole county; 机构管理员: own institution).

Definitions (口径) — a prescription belongs to the period by its first submission time; its *first*
check is the engine run on version 1, its *last* check the run on its latest version. Risk levels
come from the highest severity of a check (``standards.RISK_OF_SEVERITY``: 禁忌→高, 不推荐→中, 慎用→低);
a check is **不合理** when its risk is 高, 中 or 低 (提示 only informs: 合理). ``rank`` orders the
levels 无问题 0 < 提示 1 < 低 2 < 中 3 < 高 4. Counts by dimension are one grouped query each; the
rankings (diagnoses, allergies, labs, exams) read the first version's de-identified payload.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import TruncDay, TruncMonth

from yigongti.centers.prescription_review import selectors as rx_selectors
from yigongti.centers.prescription_review.comment import standards

SEVERITY_RANK = {"contraindicated": 4, "not_recommended": 3, "caution": 2, "info": 1}
UNREASONABLE = ("contraindicated", "not_recommended", "caution")


@dataclass(frozen=True)
class SupervisionIndicator:
    number: int
    key: str
    name: str
    definition: str


INDICATORS: tuple[SupervisionIndicator, ...] = (
    SupervisionIndicator(
        1,
        "patients",
        "前置审方患者统计",
        "期间内首次提交审方的处方数（每张处方对应一次就诊开方），并按性别、年龄段分布",
    ),
    SupervisionIndicator(
        2,
        "diagnoses",
        "前置审方诊断统计",
        "期间内处方首个版本所载诊断按 ICD-10 编码（无编码按名称）计数的排名（前 10）",
    ),
    SupervisionIndicator(
        3, "allergies", "前置审方过敏统计", "期间内处方首个版本所载过敏史按编码/名称计数的排名（前 10）"
    ),
    SupervisionIndicator(4, "checks", "前置审方处方统计（质检次数）", "期间内审核记录（引擎对任一版本的每次审核）条数"),
    SupervisionIndicator(
        5,
        "rx_summary",
        "患者处方汇总分析",
        "期间内处方数、提交版本数、平均每张处方药品条数、最终状态分布（可调配/拦截/驳回/撤销…）",
    ),
    SupervisionIndicator(
        6,
        "labs",
        "患者检验统计",
        "期间内处方首个版本所载检验项目按编码（无编码按名称）计：含该项目的处方数排名（前 10）",
    ),
    SupervisionIndicator(
        7,
        "lab_details",
        "患者检验明细统计",
        "期间内处方首个版本所载检验结果条数按指标（编码+单位）计数的排名（前 10），附数值结果的最小/最大值",
    ),
    SupervisionIndicator(8, "exams", "患者检查统计", "期间内处方首个版本所载检查按名称计数的排名（前 10）"),
    SupervisionIndicator(9, "first_checked", "首次质检处方数", "期间内首次提交并完成首次审核的处方数"),
    SupervisionIndicator(10, "first_reasonable", "首次合理处方数", "首次审核风险为无问题或提示的处方数"),
    SupervisionIndicator(11, "first_unreasonable", "首次不合理处方数", "首次审核风险为高、中或低的处方数"),
    SupervisionIndicator(
        12,
        "first_unreasonable_modified",
        "首次审方不合理医生修改处方数",
        "首次不合理且医生修改后重新提交（版本数≥2）的处方数",
    ),
    SupervisionIndicator(
        13,
        "ai_effective",
        "AI有效干预处方数",
        "首次不合理、医生修改（版本数≥2）且末次审核风险等级低于首次（含变为合理）的处方数",
    ),
    SupervisionIndicator(
        14,
        "ineffective_modification",
        "无效修改处方数",
        "首次不合理、医生修改（版本数≥2）但末次风险等级不低于首次的处方数",
    ),
    SupervisionIndicator(15, "checked_rx", "质检处方数", "期间内有审核记录的不同处方数（含修改后的再次审核）"),
    SupervisionIndicator(16, "first_high", "首次高风险不合理处方数", "首次审核最高级别为禁忌的处方数"),
    SupervisionIndicator(17, "first_medium", "首次中风险不合理处方数", "首次审核最高级别为不推荐的处方数"),
    SupervisionIndicator(18, "first_low", "首次低风险不合理处方数", "首次审核最高级别为慎用的处方数"),
    SupervisionIndicator(19, "last_high", "末次高风险不合理处方数", "末次审核最高级别为禁忌的处方数"),
    SupervisionIndicator(20, "last_medium", "末次中风险不合理处方数", "末次审核最高级别为不推荐的处方数"),
    SupervisionIndicator(21, "last_low", "末次低风险不合理处方数", "末次审核最高级别为慎用的处方数"),
    SupervisionIndicator(22, "modified", "修正处方数", "医生修改后重新提交（版本数≥2）的处方数，附处方清单"),
    SupervisionIndicator(
        23, "risk_lowered", "风险等级变低处方数", "首次不合理且末次风险等级低于首次的处方数，附首末次风险等级变化矩阵"
    ),
)
# Rates the brief asks for besides the guide's list (denominator: 首次质检处方数 or decided review tasks).
RATES: tuple[tuple[str, str, str], ...] = (
    ("unreasonable_rate", "处方不合理率", "首次不合理处方数 ÷ 首次质检处方数"),
    ("intercept_rate", "拦截率", "首次审核结论为拦截的处方数 ÷ 首次质检处方数"),
    ("intervention_rate", "药师干预率", "进入药师审核（生成审方任务）的处方数 ÷ 首次质检处方数"),
    ("ai_effective_rate", "AI有效干预率", "AI有效干预处方数 ÷ 首次不合理处方数"),
    ("double_sign_rate", "双签率", "医生双签通过的审方任务数 ÷ 已结束的审方任务数"),
    ("auto_pass_rate", "超时自动通过率", "超时自动通过的审方任务数 ÷ 已结束的审方任务数"),
)
COUNT_KEYS = [i.key for i in INDICATORS if 9 <= i.number <= 23 and i.key != "checked_rx"]

DIMENSIONS = {
    "total": (),
    "day": ("period",),
    "month": ("period",),
    "region": ("institution__division_code",),
    "institution": ("institution_id", "institution__name"),
    "department": ("institution_id", "institution__name", "department_code", "department_name"),
    "doctor": ("institution_id", "institution__name", "prescriber_code", "prescriber_name"),
}


def _rank(field: str) -> Case:
    return Case(
        *[When(**{field: code}, then=Value(rank)) for code, rank in SEVERITY_RANK.items()],
        default=Value(0),
        output_field=IntegerField(),
    )


def _count_aggregates() -> dict[str, Any]:
    first_bad = Q(first_severity__in=UNREASONABLE)
    modified = Q(version_count__gte=2)
    return {
        "first_checked": Count("id", filter=~Q(first_severity="")),
        "first_reasonable": Count("id", filter=~Q(first_severity="") & ~first_bad),
        "first_unreasonable": Count("id", filter=first_bad),
        "first_unreasonable_modified": Count("id", filter=first_bad & modified),
        "ai_effective": Count("id", filter=first_bad & modified & Q(last_rank__lt=F("first_rank"))),
        "ineffective_modification": Count("id", filter=first_bad & modified & Q(last_rank__gte=F("first_rank"))),
        "first_high": Count("id", filter=Q(first_severity="contraindicated")),
        "first_medium": Count("id", filter=Q(first_severity="not_recommended")),
        "first_low": Count("id", filter=Q(first_severity="caution")),
        "last_high": Count("id", filter=Q(last_severity="contraindicated")),
        "last_medium": Count("id", filter=Q(last_severity="not_recommended")),
        "last_low": Count("id", filter=Q(last_severity="caution")),
        "modified": Count("id", filter=modified),
        "risk_lowered": Count("id", filter=first_bad & Q(last_rank__lt=F("first_rank"))),
        "first_intercepted": Count("id", filter=Q(first_verdict="intercept")),
    }


def _ratio(num: int, den: int) -> Decimal | None:
    return (Decimal(num) / Decimal(den)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP) if den else None


def _prescriptions(user: Any, since: dt.datetime | None, until: dt.datetime | None, dimension: str) -> QuerySet[Any]:
    qs = rx_selectors.first_and_last_checks(user=user, since=since, until=until).annotate(
        first_rank=_rank("first_severity"), last_rank=_rank("last_severity")
    )
    if dimension == "day":
        qs = qs.annotate(period=TruncDay("submitted_at"))
    elif dimension == "month":
        qs = qs.annotate(period=TruncMonth("submitted_at"))
    return qs.order_by()


def _label(row: dict[str, Any], dimension: str) -> str:
    if dimension == "total":
        return "合计"
    if dimension == "day":
        return row["period"].strftime("%Y-%m-%d")
    if dimension == "month":
        return row["period"].strftime("%Y-%m")
    if dimension == "region":
        return row["institution__division_code"] or "未知"
    if dimension == "institution":
        return str(row["institution__name"])
    if dimension == "department":
        return f"{row['institution__name']} {row['department_name'] or row['department_code'] or '未知科室'}"
    return f"{row['institution__name']} {row['prescriber_name'] or row['prescriber_code'] or '未知医生'}"


def counts(
    *, user: Any, dimension: str, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """Indicators 9–23 (except 15) and the rates, one row per value of ``dimension``."""
    keys = DIMENSIONS[dimension]
    qs = _prescriptions(user, since, until, dimension)
    rows = (
        list(qs.values(*keys).annotate(**_count_aggregates()).order_by(*keys))
        if keys
        else [qs.aggregate(**_count_aggregates())]
    )
    tasks = _task_counts(user, since, until, dimension)
    checks = _check_counts(user, since, until, dimension)
    out = []
    for row in rows:
        if not row["first_checked"] and not row["modified"] and dimension != "total":
            continue
        key = tuple(row[k] for k in keys)
        t = tasks.get(key, {"finished": 0, "double_signed": 0, "auto_passed": 0, "reviewed_rx": 0})
        c = checks.get(key, {"checks": 0, "checked_rx": 0})
        item: dict[str, Any] = {"label": _label(row, dimension), **{k: row[k] for k in keys if k != "period"}}
        item |= {k: row[k] for k in COUNT_KEYS}
        item |= c
        first = row["first_checked"]
        item |= {
            "unreasonable_rate": _ratio(row["first_unreasonable"], first),
            "intercept_rate": _ratio(row["first_intercepted"], first),
            "intervention_rate": _ratio(t["reviewed_rx"], first),
            "ai_effective_rate": _ratio(row["ai_effective"], row["first_unreasonable"]),
            "double_sign_rate": _ratio(t["double_signed"], t["finished"]),
            "auto_pass_rate": _ratio(t["auto_passed"], t["finished"]),
        }
        out.append(item)
    return out


def _task_counts(
    user: Any, since: dt.datetime | None, until: dt.datetime | None, dimension: str
) -> dict[tuple[Any, ...], dict[str, int]]:
    from yigongti.centers.prescription_review.choices import TaskStatus

    tasks = rx_selectors.task_list(user=user)
    if since is not None:
        tasks = tasks.filter(prescription__submitted_at__gte=since)
    if until is not None:
        tasks = tasks.filter(prescription__submitted_at__lt=until)
    finished = [TaskStatus.PASSED, TaskStatus.REJECTED, TaskStatus.REJECTED_DOUBLE_SIGN, TaskStatus.DOUBLE_SIGNED,
                TaskStatus.AUTO_PASSED]  # fmt: skip
    mapping = {
        "period": "period",
        "institution__division_code": "institution__division_code",
        "institution_id": "institution_id",
        "institution__name": "institution__name",
        "department_code": "prescription__department_code",
        "department_name": "prescription__department_name",
        "prescriber_code": "prescription__prescriber_code",
        "prescriber_name": "prescription__prescriber_name",
    }
    keys = DIMENSIONS[dimension]
    if dimension == "day":
        tasks = tasks.annotate(period=TruncDay("prescription__submitted_at"))
    elif dimension == "month":
        tasks = tasks.annotate(period=TruncMonth("prescription__submitted_at"))
    aggregates = {
        "finished": Count("id", filter=Q(status__in=finished)),
        "double_signed": Count("id", filter=Q(status=TaskStatus.DOUBLE_SIGNED)),
        "auto_passed": Count("id", filter=Q(status=TaskStatus.AUTO_PASSED)),
        "reviewed_rx": Count("prescription_id", distinct=True),
    }
    paths = [mapping[k] for k in keys]
    if not paths:
        return {(): tasks.order_by().aggregate(**aggregates)}
    return {
        tuple(r[p] for p in paths): {k: r[k] for k in aggregates}
        for r in tasks.order_by().values(*paths).annotate(**aggregates)
    }


def _check_counts(
    user: Any, since: dt.datetime | None, until: dt.datetime | None, dimension: str
) -> dict[tuple[Any, ...], dict[str, int]]:
    """Indicators 4 (质检次数) and 15 (质检处方数), by the time of the check."""
    checks = rx_selectors.check_history(user=user, since=since, until=until).order_by()
    mapping = {
        "period": "period",
        "institution__division_code": "institution__division_code",
        "institution_id": "institution_id",
        "institution__name": "institution__name",
        "department_code": "prescription__department_code",
        "department_name": "prescription__department_name",
        "prescriber_code": "prescription__prescriber_code",
        "prescriber_name": "prescription__prescriber_name",
    }
    if dimension == "day":
        checks = checks.annotate(period=TruncDay("checked_at"))
    elif dimension == "month":
        checks = checks.annotate(period=TruncMonth("checked_at"))
    aggregates = {"checks": Count("id"), "checked_rx": Count("prescription_id", distinct=True)}
    paths = [mapping[k] for k in DIMENSIONS[dimension]]
    if not paths:
        return {(): checks.aggregate(**aggregates)}
    return {
        tuple(r[p] for p in paths): {k: r[k] for k in aggregates} for r in checks.values(*paths).annotate(**aggregates)
    }


def rankings(
    *, user: Any, since: dt.datetime | None = None, until: dt.datetime | None = None, top: int = 10
) -> dict[str, Any]:
    """Indicators 1–3 and 5–8 from the first version of each prescription submitted in the period."""
    prescriptions = rx_selectors.first_and_last_checks(user=user, since=since, until=until)
    first_checks = (
        rx_selectors.check_history(user=user)
        .filter(sequence=1, prescription__in=prescriptions.values("id"))
        .select_related("version")
        .only("id", "prescription_id", "version__payload")
    )
    diagnoses: Counter[str] = Counter()
    allergies: Counter[str] = Counter()
    labs: Counter[str] = Counter()
    lab_details: Counter[str] = Counter()
    lab_range: dict[str, list[float]] = {}
    exams: Counter[str] = Counter()
    items = 0
    for check in first_checks.iterator(chunk_size=1000):
        payload = check.version.payload or {}
        for d in payload.get("diagnoses") or []:
            diagnoses[f"{d.get('code') or ''} {d.get('name') or ''}".strip()] += 1
        for a in (payload.get("patient") or {}).get("allergies") or []:
            allergies[
                (a.get("text") or a.get("name") or a.get("code") or "").strip() if isinstance(a, dict) else str(a)
            ] += 1
        seen: set[str] = set()
        for lab in payload.get("labs") or []:
            name = f"{lab.get('code') or ''} {lab.get('name') or ''}".strip()
            if name not in seen:
                labs[name] += 1
                seen.add(name)
            detail = f"{name}（{lab.get('unit') or '无单位'}）"
            lab_details[detail] += 1
            if isinstance(lab.get("value"), int | float) and not isinstance(lab.get("value"), bool):
                lab_range.setdefault(detail, []).append(float(lab["value"]))
        for e in payload.get("exams") or []:
            exams[(e.get("name") or "").strip()] += 1
        items += len(payload.get("items") or [])
    sexes = Counter(prescriptions.values_list("patient_sex", flat=True))
    ages = Counter(_age_band(a) for a in prescriptions.values_list("patient_age_days", flat=True))
    total = prescriptions.count()
    statuses = Counter(prescriptions.values_list("status", flat=True))
    versions = sum(prescriptions.values_list("version_count", flat=True))
    return {
        "patients": {
            "prescriptions": total,
            "by_sex": [
                {"name": {"1": "男", "2": "女"}.get(k or "", "未知"), "count": v}
                for k, v in sorted(sexes.items(), key=lambda kv: kv[0] or "")
            ],
            "by_age": [{"name": k, "count": ages[k]} for k in AGE_BANDS if ages.get(k)],
        },
        "diagnoses": _top(top, diagnoses),
        "allergies": _top(top, allergies),
        "rx_summary": {
            "prescriptions": total,
            "versions": versions,
            "avg_items": (Decimal(items) / Decimal(total)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if total
            else None,
            "by_status": [{"name": k, "count": v} for k, v in sorted(statuses.items())],
        },
        "labs": _top(top, labs),
        "lab_details": [
            r
            | {
                "min": min(lab_range[r["name"]]) if r["name"] in lab_range else None,
                "max": max(lab_range[r["name"]]) if r["name"] in lab_range else None,
            }
            for r in _top(top, lab_details)
        ],
        "exams": _top(top, exams),
    }


def _top(top: int, counter: Counter[str]) -> list[dict[str, Any]]:
    return [
        {"name": k or "未填写", "count": v} for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    ]


AGE_BANDS = ("0-28天", "29天-1岁", "1-6岁", "7-17岁", "18-64岁", "65岁及以上", "未知")


def _age_band(days: int | None) -> str:
    if days is None:
        return "未知"
    if days <= 28:
        return "0-28天"
    years = days / 365.25
    if years < 1:
        return "29天-1岁"
    if years < 7:
        return "1-6岁"
    if years < 18:
        return "7-17岁"
    if years < 65:
        return "18-64岁"
    return "65岁及以上"


def echarts(rows: list[dict[str, Any]], keys: list[str]) -> dict[str, Any]:
    """``{"categories": [...], "series": [{"key", "name", "data"}]}`` for an ECharts bar/line chart."""
    names = {i.key: i.name for i in INDICATORS} | {k: n for k, n, _ in RATES}
    return {
        "categories": [r["label"] for r in rows],
        "series": [{"key": k, "name": names.get(k, k), "data": [r.get(k) for r in rows]} for k in keys],
    }


def risk_matrix(
    *, user: Any, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """Indicator 23's detail: first → last risk level of prescriptions whose first check was 不合理."""
    qs = rx_selectors.first_and_last_checks(user=user, since=since, until=until).filter(first_severity__in=UNREASONABLE)
    rows = qs.order_by().values("first_severity", "last_severity").annotate(n=Count("id"))
    return sorted(
        (
            {
                "first": standards.risk_of(r["first_severity"]),
                "last": standards.risk_of(r["last_severity"] or None),
                "count": r["n"],
            }
            for r in rows
        ),
        key=lambda r: (-standards.RISK_RANK[r["first"]], -standards.RISK_RANK[r["last"]]),
    )


def modified_list(
    *, user: Any, since: dt.datetime | None = None, until: dt.datetime | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    """Indicator 22's detail: the modified prescriptions (newest first)."""
    qs = rx_selectors.first_and_last_checks(user=user, since=since, until=until).filter(version_count__gte=2)
    return [
        {
            "id": p["id"],
            "his_id": p["his_id"],
            "institution": p["institution__name"],
            "prescriber": p["prescriber_name"] or p["prescriber_code"],
            "versions": p["version_count"],
            "first_risk": standards.risk_of(p["first_severity"] or None),
            "last_risk": standards.risk_of(p["last_severity"] or None),
            "submitted_at": p["submitted_at"],
        }
        for p in qs.order_by("-submitted_at", "-id").values(
            "id", "his_id", "institution__name", "prescriber_name", "prescriber_code", "version_count",
            "first_severity", "last_severity", "submitted_at",
        )[:limit]
    ]  # fmt: skip
