from __future__ import annotations

from typing import Any

import pytest

from yigongti.centers.prescription_review.engine.kb import KnowledgeBase

_KB: dict[str, KnowledgeBase] = {}


@pytest.fixture
def seeded_kb(db: Any) -> KnowledgeBase:
    """Engineer K's seed mapped by ``knowledge.snapshot``; seeded once per process inside the first test's
    (rolled-back) transaction, the snapshot then lives in memory."""
    if "kb" not in _KB:
        from yigongti.centers.prescription_review.knowledge.seeding import seed_knowledge
        from yigongti.centers.prescription_review.knowledge.snapshot import build_knowledge_base

        seed_knowledge()
        _KB["kb"] = build_knowledge_base()
    return _KB["kb"]
