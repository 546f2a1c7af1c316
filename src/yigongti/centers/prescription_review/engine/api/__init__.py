"""Public entry point of the review engine (everyone else codes against these three functions).

```python
from yigongti.centers.prescription_review.engine import api as rx_engine
result = rx_engine.check(rx_engine.input_from_payload(payload), institution_id=inst.id)
```
"""

from __future__ import annotations

from yigongti.centers.prescription_review.engine.core import run
from yigongti.centers.prescription_review.engine.kb import KnowledgeBase
from yigongti.centers.prescription_review.engine.knowledge_cache import (
    current_knowledge,
    invalidate_knowledge,
)
from yigongti.centers.prescription_review.engine.payload import input_from_payload
from yigongti.centers.prescription_review.engine.settings_cache import (
    invalidate_settings,
    settings_for,
)
from yigongti.centers.prescription_review.engine.types import CheckResult, PrescriptionInput

__all__ = [
    "check",
    "current_knowledge",
    "input_from_payload",
    "invalidate_knowledge",
    "invalidate_settings",
    "settings_for",
]


def check(
    rx: PrescriptionInput,
    *,
    institution_id: int | None = None,
    kb: KnowledgeBase | None = None,
) -> CheckResult:
    """Review one prescription with the institution's rule configuration (community default if None).

    Pure in-memory work once the knowledge snapshot and the configuration are cached.
    """
    return run(kb if kb is not None else current_knowledge(), rx, settings_for(institution_id))
