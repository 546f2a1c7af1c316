"""转诊规则 (REF-17): which rules apply to an institution on a date, and the evaluation of a visit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yigongti.centers.referral.config import choices, error_codes, rules_engine
from yigongti.centers.referral.config.models import ReferralRule
from yigongti.core.audit.choices import Category
from yigongti.core.audit.services import audit_model_change, snapshot
from yigongti.core.errors import BusinessError

SEVERITY_RANK = {choices.Severity.EMERGENCY: 3, choices.Severity.URGENT: 2, choices.Severity.ROUTINE: 1}
SEVERITY_LABELS = dict(choices.Severity.choices)


def rules_seed_defaults(*, using: str = "default") -> int:
    """Create the missing platform-default rules (version 1). Never overwrites edits. Returns created."""
    from yigongti.centers.referral.config.rules_seed import DEFAULT_RULES, EFFECTIVE_FROM

    existing = set(ReferralRule.objects.using(using).filter(institution__isnull=True).values_list("code", flat=True))
    rows = [
        ReferralRule(
            institution=None,
            version=1,
            effective_from=dt.date.fromisoformat(EFFECTIVE_FROM),
            sort=(n + 1) * 10,
            **spec,
        )
        for n, spec in enumerate(DEFAULT_RULES)
        if spec["code"] not in existing
    ]
    ReferralRule.objects.using(using).bulk_create(rows)
    return len(rows)


def effective_rules(*, institution_id: int, on: dt.date) -> list[ReferralRule]:
    """Per code, the institution's own rule when it has one in force, else the platform default; of
    several versions in force, the highest."""
    rows = ReferralRule.objects.filter(
        Q(institution_id=institution_id) | Q(institution__isnull=True),
        Q(effective_to__isnull=True) | Q(effective_to__gt=on),
        status=choices.RuleStatus.ACTIVE,
        effective_from__lte=on,
    ).order_by("sort", "code", "-version")
    chosen: dict[str, ReferralRule] = {}
    for rule in rows:
        current = chosen.get(rule.code)
        own, current_own = rule.institution_id is not None, current is not None and current.institution_id is not None
        if current is None or (own and not current_own) or (own == current_own and rule.version > current.version):
            chosen[rule.code] = rule
    return sorted(chosen.values(), key=lambda r: (r.sort, r.code))


def _visit_problems(visit: Any) -> dict[str, list[str]]:
    if not isinstance(visit, dict):
        return {"visit": ["就诊数据必须是对象。"]}
    problems: dict[str, list[str]] = {}
    for key in ("diagnosis_codes", "symptoms", "flags"):
        value = visit.get(key)
        if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
            problems[key] = ["必须是字符串列表。"]
    for key in ("vitals", "labs"):
        value = visit.get(key)
        if value is None:
            continue
        if not isinstance(value, dict):
            problems[key] = ["必须是对象。"]
            continue
        for name, number in value.items():
            if key == "vitals" and name == "consciousness":
                if number is not None and number not in rules_engine.CONSCIOUSNESS:
                    problems[f"{key}.{name}"] = [f"取值须为：{'、'.join(rules_engine.CONSCIOUSNESS)}。"]
            elif number is not None and not rules_engine._is_number(number):
                problems[f"{key}.{name}"] = ["必须是数字。"]
    age = visit.get("age")
    if age is not None and not rules_engine._is_number(age):
        problems["age"] = ["必须是数字。"]
    control = visit.get("previous_control")
    if control is not None and control not in rules_engine.CONTROL:
        problems["previous_control"] = [f"取值须为：{'、'.join(rules_engine.CONTROL)}。"]
    return problems


def rules_evaluate(*, institution_id: int, visit: dict[str, Any], on: dt.date | None = None) -> dict[str, Any]:
    """Whether the visit meets referral criteria, which rules matched, why, and on what source."""
    problems = _visit_problems(visit)
    if problems:
        raise BusinessError(error_codes.RULE_INVALID_VISIT, "就诊数据格式有误。", fields=problems)
    day = on or timezone.localdate()
    rules = effective_rules(institution_id=institution_id, on=day)
    matched: list[dict[str, Any]] = []
    for rule in rules:
        ok, evidence = rules_engine.evaluate(rule.condition, visit)
        if ok:
            matched.append(
                {
                    "code": rule.code,
                    "version": rule.version,
                    "name": rule.name,
                    "severity": rule.severity,
                    "severity_label": SEVERITY_LABELS.get(rule.severity, rule.severity),
                    "reason": rule.reason,
                    "source": rule.source,
                    "evidence": evidence,
                    "institution_rule": rule.institution_id is not None,
                }
            )
    matched.sort(key=lambda m: -SEVERITY_RANK.get(m["severity"], 0))
    severity = matched[0]["severity"] if matched else None
    return {
        "refer": bool(matched),
        "severity": severity,
        "severity_label": SEVERITY_LABELS.get(severity, "") if severity else "",
        "date": day,
        "rules_evaluated": len(rules),
        "matched": matched,
    }


@transaction.atomic
def rule_new_version(
    *, rule: ReferralRule, institution_id: int | None, effective_from: dt.date, actor: Any
) -> ReferralRule:
    """A new version of ``rule`` effective from ``effective_from``: for the same owner the previous
    version in force ends that day; from a platform default for an institution it becomes the
    institution's own rule (overriding the default from then on). Condition and texts are copied,
    to be edited on the new row."""
    latest = (
        ReferralRule.objects.select_for_update()
        .filter(code=rule.code)
        .filter(Q(institution_id=institution_id) if institution_id is not None else Q(institution__isnull=True))
        .order_by("-version")
        .first()
    )
    if latest is not None and effective_from <= latest.effective_from:
        raise BusinessError(
            error_codes.RULE_VERSION_DATE,
            f"新版本的生效日期须晚于当前最新版本（v{latest.version}，{latest.effective_from:%Y-%m-%d}）。",
            fields={"effective_from": ["请选择更晚的日期。"]},
        )
    if latest is not None and (latest.effective_to is None or latest.effective_to > effective_from):
        before = snapshot(latest)
        latest.effective_to = effective_from
        latest.updated_by = actor
        latest.save(update_fields=["effective_to", "updated_by", "updated_at"])
        audit_model_change(
            category=Category.UPDATE, instance=latest, before=before, after=snapshot(latest), project="双向转诊"
        )
    new = ReferralRule(
        institution_id=institution_id,
        code=rule.code,
        version=(latest.version + 1) if latest is not None else 1,
        name=rule.name,
        severity=rule.severity,
        condition=rule.condition,
        reason=rule.reason,
        source=rule.source,
        effective_from=effective_from,
        status=choices.RuleStatus.ACTIVE,
        sort=rule.sort,
        created_by=actor,
        updated_by=actor,
    )
    new.full_clean()
    new.save()
    audit_model_change(category=Category.CREATE, instance=new, before=None, after=snapshot(new), project="双向转诊")
    return new
