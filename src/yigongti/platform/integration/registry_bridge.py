"""The one place where integration writes residents (HL7 ADT, regional sync).

Registrations (ADT^A04) go through the master patient index (``registration_submit``: match by
ID number, identifiers or probabilistically; link, queue for review or create the file), merges
(ADT^A40) through its ``resident_merge``; updates (ADT^A08) and the regional sync through the
registry's ``resident_create``/``resident_update`` (normalisation, duplicates, data scope, masked
audit). A file is changed only by the institution that keeps it (its 建档机构).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from yigongti.platform.org.models import Institution
from yigongti.platform.registry import services as registry
from yigongti.platform.registry.models import Resident, ResidentIdentifier
from yigongti.platform.registry.mpi.choices import IdentifierType, Source
from yigongti.platform.registry.mpi.matching import IdentifierKey, identifier_q, resolve_merged
from yigongti.platform.registry.mpi.merge import resident_merge
from yigongti.platform.registry.mpi.services import registration_submit
from yigongti.platform.registry.selectors import id_number_index


class BridgeError(Exception):
    def __init__(self, code: str, text: str) -> None:
        super().__init__(text)
        self.code = code
        self.text = text


class PatientNotFound(BridgeError):
    pass


class OutOfScope(BridgeError):
    pass


@dataclass(frozen=True)
class Outcome:
    resident: Resident | None
    action: str  # created | linked | pending_review | updated | unchanged | merged
    registration_id: int | None = None


@dataclass(frozen=True)
class PatientKeys:
    """How a message names a patient: the institution's own numbers and the ID number."""

    local: tuple[str, ...] = ()  # 院内患者ID / 病案号 (HL7 PID-3 typed PI or MR)
    id_number: str = ""


def find(keys: PatientKeys, institution: Institution) -> Resident | None:
    """The (active) resident these keys name, searched across institutions."""
    lookups = [
        IdentifierKey(kind, institution.pk, value)
        for value in dict.fromkeys(v for v in keys.local if v)
        for kind in (IdentifierType.PATIENT_ID, IdentifierType.MRN)
    ]
    found = (
        ResidentIdentifier.objects.filter(identifier_q(lookups)).select_related("resident").first() if lookups else None
    )
    resident = found.resident if found is not None else None
    if resident is None and keys.id_number:
        resident = Resident.objects.filter(id_number_bidx=id_number_index(keys.id_number)).first()
    resident = resolve_merged(resident)
    return Resident.objects.select_for_update().get(pk=resident.pk) if resident is not None else None


def _changes(resident: Resident, data: dict[str, Any]) -> dict[str, Any]:
    changes = {k: v for k, v in data.items() if k != "id_number" and getattr(resident, k, None) != v}
    if data.get("id_number") and not resident.id_number:
        changes["id_number"] = data["id_number"]  # a file first registered without one
    return changes


def _update(resident: Resident, data: dict[str, Any], actor: Any) -> Outcome:
    changes = _changes(resident, data)
    if not changes:
        return Outcome(resident, "unchanged")
    return Outcome(registry.resident_update(resident=resident, data=changes, actor=actor), "updated")


def register(*, submission: dict[str, Any], institution: Institution, actor: Any, external_ref: str) -> Outcome:
    """ADT^A04: a registration at ``institution`` through the master patient index."""
    registration = registration_submit(
        institution=institution, data=submission, actor=actor, source=Source.HL7, external_ref=external_ref
    )
    if registration.resident is None:
        return Outcome(None, "pending_review", registration.pk)
    action = "created" if registration.created_resident else "linked"
    return Outcome(registration.resident, action, registration.pk)


def update(*, keys: PatientKeys, data: dict[str, Any], institution: Institution, actor: Any) -> Outcome:
    """ADT^A08: update the file, if this institution keeps it."""
    resident = find(keys, institution)
    if resident is None:
        raise PatientNotFound("HL7_PATIENT_NOT_FOUND", "未找到该患者的居民档案，请先发送登记消息（ADT^A04）。")
    if resident.home_institution_id != institution.pk:
        raise OutOfScope("HL7_OUT_OF_SCOPE", "该居民档案由其他机构维护，本机构不能修改。")
    return _update(resident, data, actor)


def merge(*, keys: PatientKeys, prior: PatientKeys, institution: Institution, actor: Any, reason: str) -> Outcome:
    """ADT^A40: the prior patient (MRG) is merged into the surviving one (PID)."""
    survivor = find(keys, institution)
    merged = find(prior, institution)
    if survivor is None:
        raise PatientNotFound("HL7_PATIENT_NOT_FOUND", "未找到保留的患者（PID-3）。")
    if merged is None:
        raise PatientNotFound("HL7_PATIENT_NOT_FOUND", "未找到被合并的患者（MRG-1）。")
    if survivor.pk == merged.pk:
        return Outcome(survivor, "unchanged")
    if survivor.home_institution_id != institution.pk or merged.home_institution_id != institution.pk:
        raise OutOfScope("HL7_OUT_OF_SCOPE", "合并涉及其他机构维护的居民档案，请在主索引中由管理员人工合并。")
    resident_merge(survivor=survivor, merged=merged, actor=actor, reason=reason)
    return Outcome(survivor, "merged")


def upsert_from_platform(*, data: dict[str, Any], institution: Institution) -> Outcome:
    """Regional sync (a system job): create at ``institution`` or update the demographics of the
    existing file wherever it is kept; the keeping institution never changes here."""
    existing = Resident.objects.select_for_update().filter(id_number_bidx=id_number_index(data["id_number"])).first()
    if existing is None:
        return Outcome(registry.resident_create(data=data | {"home_institution": institution}, actor=None), "created")
    return _update(existing, data, None)
