"""The built-in 15/9/4 reason templates are (re)seeded after every ``migrate`` — and after the test
runner's flush, which empties tables that migration 0002 filled — from ``standards.REASONS``."""

from __future__ import annotations

from typing import Any

from yigongti.centers.prescription_review.comment.standards import ARTICLE_OF_CATEGORY, REASONS

STANDARD = "《医院处方点评管理规范（试行）》"


def seed_builtin_reasons() -> None:
    from yigongti.centers.prescription_review.comment.models import ReasonTemplate

    for order, (code, category, text) in enumerate(REASONS, start=1):
        ReasonTemplate.objects.update_or_create(
            institution=None,
            code=code,
            defaults={
                "category": category,
                "text": text,
                "source": f"{STANDARD}{ARTICLE_OF_CATEGORY[category]} {code}",  # type: ignore[index]
                "order": order,
                "is_builtin": True,
            },
        )


def seed_after_migrate(sender: Any, **kwargs: Any) -> None:
    seed_builtin_reasons()
