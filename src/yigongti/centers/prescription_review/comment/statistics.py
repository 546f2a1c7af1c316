"""统计报表 of guide §3.6.4.5: indicators over the commented sample (点评样本), per institution,
department, doctor or month — two grouped queries per breakdown (one over the samples, one over the
items of their prescriptions for the distinct-drug counts), whatever the number of rows.

Every indicator below names its definition (口径), shown in the console when the report name is
clicked and copied to ``docs/centers/prescription-review.md``. Ratios are fractions rounded to 4
decimals (``None`` when the denominator is 0). "样本处方" = the sampled prescriptions of the selected
tasks; "已点评" = judged by a pharmacist; risk levels come from the engine pre-review's highest
severity (``standards.RISK_OF_SEVERITY``: 禁忌→高, 不推荐→中, 慎用→低, 提示→提醒).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from yigongti.centers.prescription_review.comment.choices import JudgmentResult, RiskLevel, SampleStatus
from yigongti.centers.prescription_review.comment.models import CommentSample, PrescriptionItem


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    definition: str


INDICATORS: tuple[Indicator, ...] = (
    Indicator("commented", "点评处方数", "样本处方中已由药师完成点评（合理或不合理）的处方张数"),
    Indicator("total", "处方总数", "所选点评任务抽中的样本处方张数"),
    Indicator("amount", "用药总金额", "样本处方金额之和（元）"),
    Indicator("avg_amount", "平均处方金额", "用药总金额 ÷ 处方总数"),
    Indicator("rx_visits", "总处方人次", "样本处方所属的不同就诊次数"),
    Indicator("patients", "患者总人次", "样本处方所属的不同患者数（按院内患者ID的盲索引去重）"),
    Indicator("avg_drugs", "平均用药品种数", "样本处方的药品品种数（同一处方内按药品编码去重）之和 ÷ 处方总数"),
    Indicator("antibiotic_rx", "抗菌药物处方数", "含至少一种抗菌药物的样本处方张数"),
    Indicator("antibiotic_rx_ratio", "抗菌药物处方占比", "抗菌药物处方数 ÷ 处方总数（抗菌药物使用率）"),
    Indicator("antibiotic_visits", "抗菌药物处方人次", "含抗菌药物处方的不同就诊次数"),
    Indicator("antibiotic_visit_ratio", "抗菌药物处方人次比", "抗菌药物处方人次 ÷ 总处方人次"),
    Indicator("antibiotic_kinds", "抗菌药物累计品种数", "样本处方中出现的不同抗菌药物（药品编码）个数"),
    Indicator("antibiotic_combo_rx", "抗菌药物种类处方数", "同一处方含两种及以上抗菌药物（联合使用）的处方张数"),
    Indicator("antibiotic_combo_ratio", "抗菌药物种类处方占比", "抗菌药物种类处方数 ÷ 抗菌药物处方数"),
    Indicator("essential_kinds", "基本药物品种数", "样本处方中出现的不同国家基本药物（药品编码）个数"),
    Indicator("drug_kinds", "总品种数", "样本处方中出现的不同药品（药品编码）个数"),
    Indicator("essential_ratio", "基本药物占比", "基本药物品种数 ÷ 总品种数"),
    Indicator("essential_visits", "基药总人次", "含至少一种基本药物的样本处方所属的不同就诊次数"),
    Indicator("essential_visit_ratio", "基药人次占比", "基药总人次 ÷ 总处方人次"),
    Indicator("injection_rx", "注射剂处方数", "含至少一种注射剂的样本处方张数"),
    Indicator("injection_ratio", "注射剂使用率", "注射剂处方数 ÷ 处方总数"),
    Indicator("generic_ratio", "通用名使用率", "以通用名开具的药品明细条数（药品名称以通用名开头）÷ 药品明细条数"),
    Indicator("problem_codes", "问题代码错误次数", "自动预审发现的问题（每条 检查类型×药品 计一次）总数"),
    Indicator("pass_ratio", "处方合格率", "点评结果为合理的处方张数 ÷ 点评处方数"),
    Indicator("unreasonable", "不合理处方数", "点评结果为不合理的处方张数"),
    Indicator(
        "irregular_rx", "不规范处方数", "点评为不合理且至少选择一条不规范处方理由（规范第十七条 1-1…1-15）的处方张数"
    ),
    Indicator("irregular_ratio", "不规范处方占比", "不规范处方数 ÷ 点评处方数"),
    Indicator("inappropriate_events", "不适宜发生数", "所选用药不适宜理由（规范第十八条 2-1…2-9）的条数之和"),
    Indicator("inappropriate_rx", "用药不适宜处方数", "至少选择一条用药不适宜理由的处方张数"),
    Indicator("inappropriate_ratio", "不适宜处方占比", "用药不适宜处方数 ÷ 点评处方数"),
    Indicator("excessive_rx", "超常处方数", "至少选择一条超常处方理由（规范第十九条 3-1…3-4）的处方张数"),
    Indicator("excessive_ratio", "超常处方占比", "超常处方数 ÷ 点评处方数"),
    Indicator("high_risk", "高风险处方数", "自动预审最高级别为禁忌的处方张数"),
    Indicator("high_risk_ratio", "高风险处方占比", "高风险处方数 ÷ 处方总数"),
    Indicator("medium_risk", "中风险处方数", "自动预审最高级别为不推荐的处方张数"),
    Indicator("medium_risk_ratio", "中风险处方占比", "中风险处方数 ÷ 处方总数"),
    Indicator("low_risk", "低风险处方数", "自动预审最高级别为慎用的处方张数"),
    Indicator("low_risk_ratio", "低风险处方占比", "低风险处方数 ÷ 处方总数"),
    Indicator("info_risk", "提醒类风险处方数", "自动预审最高级别为提示的处方张数"),
    Indicator("info_risk_ratio", "提醒类风险处方占比", "提醒类风险处方数 ÷ 处方总数"),
    Indicator("interaction_rx", "相互作用处方数", "自动预审发现药物相互作用问题的处方张数"),
    Indicator("interaction_ratio", "相互作用处方占比", "相互作用处方数 ÷ 处方总数"),
    Indicator("duplicate_rx", "重复用药处方数", "自动预审发现重复用药问题的处方张数"),
    Indicator("duplicate_ratio", "重复用药处方占比", "重复用药处方数 ÷ 处方总数"),
    Indicator("ppi_rx", "质子泵抑制剂处方数", "含至少一种质子泵抑制剂的处方张数"),
    Indicator("ppi_kinds", "质子泵抑制剂品规数", "样本处方中出现的不同质子泵抑制剂品规（药品编码）个数"),
    Indicator("ppi_per_patient", "质子泵抑制剂人均品规数", "质子泵抑制剂明细条数 ÷ 含质子泵抑制剂处方的不同就诊次数"),
    Indicator("ppi_ratio", "质子泵抑制剂占比", "质子泵抑制剂处方数 ÷ 处方总数"),
)
INDICATOR_BY_KEY = {i.key: i for i in INDICATORS}

# breakdown → (group-by paths from CommentSample, the same from PrescriptionItem, label columns)
BREAKDOWNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "total": ((), ()),
    "institution": (
        ("prescription__institution_id", "prescription__institution__name"),
        ("prescription__institution_id", "prescription__institution__name"),
    ),
    "department": (
        ("prescription__institution_id", "prescription__institution__name", "prescription__department_name"),
        ("prescription__institution_id", "prescription__institution__name", "prescription__department_name"),
    ),
    "doctor": (
        (
            "prescription__institution_id",
            "prescription__institution__name",
            "prescription__doctor_code",
            "prescription__doctor_name",
        ),
        (
            "prescription__institution_id",
            "prescription__institution__name",
            "prescription__doctor_code",
            "prescription__doctor_name",
        ),
    ),
    "month": (("month",), ("month",)),
}
LABELS = {
    "prescription__institution_id": "institution_id",
    "prescription__institution__name": "institution_name",
    "prescription__department_name": "department_name",
    "prescription__doctor_code": "doctor_code",
    "prescription__doctor_name": "doctor_name",
    "month": "month",
}
FOUR = Decimal("0.0001")


def _ratio(num: Any, den: Any) -> Decimal | None:
    if not den:
        return None
    return (Decimal(num or 0) / Decimal(den)).quantize(FOUR, rounding=ROUND_HALF_UP)


def _sample_aggregates() -> dict[str, Any]:
    judged = Q(status=SampleStatus.JUDGED)
    return {
        "commented": Count("id", filter=judged),
        "total": Count("id"),
        "amount": Sum("prescription__amount"),
        "rx_visits": Count("prescription__visit_id", distinct=True),
        "patients": Count("prescription__visit__patient_index", distinct=True),
        "drug_sum": Sum("prescription__drug_count"),
        "antibiotic_rx": Count("id", filter=Q(prescription__antibiotic_count__gt=0)),
        "antibiotic_visits": Count(
            "prescription__visit_id", distinct=True, filter=Q(prescription__antibiotic_count__gt=0)
        ),
        "antibiotic_combo_rx": Count("id", filter=Q(prescription__antibiotic_count__gte=2)),
        "essential_visits": Count(
            "prescription__visit_id", distinct=True, filter=Q(prescription__essential_count__gt=0)
        ),
        "injection_rx": Count("id", filter=Q(prescription__injection_count__gt=0)),
        "problem_codes": Sum("finding_count"),
        "reasonable": Count("id", filter=judged & Q(result=JudgmentResult.REASONABLE)),
        "unreasonable": Count("id", filter=judged & Q(result=JudgmentResult.UNREASONABLE)),
        "irregular_rx": Count("id", filter=judged & Q(irregular_count__gt=0)),
        "inappropriate_events": Sum("inappropriate_count", filter=judged),
        "inappropriate_rx": Count("id", filter=judged & Q(inappropriate_count__gt=0)),
        "excessive_rx": Count("id", filter=judged & Q(excessive_count__gt=0)),
        "high_risk": Count("id", filter=Q(precheck_risk=RiskLevel.HIGH)),
        "medium_risk": Count("id", filter=Q(precheck_risk=RiskLevel.MEDIUM)),
        "low_risk": Count("id", filter=Q(precheck_risk=RiskLevel.LOW)),
        "info_risk": Count("id", filter=Q(precheck_risk=RiskLevel.INFO)),
        "interaction_rx": Count("id", filter=Q(has_interaction=True)),
        "duplicate_rx": Count("id", filter=Q(has_duplicate=True)),
        "ppi_rx": Count("id", filter=Q(prescription__ppi_count__gt=0)),
        "ppi_visits": Count("prescription__visit_id", distinct=True, filter=Q(prescription__ppi_count__gt=0)),
    }


def _item_aggregates() -> dict[str, Any]:
    return {
        "drug_kinds": Count("drug_code", distinct=True),
        "essential_kinds": Count("drug_code", distinct=True, filter=Q(is_essential=True)),
        "antibiotic_kinds": Count("drug_code", distinct=True, filter=Q(is_antibiotic=True)),
        "ppi_kinds": Count("drug_code", distinct=True, filter=Q(is_ppi=True)),
        "ppi_items": Count("id", filter=Q(is_ppi=True)),
        "item_rows": Count("id"),
        "generic_rows": Count("id", filter=Q(generic_name__gt="") & Q(drug_name__startswith=F("generic_name"))),
    }


def _key(row: dict[str, Any], paths: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(row[p] for p in paths)


def report(samples: QuerySet[CommentSample], breakdown: str) -> list[dict[str, Any]]:
    """One row per breakdown value with every indicator of ``INDICATORS``."""
    sample_paths, item_paths = BREAKDOWNS[breakdown]
    qs = samples.order_by()
    items = PrescriptionItem.objects.filter(prescription_id__in=samples.order_by().values("prescription_id")).order_by()
    if breakdown == "month":
        qs = qs.annotate(month=TruncMonth("prescription__prescribed_at"))
        items = items.annotate(month=TruncMonth("prescription__prescribed_at"))
    if sample_paths:
        sample_rows = list(qs.values(*sample_paths).annotate(**_sample_aggregates()).order_by(*sample_paths))
        item_rows = {_key(r, item_paths): r for r in items.values(*item_paths).annotate(**_item_aggregates())}
    else:
        total = qs.aggregate(**_sample_aggregates())
        sample_rows = [total] if total["total"] else []
        item_rows = {(): items.aggregate(**_item_aggregates())}
    out = []
    for row in sample_rows:
        it = item_rows.get(_key(row, item_paths), {})
        out.append(_indicators(row, it, sample_paths))
    return out


def _indicators(s: dict[str, Any], it: dict[str, Any], paths: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {LABELS[p]: s[p] for p in paths}
    if "month" in out and out["month"] is not None:
        out["month"] = out["month"].strftime("%Y-%m")
    total, commented, visits = s["total"], s["commented"], s["rx_visits"]
    amount = Decimal(s["amount"] or 0).quantize(Decimal("0.01"))
    out |= {
        "commented": commented,
        "total": total,
        "amount": amount,
        "avg_amount": (amount / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if total else None,
        "rx_visits": visits,
        "patients": s["patients"],
        "avg_drugs": (Decimal(s["drug_sum"] or 0) / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if total
        else None,
        "antibiotic_rx": s["antibiotic_rx"],
        "antibiotic_rx_ratio": _ratio(s["antibiotic_rx"], total),
        "antibiotic_visits": s["antibiotic_visits"],
        "antibiotic_visit_ratio": _ratio(s["antibiotic_visits"], visits),
        "antibiotic_kinds": it.get("antibiotic_kinds", 0),
        "antibiotic_combo_rx": s["antibiotic_combo_rx"],
        "antibiotic_combo_ratio": _ratio(s["antibiotic_combo_rx"], s["antibiotic_rx"]),
        "essential_kinds": it.get("essential_kinds", 0),
        "drug_kinds": it.get("drug_kinds", 0),
        "essential_ratio": _ratio(it.get("essential_kinds", 0), it.get("drug_kinds", 0)),
        "essential_visits": s["essential_visits"],
        "essential_visit_ratio": _ratio(s["essential_visits"], visits),
        "injection_rx": s["injection_rx"],
        "injection_ratio": _ratio(s["injection_rx"], total),
        "generic_ratio": _ratio(it.get("generic_rows", 0), it.get("item_rows", 0)),
        "problem_codes": s["problem_codes"] or 0,
        "pass_ratio": _ratio(s["reasonable"], commented),
        "unreasonable": s["unreasonable"],
        "irregular_rx": s["irregular_rx"],
        "irregular_ratio": _ratio(s["irregular_rx"], commented),
        "inappropriate_events": s["inappropriate_events"] or 0,
        "inappropriate_rx": s["inappropriate_rx"],
        "inappropriate_ratio": _ratio(s["inappropriate_rx"], commented),
        "excessive_rx": s["excessive_rx"],
        "excessive_ratio": _ratio(s["excessive_rx"], commented),
    }
    for level in ("high", "medium", "low", "info"):
        out[f"{level}_risk"] = s[f"{level}_risk"]
        out[f"{level}_risk_ratio"] = _ratio(s[f"{level}_risk"], total)
    out |= {
        "interaction_rx": s["interaction_rx"],
        "interaction_ratio": _ratio(s["interaction_rx"], total),
        "duplicate_rx": s["duplicate_rx"],
        "duplicate_ratio": _ratio(s["duplicate_rx"], total),
        "ppi_rx": s["ppi_rx"],
        "ppi_kinds": it.get("ppi_kinds", 0),
        "ppi_per_patient": _ratio(it.get("ppi_items", 0), s["ppi_visits"]),
        "ppi_ratio": _ratio(s["ppi_rx"], total),
    }
    return out


def export_columns(breakdown: str) -> list[tuple[str, str]]:
    names = {
        "institution_name": "机构",
        "department_name": "科室",
        "doctor_code": "医生工号",
        "doctor_name": "医生",
        "month": "月份",
    }
    sample_paths, _ = BREAKDOWNS[breakdown]
    labels = [LABELS[p] for p in sample_paths if LABELS[p] != "institution_id"]
    return [(k, names[k]) for k in labels] + [(i.key, i.name) for i in INDICATORS]
