"""Demo contribution: a few hundred finished visits and one finished comment project."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any


def seed_comment_demo(org: Any, rng: random.Random, today: dt.date) -> dict[str, int]:
    from yigongti.centers.prescription_review.comment.demo_data import build

    return build(org, rng, today)
