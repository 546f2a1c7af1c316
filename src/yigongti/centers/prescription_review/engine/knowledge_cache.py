"""Process-wide cache of the knowledge snapshot, rebuilt when the current KB version changes."""

from __future__ import annotations

import gc
import logging
import threading
import time
from typing import Any

from yigongti.centers.prescription_review.engine.kb import KnowledgeBase, empty_knowledge_base

logger = logging.getLogger(__name__)

# How often (seconds) the current version key is re-read from the database.
VERSION_CHECK_INTERVAL = 10.0

_lock = threading.Lock()
_state: dict[str, Any] = {"kb": None, "key": None, "checked": 0.0}


def _version_key() -> object:
    """Identity of the knowledge version that is current now (cheap query)."""
    from yigongti.centers.prescription_review.knowledge import snapshot

    hook = getattr(snapshot, "current_version_key", None)
    if hook is not None:
        return hook()
    from django.utils import timezone

    from yigongti.centers.prescription_review.knowledge.models import KnowledgeVersion

    row = (
        KnowledgeVersion.objects.filter(status="published", effective_date__lte=timezone.localdate())
        .order_by("-effective_date", "-number")
        .values_list("id", "published_at")
        .first()
    )
    return row


def _build() -> KnowledgeBase:
    from yigongti.centers.prescription_review.knowledge.snapshot import build_knowledge_base

    kb = build_knowledge_base()
    # The snapshot lives until the next version: keep its ~10^5-10^6 objects out of the cyclic
    # GC's generations so a full collection does not walk them during a check (p99 spikes).
    gc.collect()
    gc.freeze()
    return kb


def current_knowledge() -> KnowledgeBase:
    now = time.monotonic()
    kb = _state["kb"]
    if kb is not None and now - _state["checked"] < VERSION_CHECK_INTERVAL:
        return kb  # type: ignore[no-any-return]
    with _lock:
        kb = _state["kb"]
        if kb is not None and now - _state["checked"] < VERSION_CHECK_INTERVAL:
            return kb  # type: ignore[no-any-return]
        try:
            key = _version_key()
        except ImportError:
            logger.warning("审方知识库加载器不可用，使用空知识库")
            kb = empty_knowledge_base("unavailable")
            _state.update(kb=kb, key=None, checked=now)
            return kb
        if kb is None or key != _state["key"]:
            kb = _build() if key is not None else empty_knowledge_base("none")
            _state.update(kb=kb, key=key)
        _state["checked"] = now
        return kb  # type: ignore[no-any-return]


def invalidate_knowledge() -> None:
    """Drop the cached snapshot (call after publishing a version; tests)."""
    with _lock:
        _state.update(kb=None, key=None, checked=0.0)
