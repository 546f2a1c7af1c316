"""Demo data contributed by the centers.

``generate_county`` builds the organisation, accounts and residents, then calls every registered
contributor in registration order inside the same transaction. A center registers from its
``apps.ready``: ``register_demo("referral", seed_referrals, order=10)``; the contributor receives
the built organisation (``OrgBuilder`` result), a seeded ``random.Random`` of its own stream and
the reference date, and returns counts for the report (``{"referrals": 412}``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Contributor = Callable[[Any, random.Random, dt.date], dict[str, int]]


@dataclass(frozen=True)
class DemoContribution:
    name: str
    build: Contributor
    order: int = 0


_CONTRIBUTIONS: dict[str, DemoContribution] = {}


def register_demo(name: str, build: Contributor, *, order: int = 0) -> None:
    _CONTRIBUTIONS[name] = DemoContribution(name, build, order)


def contributions() -> list[DemoContribution]:
    return sorted(_CONTRIBUTIONS.values(), key=lambda c: (c.order, c.name))
