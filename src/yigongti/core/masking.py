"""Masks for sensitive values shown to users without the view-sensitive permission (SEC-02)."""

from __future__ import annotations


def mask_all_but_last4(value: str | None) -> str | None:
    """The default for an encrypted value with no specific mask: ``******0016``."""
    if not value:
        return value
    return "*" * max(len(value) - 4, 4) + value[-4:] if len(value) > 8 else "*" * len(value)


def mask_id_number(value: str | None) -> str | None:
    """``320102198001010016`` → ``320102********0016`` (address code and last four kept)."""
    if not value:
        return value
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str | None:
    """``13800000000`` → ``138****0000``."""
    if not value:
        return value
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_address(value: str | None) -> str | None:
    """Keep the first six characters (province/county/township level), hide the rest."""
    if not value:
        return value
    keep = min(6, max(len(value) // 2, 1))
    return value[:keep] + "*" * min(len(value) - keep, 8)


def mask_name(value: str | None) -> str | None:
    """``张三丰`` → ``张*丰``; ``张三`` → ``张*``."""
    if not value:
        return value
    if len(value) == 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]
