"""Sampling of a comment task (抽样, guide §3.6.4.3) — reproducible from the recorded seed.

The population is every uploaded prescription matching the task's conditions. It is split into
strata (institution × calendar month × 门急诊/住院); within a stratum the candidate ids are sorted and
drawn with ``random.Random(f"{seed}|{stratum}")``, so the same seed on the same data gives the same
sample on any machine (Python's string seeding is SHA-512 based and stable across runs).

The 《医院处方点评管理规范（试行）》第十二条 minimum (china-standards.md §5: 门急诊 ≥1‰ and ≥100 张 per
institution per month; 住院 ≥1% and ≥30 份) is a floor for every mode: ``standard`` takes exactly the
minimum, ``rate`` takes max(⌈rate × stratum⌉, minimum), ``count`` refuses an N below the sum of the
minimums and otherwise takes the minimums first, then the rest at random from what is left. A stratum
smaller than its minimum is taken whole.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from yigongti.centers.prescription_review.comment import error_codes, standards
from yigongti.centers.prescription_review.comment.choices import SampleMode, VisitType
from yigongti.centers.prescription_review.comment.models import (
    CommentTask,
    PrescriptionItem,
    SamplingPolicy,
    VisitPrescription,
)
from yigongti.core.errors import BusinessError

DRUG_CLASS_FLAG = {
    "antibiotic": "is_antibiotic",
    "ppi": "is_ppi",
    "injection": "is_injection",
    "essential": "is_essential",
}


@dataclass(frozen=True)
class Minimum:
    rate: Decimal
    monthly: int

    def of(self, size: int) -> int:
        return min(size, max(math.ceil(size * self.rate), self.monthly))


def minimum_for(institution_id: int, visit_class: str, policies: dict[int, SamplingPolicy]) -> Minimum:
    policy = policies.get(institution_id)
    if visit_class == "inpatient":
        if policy is None:
            return Minimum(standards.DEFAULT_MIN_RATE_INPATIENT, standards.DEFAULT_MIN_MONTHLY_INPATIENT)
        return Minimum(policy.inpatient_min_rate, policy.inpatient_min_monthly)
    if policy is None:
        return Minimum(standards.DEFAULT_MIN_RATE_OUTPATIENT, standards.DEFAULT_MIN_MONTHLY_OUTPATIENT)
    return Minimum(policy.outpatient_min_rate, policy.outpatient_min_monthly)


def population(task: CommentTask) -> QuerySet[VisitPrescription]:
    """Prescriptions matching the task's period and conditions (see ``ConditionsIn``)."""
    c: dict[str, Any] = task.conditions or {}
    qs = VisitPrescription.objects.filter(
        prescribed_at__date__gte=task.period_start, prescribed_at__date__lte=task.period_end
    )
    if c.get("institutions"):
        qs = qs.filter(institution_id__in=c["institutions"])
    else:
        qs = qs.filter(institution__community_id=task.institution.community_id)
    if c.get("departments"):
        qs = qs.filter(department_id__in=c["departments"])
    if c.get("doctors"):
        qs = qs.filter(doctor_code__in=c["doctors"])
    if c.get("visit_types"):
        qs = qs.filter(kind__in=c["visit_types"])
    if c.get("drug_classes"):
        q = Q()
        for cls in c["drug_classes"]:
            q |= Q(**{DRUG_CLASS_FLAG[cls]: True})
        qs = qs.filter(Exists(PrescriptionItem.objects.filter(q, prescription=OuterRef("pk"))))
    if c.get("drug_codes"):
        qs = qs.filter(
            Exists(PrescriptionItem.objects.filter(prescription=OuterRef("pk"), drug_code__in=c["drug_codes"]))
        )
    return qs


def strata(rows: Iterable[tuple[int, int, Any, str]]) -> dict[tuple[int, str, str], list[int]]:
    """(id, institution id, prescribed_at, kind) → {(institution, YYYY-MM, 门急诊|住院): sorted ids}."""
    out: dict[tuple[int, str, str], list[int]] = {}
    for pk, institution_id, at, kind in rows:
        month = timezone.localtime(at).strftime("%Y-%m")
        visit_class = "inpatient" if kind == VisitType.INPATIENT else "outpatient"
        out.setdefault((institution_id, month, visit_class), []).append(pk)
    for ids in out.values():
        ids.sort()
    return out


def draw(
    groups: dict[tuple[int, str, str], list[int]],
    *,
    mode: str,
    seed: int,
    size: int | None,
    rate: Decimal | None,
    policies: dict[int, SamplingPolicy],
) -> list[int]:
    """The sampled ids in sample order (stratum order, then draw order)."""
    chosen: list[int] = []
    leftovers: list[int] = []
    required = 0
    for key in sorted(groups):
        ids = groups[key]
        minimum = minimum_for(key[0], key[2], policies).of(len(ids))
        if mode == SampleMode.RATE:
            assert rate is not None
            n = min(len(ids), max(math.ceil(len(ids) * rate), minimum))
        else:
            n = minimum
        required += minimum
        rng = random.Random(f"{seed}|{key[0]}|{key[1]}|{key[2]}")
        picked = rng.sample(ids, n)
        chosen.extend(picked)
        if mode == SampleMode.COUNT:
            taken = set(picked)
            leftovers.extend(i for i in ids if i not in taken)
    if mode == SampleMode.COUNT:
        assert size is not None
        if size < required:
            raise BusinessError(
                error_codes.SAMPLE_CONFIG,
                f"抽样数 {size} 张少于规范最低要求 {required} 张（每机构每月门急诊≥1‰且≥100张，住院≥1%且≥30份）。",
                fields={"sample_size": [f"至少 {required} 张。"]},
            )
        extra = min(size - required, len(leftovers))
        chosen.extend(random.Random(f"{seed}|fill").sample(sorted(leftovers), extra))
    return chosen


def sample_task(task: CommentTask, seed: int) -> tuple[int, list[int]]:
    """(population size, sampled prescription ids) for ``task`` with ``seed``."""
    rows = list(population(task).values_list("id", "institution_id", "prescribed_at", "kind"))
    groups = strata(rows)
    policies = {p.institution_id: p for p in SamplingPolicy.objects.filter(institution_id__in={k[0] for k in groups})}
    ids = draw(
        groups, mode=task.sample_mode, seed=seed, size=task.sample_size, rate=task.sample_rate, policies=policies
    )
    return len(rows), ids
