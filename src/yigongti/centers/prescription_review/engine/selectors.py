"""Reads of the rule configuration."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from yigongti.centers.prescription_review.engine.models import RuleConfig
from yigongti.centers.prescription_review.engine.severity import (
    DEFAULT_SETTINGS,
    EngineSettings,
    SeverityLevel,
)


def effective_config(*, institution_id: int | None, day: datetime.date | None = None) -> RuleConfig | None:
    """The institution's own config effective on ``day``, else its community default.

    Without an institution: the default of the first community (single-community deployments).
    """
    day = day or timezone.localdate()
    qs: QuerySet[RuleConfig] = RuleConfig.objects.filter(effective_from__lte=day)
    if institution_id is None:
        return qs.filter(institution__isnull=True).order_by("community_id", "-effective_from").first()
    from yigongti.platform.org.models import Institution

    community_id = Institution.objects.filter(pk=institution_id).values_list("community_id", flat=True).first()
    if community_id is None:
        return None
    cond = Q(institution_id=institution_id) | Q(institution__isnull=True, community_id=community_id)
    candidates = list(qs.filter(cond).order_by("-effective_from")[:20])
    own = [c for c in candidates if c.institution_id == institution_id]
    if own:
        return own[0]
    defaults = [c for c in candidates if c.institution_id is None]
    return defaults[0] if defaults else None


def settings_from_config(config: RuleConfig) -> EngineSettings:
    levels = tuple(
        SeverityLevel(code=lv.code, name=lv.name, rank=lv.rank, action=lv.action, color=lv.color)
        for lv in config.levels.order_by("-rank")
    )
    disabled: set[str] = set()
    overrides: dict[str, str] = {}
    for setting in config.checks.all():
        if not setting.enabled:
            disabled.add(setting.check_type)
        if setting.severity_override:
            overrides[setting.check_type] = setting.severity_override
    return EngineSettings(
        version=config.version,
        scale=levels or DEFAULT_SETTINGS.scale,
        disabled_checks=frozenset(disabled),
        severity_overrides=overrides,
    )


def effective_settings(*, institution_id: int | None, day: datetime.date | None = None) -> EngineSettings:
    config = effective_config(institution_id=institution_id, day=day)
    return DEFAULT_SETTINGS if config is None else settings_from_config(config)
