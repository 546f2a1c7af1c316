"""转诊路径 (REF-18): ranked recommendations of where to refer, by diagnosis, department and institution.

Ranking (best first):
1. match level — the exact diagnosis code (``I21.0`` = ``I21.0``), then an ICD-10 prefix (longer prefix
   first: ``I21`` before ``I2``), then department-only paths; a path that also names the department
   and matches it goes before one that does not name it;
2. the configured ``priority`` (smaller first);
3. the target's free capacity: open, not yet ended slots in the next ``horizon_days`` days at the
   target institution (and department when the path names one) — more free places first.
The same target (institution + department) appears once, at its best rank.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Q, Sum
from django.utils import timezone

from yigongti.centers.referral.config import choices
from yigongti.centers.referral.config.models import ReferralPath, ReferralSlot
from yigongti.centers.referral.config.services.slots import _not_over_q

MATCH_LABELS = {3: ("exact", "诊断精确匹配"), 2: ("prefix", "诊断类目匹配"), 1: ("department", "科室匹配")}


def _free_slots(targets: set[tuple[int, int | None]], *, horizon_days: int) -> dict[tuple[int, int | None], int]:
    if not targets:
        return {}
    today = timezone.localdate()
    institution_ids = {t[0] for t in targets}
    rows = (
        ReferralSlot.objects.filter(
            _not_over_q(timezone.now()),
            institution_id__in=institution_ids,
            status=choices.SlotStatus.OPEN,
            date__lte=today + dt.timedelta(days=horizon_days),
        )
        .values("institution_id", "department_id")
        .annotate(free=Sum(F("capacity") - F("booked")))
    )
    per_department: dict[tuple[int, int], int] = {}
    per_institution: dict[int, int] = {}
    for row in rows:
        free = int(row["free"] or 0)
        per_department[(row["institution_id"], row["department_id"])] = free
        per_institution[row["institution_id"]] = per_institution.get(row["institution_id"], 0) + free
    return {
        (inst, dept): per_department.get((inst, dept), 0) if dept is not None else per_institution.get(inst, 0)
        for inst, dept in targets
    }


def paths_recommend(
    *, from_institution_id: int, diagnosis_code: str, department_code: str, horizon_days: int = 14
) -> list[dict[str, Any]]:
    code = (diagnosis_code or "").strip().upper()
    department = (department_code or "").strip()
    if not code and not department:
        return []
    diagnosis_q = Q(diagnosis_code="")
    if code:
        prefixes = {code[:n] for n in range(1, len(code) + 1)}
        diagnosis_q |= Q(diagnosis_code__in=prefixes)
    department_q = Q(department_code="") | (Q(department_code=department) if department else Q(pk__in=[]))
    paths = (
        ReferralPath.objects.filter(diagnosis_q, department_q, institution_id=from_institution_id, is_active=True)
        .filter(target_institution__is_active=True)
        .select_related("target_institution", "target_department")
    )
    scored: list[tuple[tuple[Any, ...], ReferralPath, int]] = []
    for path in paths:
        if path.diagnosis_code:
            level = 3 if path.diagnosis_code == code else 2
        elif path.department_code:
            level = 1
        else:
            continue
        dept_named = 1 if path.department_code else 0
        scored.append(((-level, -len(path.diagnosis_code), -dept_named, path.priority), path, level))
    free = _free_slots(
        {(p.target_institution_id, p.target_department_id) for _, p, _ in scored}, horizon_days=horizon_days
    )
    ranked = sorted(
        scored, key=lambda s: (*s[0], -free[(s[1].target_institution_id, s[1].target_department_id)], s[1].pk)
    )
    seen: set[tuple[int, int | None]] = set()
    result: list[dict[str, Any]] = []
    for _, path, level in ranked:
        target = (path.target_institution_id, path.target_department_id)
        if target in seen:
            continue
        seen.add(target)
        match, label = MATCH_LABELS[level]
        result.append(
            {
                "rank": len(result) + 1,
                "path_id": path.pk,
                "match": match,
                "match_label": label,
                "diagnosis_code": path.diagnosis_code,
                "diagnosis_name": path.diagnosis_name,
                "department_code": path.department_code,
                "target_institution": path.target_institution_id,
                "target_institution_name": path.target_institution.name,
                "target_department": path.target_department_id,
                "target_department_name": path.target_department.name if path.target_department else "",
                "priority": path.priority,
                "free_slots": free[target],
                "remark": path.remark,
            }
        )
    return result
