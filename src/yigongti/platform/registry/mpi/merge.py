"""Merging two files of one person, reversing a merge, and unlinking a wrong identifier.

A merge moves the merged file's identifiers and registrations to the survivor, gives the survivor
the merged file's ID number as an extra 居民身份证 identifier, deactivates the merged file and
records exactly what moved (``ResidentMerge.snapshot``). Reversal moves those rows back, deletes
what the merge created and reactivates the file — or refuses (409) when any of them has moved
since, so a reversal never guesses. Other centers keep pointing at the merged file; they reach the
survivor through ``matching.resolve_merged``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from yigongti.core.audit.choices import Category
from yigongti.core.audit.services import snapshot
from yigongti.core.errors import BusinessError, ConflictError
from yigongti.platform.registry.models import (
    MatchCandidate,
    PatientRegistration,
    Resident,
    ResidentIdentifier,
    ResidentMerge,
)
from yigongti.platform.registry.mpi.choices import CandidateStatus, IdentifierType, RegistrationStatus, RuleKind
from yigongti.platform.registry.mpi.matching import IdentifierKey, find_match, identifier_q
from yigongti.platform.registry.mpi.services import (
    acting_user,
    apply_result,
    audit,
    link_rule_create,
    registration_snapshot,
    submission_of,
)
from yigongti.platform.registry.services import resident_snapshot

CHANGED = "合并后相关标识或登记已被移动或删除，无法自动撤销，请人工处理。"


def _lock_pair(first: Resident, second: Resident) -> tuple[Resident, Resident]:
    rows = {r.pk: r for r in Resident.objects.select_for_update().filter(pk__in=[first.pk, second.pk]).order_by("pk")}
    return rows[first.pk], rows[second.pk]


def _set_active(resident: Resident, active: bool, actor: Any) -> None:
    before = resident_snapshot(resident)
    resident.is_active, resident.updated_by = active, acting_user(actor)
    resident.save(update_fields=["is_active", "updated_by", "updated_at"])
    audit(Category.UPDATE, resident, before, resident_snapshot(resident))


@transaction.atomic
def resident_merge(*, survivor: Resident, merged: Resident, actor: Any, reason: str = "") -> ResidentMerge:
    if survivor.pk == merged.pk:
        raise BusinessError("MERGE_SAME", "不能将档案与自身合并。", fields={"other": ["请选择另一份档案。"]})
    survivor, merged = _lock_pair(survivor, merged)
    if not survivor.is_active or not merged.is_active:
        raise ConflictError("MERGE_INACTIVE", "已停用（或已被合并）的档案不能再合并。")
    identifiers = list(merged.identifiers.order_by("pk").values_list("pk", flat=True))
    registrations = list(merged.registrations.order_by("pk").values_list("pk", flat=True))
    ResidentIdentifier.objects.filter(pk__in=identifiers).update(resident=survivor, updated_at=timezone.now())
    PatientRegistration.objects.filter(pk__in=registrations).update(resident=survivor, updated_at=timezone.now())
    created = []
    if merged.id_number and merged.id_number != survivor.id_number:
        key = IdentifierKey(IdentifierType.ID_CARD, None, merged.id_number)
        if not ResidentIdentifier.objects.filter(identifier_q([key])).exists():
            extra = ResidentIdentifier(resident=survivor, type=key.type, value=key.value)
            extra.created_by = extra.updated_by = acting_user(actor)
            extra.save(force_insert=True)
            audit(Category.CREATE, extra, None, snapshot(extra))
            created.append(extra.pk)
    _set_active(merged, False, actor)
    merge = ResidentMerge(
        survivor=survivor,
        merged=merged,
        reason=reason[:200],
        snapshot={"identifiers": identifiers, "registrations": registrations, "created_identifiers": created},
    )
    merge.created_by = merge.updated_by = acting_user(actor)
    merge.save(force_insert=True)
    audit(
        Category.CREATE,
        merge,
        None,
        snapshot(merge),
        f"合并居民档案：{merged}（{merged.pk}）并入 {survivor}（{survivor.pk}），迁移标识 {len(identifiers)} 个、"
        f"登记 {len(registrations)} 条",
    )
    return merge


@transaction.atomic
def merge_reverse(*, merge: ResidentMerge, actor: Any) -> ResidentMerge:
    merge = ResidentMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.reversed_at is not None:
        raise ConflictError("MERGE_ALREADY_REVERSED", "该合并已撤销。")
    survivor, merged = _lock_pair(merge.survivor, merge.merged)
    moved = merge.snapshot
    identifiers = ResidentIdentifier.objects.filter(pk__in=moved.get("identifiers", []), resident=survivor)
    registrations = PatientRegistration.objects.filter(pk__in=moved.get("registrations", []), resident=survivor)
    created = ResidentIdentifier.objects.filter(pk__in=moved.get("created_identifiers", []), resident=survivor)
    if (
        merged.is_active
        or identifiers.count() != len(moved.get("identifiers", []))
        or registrations.count() != len(moved.get("registrations", []))
        or created.count() != len(moved.get("created_identifiers", []))
    ):
        raise ConflictError("MERGE_CHANGED", CHANGED)
    before = snapshot(merge)
    identifiers.update(resident=merged, updated_at=timezone.now())
    registrations.update(resident=merged, updated_at=timezone.now())
    for extra in created:
        audit(Category.DELETE, extra, snapshot(extra), None)
        extra.delete()
    _set_active(merged, True, actor)
    merge.reversed_at, merge.reversed_by, merge.updated_by = timezone.now(), acting_user(actor), acting_user(actor)
    merge.save(update_fields=["reversed_at", "reversed_by", "updated_by", "updated_at"])
    audit(Category.UPDATE, merge, before, snapshot(merge), f"撤销档案合并：{merged}（{merged.pk}）恢复为独立档案")
    return merge


def _carries(registration: PatientRegistration, key: IdentifierKey) -> bool:
    return any(k == key for k in submission_of(registration).identifier_keys())


def rematch(registration: PatientRegistration, actor: Any) -> PatientRegistration:
    """Match a registration again (after an unlink); the manual rules in force apply."""
    before = registration_snapshot(registration)
    submission = submission_of(registration)
    registration.candidates.filter(status=CandidateStatus.PENDING).delete()
    result = find_match(submission)
    registration.resident, registration.status = None, RegistrationStatus.PENDING
    registration.created_resident = False
    apply_result(registration, submission, result, actor)
    registration.updated_by = acting_user(actor)
    registration.save()
    audit(
        Category.UPDATE, registration, before, registration_snapshot(registration), f"重新匹配患者登记：{registration}"
    )
    return registration


@transaction.atomic
def identifier_unlink(*, identifier: ResidentIdentifier, actor: Any, reason: str = "") -> list[PatientRegistration]:
    """The identifier does not belong to this resident: detach it, forbid the link for good
    (never-link rule) and match again every registration of this resident that carried it."""
    identifier = ResidentIdentifier.objects.select_for_update().select_related("resident").get(pk=identifier.pk)
    resident = identifier.resident
    if identifier.type == IdentifierType.ID_CARD and identifier.value == resident.id_number:
        raise BusinessError("IDENTIFIER_IS_FILE_NUMBER", "这是档案本身的身份证号，请修改居民档案。")
    key = IdentifierKey(identifier.type, identifier.issuer_id, identifier.value)
    link_rule_create(kind=RuleKind.NEVER_LINK, key=key, resident=resident, actor=actor, reason=reason or "解除关联")
    audit(
        Category.DELETE, identifier, snapshot(identifier), None, f"解除居民标识关联：{identifier}（居民 {resident.pk}）"
    )
    identifier.delete()
    affected = [r for r in resident.registrations.select_for_update().order_by("pk") if _carries(r, key)]
    MatchCandidate.objects.filter(registration__in=affected, resident=resident).delete()
    return [rematch(registration, actor) for registration in affected]
