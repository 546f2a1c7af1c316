"""Single-record access of the review center: the same 404 whether missing or out of scope."""

from __future__ import annotations

from typing import Any

from yigongti.centers.prescription_review.models import Prescription
from yigongti.centers.prescription_review.selectors import prescription_list
from yigongti.core.errors import not_found


def access_prescription_by_his_id(user: Any, his_id: str) -> Prescription:
    """The HIS's own prescription by its HIS id (the client's institution only)."""
    institution_id = getattr(user, "institution_pk", None) or getattr(user, "institution_id", None)
    if institution_id is None:
        raise not_found()
    found = prescription_list(user=user).filter(institution_id=institution_id, his_id=his_id).first()
    if found is None:
        raise not_found()
    return found
