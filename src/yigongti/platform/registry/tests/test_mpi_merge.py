"""Merging residents, reversing a merge exactly, and unlinking a wrongly linked identifier."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from yigongti.core.audit.models import AuditLog
from yigongti.core.errors import BusinessError, ConflictError
from yigongti.platform.registry.models import (
    ManualLinkRule,
    PatientRegistration,
    Resident,
    ResidentIdentifier,
    ResidentMerge,
)
from yigongti.platform.registry.mpi.matching import find_match
from yigongti.platform.registry.mpi.merge import identifier_unlink, merge_reverse, resident_merge
from yigongti.platform.registry.mpi.services import clean_submission
from yigongti.platform.registry.testing import make_id_number, make_registration, make_resident

pytestmark = pytest.mark.django_db
A_ID = make_id_number(dt.date(1970, 2, 3), 101, sex="1")
B_ID = make_id_number(dt.date(1970, 3, 2), 103, sex="1")


def state() -> dict[str, Any]:
    return {
        "identifiers": sorted(ResidentIdentifier.objects.values_list("pk", "resident_id", "type", "issuer_id")),
        "registrations": sorted(PatientRegistration.objects.values_list("pk", "resident_id", "status")),
        "residents": sorted(Resident.objects.values_list("pk", "is_active", "name")),
    }


def two_files(world: Any) -> tuple[Resident, Resident]:
    a = make_resident(world.home, id_number=A_ID, name="刘建国")
    b = make_resident(world.other, id_number=B_ID, name="刘建国")
    make_registration(world.home, id_number=A_ID, local_id="A-1")
    make_registration(
        world.other, id_number=A_ID, local_id="A-2", identifiers=[{"type": "medical_insurance", "value": "YB0001"}]
    )
    make_registration(
        world.home, id_number=B_ID, local_id="B-1", identifiers=[{"type": "health_card", "value": "JK0002"}]
    )
    return a, b


def test_merge_moves_identifiers_and_registrations_and_reversal_restores_exactly(api_world: Any) -> None:
    a, b = two_files(api_world)
    before = state()
    assert ResidentIdentifier.objects.filter(resident=b).count() == 2  # patient ID B-1, health card

    merge = resident_merge(survivor=a, merged=b, actor=None, reason="同一人两份档案")
    b.refresh_from_db()
    assert not b.is_active
    assert not ResidentIdentifier.objects.filter(resident=b).exists()
    assert not PatientRegistration.objects.filter(resident=b).exists()
    assert ResidentIdentifier.objects.filter(resident=a).count() == 6  # 3 + 2 moved + b's ID number
    extra = ResidentIdentifier.objects.get(resident=a, type="id_card")
    assert extra.value == B_ID and merge.snapshot["created_identifiers"] == [extra.pk]
    assert len(merge.snapshot["identifiers"]) == 2 and len(merge.snapshot["registrations"]) == 1
    # b's ID number now finds the survivor
    probe = clean_submission(institution_id=api_world.home.pk, data={"local_id": "N", "name": "x", "id_number": B_ID})
    assert find_match(probe).resident == a
    log = AuditLog.objects.get(object_type="registry.residentmerge", category="create")
    assert log.after["snapshot"] == merge.snapshot and "并入" in log.content
    assert B_ID not in str(log.after) and B_ID not in log.content
    deactivated = AuditLog.objects.get(object_type="registry.resident", object_id=str(b.pk), category="update")
    assert (deactivated.before["is_active"], deactivated.after["is_active"]) == (True, False)

    merge_reverse(merge=merge, actor=None)
    assert state() == before
    merge.refresh_from_db()
    assert merge.reversed_at is not None
    assert AuditLog.objects.filter(object_type="registry.residentmerge", category="update").count() == 1
    assert AuditLog.objects.filter(object_type="registry.residentidentifier", category="delete").count() == 1
    with pytest.raises(ConflictError) as exc:
        merge_reverse(merge=merge, actor=None)
    assert exc.value.error_code == "MERGE_ALREADY_REVERSED"


def test_reversal_refuses_when_a_moved_row_moved_again(api_world: Any) -> None:
    a, b = two_files(api_world)
    merge = resident_merge(survivor=a, merged=b, actor=None)
    moved = ResidentIdentifier.objects.get(pk=merge.snapshot["identifiers"][0])
    identifier_unlink(identifier=moved, actor=None, reason="误关联")
    with pytest.raises(ConflictError) as exc:
        merge_reverse(merge=merge, actor=None)
    assert exc.value.error_code == "MERGE_CHANGED"
    b.refresh_from_db()
    assert not b.is_active  # nothing half-done


def test_the_files_own_id_number_cannot_be_unlinked(api_world: Any) -> None:
    a, _ = two_files(api_world)
    own = ResidentIdentifier.objects.create(resident=a, type="id_card", value=A_ID)
    with pytest.raises(BusinessError) as exc:
        identifier_unlink(identifier=own, actor=None)
    assert exc.value.error_code == "IDENTIFIER_IS_FILE_NUMBER"


def test_merge_guards(api_world: Any) -> None:
    a, b = two_files(api_world)
    with pytest.raises(BusinessError):
        resident_merge(survivor=a, merged=a, actor=None)
    resident_merge(survivor=a, merged=b, actor=None)
    with pytest.raises(ConflictError):
        resident_merge(survivor=a, merged=b, actor=None)
    assert ResidentMerge.objects.count() == 1


def test_unlink_forbids_the_link_and_rematches_the_registration(api_world: Any) -> None:
    resident = make_resident(api_world.home, id_number=make_id_number(dt.date(1990, 1, 1), 5, sex="2"), name="周敏")
    reg = make_registration(api_world.home, local_id="U-1", name="周敏", sex="2", birth_date=dt.date(1990, 1, 1))
    assert (reg.outcome, reg.method, reg.resident_id) == ("match", "probabilistic", resident.pk)
    identifier = ResidentIdentifier.objects.get(resident=resident, type="patient_id")
    [again] = identifier_unlink(identifier=identifier, actor=None, reason="不是同一人")
    assert again.pk == reg.pk and again.resident_id != resident.pk and again.created_resident
    assert ManualLinkRule.objects.get(kind="never_link").resident_id == resident.pk
    assert ResidentIdentifier.objects.get(value_bidx=identifier.value_bidx).resident_id == again.resident_id
    assert make_registration(api_world.home, local_id="U-1", name="周敏", sex="2").resident_id == again.resident_id
    assert AuditLog.objects.filter(object_type="registry.residentidentifier", category="delete").count() == 1
