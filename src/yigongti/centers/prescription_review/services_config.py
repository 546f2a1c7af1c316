"""Per-institution configuration of the review center (RX-05), read on the hot path through a short cache."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from yigongti.centers.prescription_review.choices import SEVERITY_RANK
from yigongti.centers.prescription_review.models import (
    DEFAULT_SECOND_REVIEW,
    DEFAULT_TIMEOUT_MINUTES,
    RxCenterConfig,
)

_CACHE_SECONDS = 30.0
_cache: dict[int, tuple[float, EffectiveConfig]] = {}


@dataclass(frozen=True)
class EffectiveConfig:
    institution_id: int
    timeout_minutes: int = DEFAULT_TIMEOUT_MINUTES
    auto_pass_enabled: bool = True
    second_review_severity: str = DEFAULT_SECOND_REVIEW
    webhook_destination: str = ""

    @property
    def timeout(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.timeout_minutes)


def config_for(institution_id: int, *, fresh: bool = False) -> EffectiveConfig:
    """The institution's configuration (defaults without a row), cached for 30 seconds per process."""
    now = time.monotonic()
    hit = _cache.get(institution_id)
    if hit is not None and not fresh and now - hit[0] < _CACHE_SECONDS:
        return hit[1]
    row = RxCenterConfig.objects.filter(institution_id=institution_id).first()
    config = (
        EffectiveConfig(
            institution_id=institution_id,
            timeout_minutes=row.review_timeout_minutes,
            auto_pass_enabled=row.auto_pass_enabled,
            second_review_severity=row.second_review_severity,
            webhook_destination=row.webhook_destination,
        )
        if row is not None
        else EffectiveConfig(institution_id=institution_id)
    )
    _cache[institution_id] = (now, config)
    return config


def forget_config(institution_id: int | None = None) -> None:
    if institution_id is None:
        _cache.clear()
    else:
        _cache.pop(institution_id, None)


def requires_second_review(config: EffectiveConfig, severity: str) -> bool:
    """多级审核: the finding's severity reaches the institution's threshold (blank = off)."""
    threshold = config.second_review_severity
    if not threshold:
        return False
    return SEVERITY_RANK.get(severity, 0) >= SEVERITY_RANK.get(threshold, 99)
