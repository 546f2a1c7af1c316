"""Per-institution cache of the effective rule configuration (EngineSettings)."""

from __future__ import annotations

import threading
import time

from yigongti.centers.prescription_review.engine.severity import EngineSettings

CACHE_SECONDS = 30.0

_lock = threading.Lock()
_cache: dict[int | None, tuple[float, EngineSettings]] = {}


def settings_for(institution_id: int | None) -> EngineSettings:
    now = time.monotonic()
    hit = _cache.get(institution_id)
    if hit is not None and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    from yigongti.centers.prescription_review.engine.selectors import effective_settings

    settings = effective_settings(institution_id=institution_id)
    with _lock:
        _cache[institution_id] = (now, settings)
    return settings


def invalidate_settings() -> None:
    with _lock:
        _cache.clear()
