"""Checker registry: one function per check type, ``fn(ctx) -> iterable of Finding``."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from yigongti.centers.prescription_review.engine.checktypes import CHECK_TYPE_BY_CODE
from yigongti.centers.prescription_review.engine.context import Context
from yigongti.centers.prescription_review.engine.types import Finding

CheckerFn = Callable[[Context], Iterable[Finding]]
CHECKERS: dict[str, CheckerFn] = {}


def checker(code: str) -> Callable[[CheckerFn], CheckerFn]:
    if code not in CHECK_TYPE_BY_CODE:
        raise ValueError(f"unknown check type {code}")

    def register(fn: CheckerFn) -> CheckerFn:
        CHECKERS[code] = fn
        return fn

    return register
