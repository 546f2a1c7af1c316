"""Single-resident access: one check, used everywhere a resident is addressed by id."""

from __future__ import annotations

from typing import Any

from yigongti.core.errors import not_found
from yigongti.core.scope import ScopedUser, apply_scope, model_scope
from yigongti.platform.registry.models import Resident
from yigongti.platform.registry.selectors import resident_queryset


def access_resident(user: ScopedUser, resident_id: Any, *, for_update: bool = False) -> Resident:
    """The resident if ``user`` may see it (or change it, ``for_update``); otherwise the same 404
    whether the id does not exist or belongs to another institution."""
    try:
        pk = int(resident_id)
    except (TypeError, ValueError):
        raise not_found() from None
    qs = apply_scope(resident_queryset(), model_scope(Resident), user.scope_context(), for_write=for_update)
    resident = qs.filter(pk=pk).first()
    if resident is None:
        raise not_found()
    return resident
