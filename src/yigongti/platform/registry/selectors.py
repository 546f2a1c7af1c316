"""Reads of the resident registry, always scoped to the requesting user (PLAT-02, SEC-02).

Exact search by ID number or phone goes through the HMAC-SM3 blind indexes: the encrypted
columns are never decrypted to find a row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from yigongti.core.fields import blind_index_for
from yigongti.core.scope import ScopedUser, apply_scope, model_scope
from yigongti.core.validators import normalize_id_number
from yigongti.platform.registry.models import ChronicDisease, Resident, normalize_phone_for_index


def resident_queryset() -> QuerySet[Resident]:
    """Everything a resident row or list needs, in a constant number of queries."""
    return Resident.objects.select_related("home_institution", "family_doctor_team").prefetch_related(
        Prefetch("chronic_diseases", queryset=ChronicDisease.objects.order_by("sort", "code"))
    )


def visible_residents(*, user: ScopedUser, queryset: QuerySet[Resident] | None = None) -> QuerySet[Resident]:
    qs = resident_queryset() if queryset is None else queryset
    return apply_scope(qs, model_scope(Resident), user.scope_context())


def id_number_index(id_number: str) -> str:
    """Blind index of an ID number after normalisation (15 → 18 digits, checksum).

    Raises ``ValidationError`` (Chinese message) for a malformed number."""
    return blind_index_for(Resident, "id_number_bidx", normalize_id_number(id_number))


def phone_index(phone: str) -> str:
    return blind_index_for(Resident, "phone_bidx", normalize_phone_for_index(phone))


def filter_by_id_number(queryset: QuerySet[Resident], id_number: str) -> QuerySet[Resident]:
    return queryset.filter(id_number_bidx=id_number_index(id_number))


def filter_by_phone(queryset: QuerySet[Resident], phone: str) -> QuerySet[Resident]:
    index = phone_index(phone)
    return queryset.filter(phone_bidx=index) if index else queryset.none()


def resident_by_id_number(
    *, user: ScopedUser, id_number: str, queryset: QuerySet[Resident] | None = None
) -> Resident | None:
    """The resident with this ID number if the user may see it (the API's exact search)."""
    return filter_by_id_number(visible_residents(user=user, queryset=queryset), id_number).first()


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year - years, day=28)


def birth_date_range(age_min: int | None, age_max: int | None, today: dt.date | None = None) -> dict[str, Any]:
    """Lookups on ``birth_date`` for residents aged ``age_min``..``age_max`` full years today."""
    today = today or timezone.localdate()
    lookups: dict[str, Any] = {}
    if age_min is not None:
        lookups["birth_date__lte"] = years_before(today, age_min)
    if age_max is not None:
        lookups["birth_date__gt"] = years_before(today, age_max + 1)
    return lookups


def resident_list(*, user: ScopedUser, filters: dict[str, Any] | None = None) -> QuerySet[Resident]:
    """Scoped residents filtered by the exact and range criteria the API offers."""
    filters = filters or {}
    qs = visible_residents(user=user)
    if filters.get("id_number"):
        qs = filter_by_id_number(qs, filters["id_number"])
    if filters.get("phone"):
        qs = filter_by_phone(qs, filters["phone"])
    lookups = birth_date_range(filters.get("age_min"), filters.get("age_max"))
    return qs.filter(**lookups) if lookups else qs
