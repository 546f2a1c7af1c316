"""Reads of the master patient index, scoped to the requesting user, and single-record access.

Registrations and review-queue items belong to the registering institution: a registry
administrator sees those of the institutions in his data scope, and another institution's item
answers 404 exactly like a missing one. Identifiers, rules and merges follow their resident.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import QuerySet

from yigongti.core.errors import not_found
from yigongti.core.scope import ScopedUser, apply_scope, model_scope
from yigongti.platform.registry.models import (
    ManualLinkRule,
    MatchCandidate,
    PatientRegistration,
    ResidentIdentifier,
    ResidentMerge,
)
from yigongti.platform.registry.mpi.choices import CandidateStatus

M = TypeVar("M", bound=models.Model)


def scoped(user: ScopedUser, queryset: QuerySet[M], *, for_write: bool = False) -> QuerySet[M]:
    return apply_scope(queryset, model_scope(queryset.model), user.scope_context(), for_write=for_write)


def registration_queryset() -> QuerySet[PatientRegistration]:
    return PatientRegistration.objects.select_related("institution", "resident", "decided_by")


def review_queue_queryset() -> QuerySet[MatchCandidate]:
    return MatchCandidate.objects.select_related(
        "registration", "registration__institution", "resident", "resident__home_institution", "reviewer"
    )


def review_queue(*, user: ScopedUser, status: str | None = CandidateStatus.PENDING) -> QuerySet[MatchCandidate]:
    qs = scoped(user, review_queue_queryset())
    return qs.filter(status=status) if status else qs


def identifier_queryset() -> QuerySet[ResidentIdentifier]:
    return ResidentIdentifier.objects.select_related("issuer", "resident")


def identifiers_of(resident: Any) -> QuerySet[ResidentIdentifier]:
    return identifier_queryset().filter(resident=resident).order_by("type", "pk")


def merge_queryset() -> QuerySet[ResidentMerge]:
    return ResidentMerge.objects.select_related("survivor", "merged", "created_by", "reversed_by")


def link_rule_queryset() -> QuerySet[ManualLinkRule]:
    return ManualLinkRule.objects.select_related("resident", "issuer", "created_by")


def _access(user: ScopedUser, queryset: QuerySet[M], pk: Any, *, for_update: bool) -> M:
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise not_found() from None
    row = scoped(user, queryset, for_write=for_update).filter(pk=key).first()
    if row is None:
        raise not_found()
    return row


def access_registration(user: ScopedUser, pk: Any, *, for_update: bool = False) -> PatientRegistration:
    return _access(user, registration_queryset(), pk, for_update=for_update)


def access_candidate(user: ScopedUser, pk: Any, *, for_update: bool = False) -> MatchCandidate:
    return _access(user, review_queue_queryset(), pk, for_update=for_update)


def access_identifier(user: ScopedUser, pk: Any, *, for_update: bool = False) -> ResidentIdentifier:
    return _access(user, identifier_queryset(), pk, for_update=for_update)


def access_merge(user: ScopedUser, pk: Any, *, for_update: bool = False) -> ResidentMerge:
    return _access(user, merge_queryset(), pk, for_update=for_update)
