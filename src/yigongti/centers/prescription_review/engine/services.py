"""Writes of the rule configuration (RX-05 AI审方配置)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from yigongti.centers.prescription_review.engine.checktypes import CHECK_TYPES
from yigongti.centers.prescription_review.engine.models import (
    DEFAULT_CONFIG_SOURCE,
    CheckTypeSetting,
    RuleConfig,
    SeverityLevel,
)
from yigongti.centers.prescription_review.engine.selectors import effective_config
from yigongti.centers.prescription_review.engine.settings_cache import invalidate_settings
from yigongti.centers.prescription_review.engine.severity import DEFAULT_SCALE
from yigongti.core.audit.choices import Category
from yigongti.core.audit.services import audit_model_change, snapshot

DEFAULT_CONFIG_NAME = "医共体默认审方规则（处方审核规范2018）"


@transaction.atomic
def rule_config_populate(*, config: RuleConfig, actor: Any) -> RuleConfig:
    """Give a new config its severity levels and check settings.

    Copied from the config that was effective for the same institution just before (so a new
    version starts from the current rules), else from the seeded defaults.
    """
    if config.levels.exists() or config.checks.exists():
        return config
    base = effective_config(
        institution_id=config.institution_id, day=config.effective_from - datetime.timedelta(days=1)
    )
    if (
        base is not None
        and base.pk != config.pk
        and (base.institution_id is None or base.institution_id == config.institution_id)
    ):
        levels = [
            SeverityLevel(
                config=config,
                code=lv.code,
                name=lv.name,
                rank=lv.rank,
                action=lv.action,
                color=lv.color,
                created_by=actor,
                updated_by=actor,
            )
            for lv in base.levels.all()
        ]
        checks = [
            CheckTypeSetting(
                config=config,
                check_type=ck.check_type,
                enabled=ck.enabled,
                severity_override=ck.severity_override,
                created_by=actor,
                updated_by=actor,
            )
            for ck in base.checks.all()
        ]
    else:
        levels = [
            SeverityLevel(
                config=config,
                code=lv.code,
                name=lv.name,
                rank=lv.rank,
                action=lv.action,
                color=lv.color,
                created_by=actor,
                updated_by=actor,
            )
            for lv in DEFAULT_SCALE
        ]
        checks = []
    have = {c.check_type for c in checks}
    checks += [
        CheckTypeSetting(config=config, check_type=ct.code, enabled=True, created_by=actor, updated_by=actor)
        for ct in CHECK_TYPES
        if ct.code not in have
    ]
    SeverityLevel.objects.bulk_create(levels)
    CheckTypeSetting.objects.bulk_create(checks)
    transaction.on_commit(invalidate_settings)
    return config


@transaction.atomic
def rule_config_seed_default(
    *, community: Any, effective_from: datetime.date | None = None, actor: Any = None
) -> RuleConfig:
    """The community default (idempotent): default scale and every check type enabled."""
    existing = RuleConfig.objects.filter(community=community, institution__isnull=True).order_by("effective_from")
    found = existing.first()
    if found is not None:
        return found
    config = RuleConfig(
        community=community,
        institution=None,
        name=DEFAULT_CONFIG_NAME,
        effective_from=effective_from or datetime.date(2018, 7, 1),
        note="默认：禁忌→自动拦截；不推荐、慎用→转药师审核；提示→仅提示。",
        source=DEFAULT_CONFIG_SOURCE,
        created_by=actor,
        updated_by=actor,
    )
    config.full_clean()
    config.save()
    audit_model_change(category=Category.CREATE, instance=config, before=None, after=snapshot(config))
    return rule_config_populate(config=config, actor=actor)


def seed_demo(org: Any, rng: Any, today: datetime.date) -> dict[str, int]:
    rule_config_seed_default(community=org.community)
    return {"rx_rule_configs": RuleConfig.objects.count()}
