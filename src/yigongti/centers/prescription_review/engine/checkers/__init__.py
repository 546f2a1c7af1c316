"""One checker per check type (guide §3.6.2.1); importing this package registers them all."""

from yigongti.centers.prescription_review.engine.checkers import (  # noqa: F401
    combination,
    diagnosis,
    dosing,
    norms,
    patient,
    special,
)
from yigongti.centers.prescription_review.engine.checkers.base import CHECKERS
from yigongti.centers.prescription_review.engine.checktypes import CHECK_TYPES

missing = [ct.code for ct in CHECK_TYPES if ct.code not in CHECKERS]
if missing:  # pragma: no cover - import-time guard
    raise ImportError(f"check types without a checker: {missing}")

__all__ = ["CHECKERS"]
