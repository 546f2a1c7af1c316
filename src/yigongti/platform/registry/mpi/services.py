"""Writes of the master patient index: registrations and review decisions (PLAT-02).

``registration_submit`` is the one entry point for the API and for the HL7 v2 ADT handler of the
integration app (``source="hl7"``, ``external_ref`` = MSH-10). A MATCH links the registration to
the resident and attaches the submitted identifiers to it; a POSSIBLE_MATCH creates no resident —
the registration waits in the review queue until an administrator links it to a candidate or
rejects them all (then a new file is created); a NO_MATCH creates the resident through
``resident_create``. Every write leaves a 数据日志 row in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from yigongti.core.audit.choices import Category
from yigongti.core.audit.services import audit_model_change, snapshot
from yigongti.core.errors import ConflictError
from yigongti.core.fields import blind_index_for
from yigongti.core.masking import mask_all_but_last4
from yigongti.core.validators import id_number_birth_date, id_number_sex
from yigongti.platform.org.choices import Sex
from yigongti.platform.registry.models import (
    ManualLinkRule,
    MatchCandidate,
    PatientRegistration,
    Resident,
    ResidentIdentifier,
)
from yigongti.platform.registry.mpi import config
from yigongti.platform.registry.mpi.choices import (
    LOCAL_TYPES,
    CandidateStatus,
    IdentifierType,
    Method,
    Outcome,
    RegistrationStatus,
    RuleKind,
)
from yigongti.platform.registry.mpi.matching import (
    IdentifierKey,
    MatchResult,
    Submission,
    find_match,
    identifier_q,
    resolve_merged,
)
from yigongti.platform.registry.services import clean_id_number, clean_phone, resident_create
from yigongti.platform.registry.validators import validate_township_division

PROJECT = "居民主索引"


def acting_user(actor: Any) -> Any:
    """The user to record as creator/reviewer: None for system jobs."""
    return actor if getattr(actor, "is_authenticated", False) else None


def audit(
    category: str, instance: Any, before: dict[str, Any] | None, after: dict[str, Any] | None, content: str = ""
) -> None:
    audit_model_change(
        category=category, instance=instance, before=before, after=after, project=PROJECT, content=content
    )


# -- input ------------------------------------------------------------------------------------
def identifier_key(kind: str, value: str, issuer: Any = None, *, default_issuer: Any = None) -> IdentifierKey:
    """A normalised identifier: ID numbers in 18-digit form; institution-local numbers carry their
    issuer (the registering institution unless stated), national ones none."""
    value = str(value or "").strip()
    if kind not in IdentifierType.values or not value:
        raise ValidationError({"identifiers": ["证件类型或号码无效。"]})
    if kind == IdentifierType.ID_CARD:
        value = clean_id_number(value)
    issuer_id = getattr(issuer, "pk", issuer) or getattr(default_issuer, "pk", default_issuer)
    return IdentifierKey(kind, issuer_id if kind in LOCAL_TYPES else None, value)


def _clean_identifiers(institution_id: int, items: Any) -> tuple[IdentifierKey, ...]:
    keys, errors = [], []
    for n, item in enumerate(items or [], start=1):
        try:
            keys.append(
                identifier_key(item.get("type"), item.get("value"), item.get("issuer"), default_issuer=institution_id)
            )
        except ValidationError:
            errors.append(f"第 {n} 个证件的类型或号码无效。")
    if errors:
        raise ValidationError({"identifiers": errors})
    return tuple(keys)


def _mobile_or_as_is(value: Any) -> str:
    """HIS systems send mobiles as ``138-0000-1111`` or ``138 0000 1111``: keep the digits."""
    text = str(value or "").strip()
    digits = text.replace("-", "").replace(" ", "")
    return digits if len(digits) == 11 and digits.startswith("1") and digits.isdigit() else text


def clean_submission(*, institution_id: int, data: Mapping[str, Any]) -> Submission:
    """Validate and normalise what an institution sent (Chinese messages, nothing written)."""
    errors: dict[str, list[str]] = {}
    name = str(data.get("name") or "").strip()
    local_id = str(data.get("local_id") or "").strip()
    if not name:
        errors["name"] = ["请填写姓名。"]
    if not local_id:
        errors["local_id"] = ["请填写院内患者ID。"]
    id_number = clean_id_number(data["id_number"]) if data.get("id_number") else ""
    sex = str(data.get("sex") or "")
    raw_birth = data.get("birth_date")
    birth: dt.date | None = raw_birth if isinstance(raw_birth, dt.date) else None
    if isinstance(raw_birth, str) and raw_birth:
        try:
            birth = dt.date.fromisoformat(raw_birth)
        except ValueError:
            errors["birth_date"] = ["出生日期格式应为 YYYY-MM-DD。"]
    if id_number:
        derived_birth, derived_sex = id_number_birth_date(id_number), id_number_sex(id_number)
        if birth and birth != derived_birth:
            errors["birth_date"] = [
                f"出生日期与身份证号码不一致（身份证号码中的出生日期为 {derived_birth:%Y-%m-%d}）。"
            ]
        if sex in ("1", "2") and sex != derived_sex:
            errors["sex"] = [f"性别与身份证号码不一致（身份证号码第 17 位表示{Sex(derived_sex).label}）。"]
        birth, sex = birth or derived_birth, sex if sex in ("1", "2") else derived_sex
    else:
        if not birth:
            errors.setdefault("birth_date", ["无身份证号码时请填写出生日期。"])
        if not sex:
            errors["sex"] = ["无身份证号码时请填写性别。"]
    division = str(data.get("division_code") or "").strip()
    try:
        validate_township_division(division)
    except ValidationError as exc:
        errors["division_code"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return Submission(
        institution_id=institution_id,
        local_id=local_id,
        name=name,
        sex=sex,
        birth_date=birth,
        id_number=id_number,
        phone=clean_phone(_mobile_or_as_is(data.get("phone"))),
        address=str(data.get("address") or "").strip(),
        division_code=division,
        identifiers=_clean_identifiers(institution_id, data.get("identifiers")),
    )


def submission_of(registration: PatientRegistration) -> Submission:
    """The submission a stored registration was made from (decrypted in memory)."""
    items = json.loads(registration.identifiers) if registration.identifiers else []
    return Submission(
        institution_id=registration.institution_id,
        local_id=registration.local_id,
        name=registration.name,
        sex=registration.sex,
        birth_date=registration.birth_date,
        id_number=registration.id_number or "",
        phone=registration.phone or "",
        address=registration.address or "",
        division_code=registration.division_code,
        identifiers=tuple(IdentifierKey(i["type"], i.get("issuer"), i["value"]) for i in items),
    )


# -- linking ----------------------------------------------------------------------------------
def attach_identifier(
    resident: Resident, key: IdentifierKey, registration: PatientRegistration | None, actor: Any
) -> ResidentIdentifier | None:
    """Give ``resident`` the identifier unless it already has it; an identifier held by another
    resident stays there (an administrator resolves that with unlink or merge)."""
    if key.type == IdentifierType.ID_CARD and resident.id_number == key.value:
        return None
    existing = ResidentIdentifier.objects.filter(identifier_q([key])).first()
    if existing is not None:
        return existing if existing.resident_id == resident.pk else None
    identifier = ResidentIdentifier(
        resident=resident, type=key.type, issuer_id=key.issuer_id, value=key.value, registration=registration
    )
    identifier.created_by = identifier.updated_by = acting_user(actor)
    try:
        with transaction.atomic():
            identifier.save(force_insert=True)
    except IntegrityError:  # attached concurrently by another registration
        return ResidentIdentifier.objects.filter(identifier_q([key]), resident=resident).first()
    audit(Category.CREATE, identifier, None, snapshot(identifier))
    return identifier


def link_registration(
    registration: PatientRegistration, resident: Resident, *, method: str, submission: Submission, actor: Any
) -> None:
    registration.resident = resident
    registration.status = RegistrationStatus.LINKED
    registration.method = method
    for key in submission.identifier_keys():
        attach_identifier(resident, key, registration, actor)


def create_resident_for(submission: Submission, actor: Any) -> Resident:
    """The new file of a NO_MATCH (or of a registration whose candidates were all rejected)."""
    from yigongti.platform.org.models import Institution

    id_number = submission.id_number
    index = blind_index_for(Resident, "id_number_bidx", id_number) if id_number else ""
    if index and Resident.objects.filter(id_number_bidx=index).exists():
        # The number belongs to a file this patient must not be linked to (a never-link rule, or a
        # deactivated file): the new file goes without it; the registration keeps the number.
        id_number = ""
    data = {
        "id_number": id_number,
        "name": submission.name,
        "sex": submission.sex,
        "birth_date": submission.birth_date,
        "phone": submission.phone,
        "address": submission.address,
        "division_code": submission.division_code,
        "home_institution": Institution.objects.get(pk=submission.institution_id),
    }
    return resident_create(data=data, actor=actor, require_id_number=False, check_scope=False)


def propose(registration: PatientRegistration, result: MatchResult) -> list[MatchCandidate]:
    """Queue the candidates a reviewer should see (best first)."""
    assert result.decision is not None
    rows = []
    for rank, (pair, probability) in enumerate(result.decision.review[: config.review_candidates()], start=1):
        candidate, _ = MatchCandidate.objects.update_or_create(
            registration=registration,
            resident_id=pair.ref,
            defaults={
                "rank": rank,
                "score": round(pair.score, 3),
                "probability": probability,
                "details": pair.details(),
                "status": CandidateStatus.PENDING,
                "reviewer": None,
                "decided_at": None,
            },
        )
        rows.append(candidate)
    return rows


def apply_result(registration: PatientRegistration, submission: Submission, result: MatchResult, actor: Any) -> None:
    """Carry out the matcher's verdict on a saved registration (does not save it)."""
    registration.outcome = result.outcome
    registration.method = result.method
    registration.score = round(result.score, 3) if result.score is not None else None
    registration.probability = result.probability
    if result.outcome == Outcome.MATCH and result.resident is not None:
        link_registration(registration, result.resident, method=result.method, submission=submission, actor=actor)
    elif result.outcome == Outcome.POSSIBLE_MATCH:
        registration.resident, registration.status = None, RegistrationStatus.PENDING
        propose(registration, result)
    else:
        resident = create_resident_for(submission, actor)
        registration.created_resident = True
        link_registration(registration, resident, method=Method.NEW_RESIDENT, submission=submission, actor=actor)


# -- services ---------------------------------------------------------------------------------
@transaction.atomic
def registration_submit(
    *, institution: Any, data: Mapping[str, Any], actor: Any, source: str = "api", external_ref: str = ""
) -> PatientRegistration:
    """An institution registers a patient (API or HL7 ADT): match, then link, queue or create."""
    institution_id = getattr(institution, "pk", institution)
    submission = clean_submission(institution_id=institution_id, data=data)
    result = find_match(submission)
    items = [{"type": k.type, "issuer": k.issuer_id, "value": k.value} for k in submission.identifiers]
    registration = PatientRegistration(
        institution_id=institution_id,
        local_id=submission.local_id,
        source=source,
        external_ref=external_ref[:100],
        name=submission.name,
        sex=submission.sex,
        birth_date=submission.birth_date,
        id_number=submission.id_number,
        phone=submission.phone,
        address=submission.address,
        division_code=submission.division_code,
        identifiers=json.dumps(items, ensure_ascii=False) if items else "",
        outcome=result.outcome,
        method=result.method,
        status=RegistrationStatus.PENDING,
    )
    registration.created_by = registration.updated_by = acting_user(actor)
    registration.save(force_insert=True)
    apply_result(registration, submission, result, actor)
    registration.save()
    audit(Category.CREATE, registration, None, registration_snapshot(registration))
    return registration


def registration_snapshot(registration: PatientRegistration) -> dict[str, Any]:
    data = snapshot(registration)
    data["identifiers"] = "已填写" if registration.identifiers else ""  # never the numbers
    return data


def _lock_candidate(candidate: MatchCandidate) -> tuple[MatchCandidate, PatientRegistration]:
    registration = PatientRegistration.objects.select_for_update().get(pk=candidate.registration_id)
    locked = MatchCandidate.objects.select_for_update().select_related("resident").get(pk=candidate.pk)
    if locked.status != CandidateStatus.PENDING or registration.status != RegistrationStatus.PENDING:
        raise ConflictError("MPI_ALREADY_DECIDED", "该审核项已处理，请刷新后查看。")
    return locked, registration


def _decide(candidate: MatchCandidate, status: str, actor: Any, now: dt.datetime) -> None:
    before = snapshot(candidate)
    candidate.status, candidate.reviewer, candidate.decided_at = status, acting_user(actor), now
    candidate.save(update_fields=["status", "reviewer", "decided_at", "updated_at"])
    audit(Category.UPDATE, candidate, before, snapshot(candidate))


def rule_for_registration(
    registration: PatientRegistration, resident: Resident, kind: str, actor: Any, reason: str
) -> ManualLinkRule:
    key = IdentifierKey(IdentifierType.PATIENT_ID, registration.institution_id, registration.local_id)
    return link_rule_create(
        kind=kind,
        key=key,
        resident=resident,
        actor=actor,
        reason=reason,
        registration=registration,
    )


def link_rule_create(
    *,
    kind: str,
    key: IdentifierKey,
    resident: Resident,
    actor: Any,
    reason: str = "",
    registration: PatientRegistration | None = None,
) -> ManualLinkRule:
    """A manual rule that wins over the algorithm; an opposite active rule for the same identifier
    and resident is revoked."""
    now = timezone.now()
    for old in ManualLinkRule.objects.filter(
        identifier_type=key.type, issuer_id=key.issuer_id, value_bidx=key.bidx, resident=resident, is_active=True
    ).select_for_update():
        before = snapshot(old)
        old.is_active, old.revoked_at, old.updated_by = False, now, acting_user(actor)
        old.save(update_fields=["is_active", "revoked_at", "updated_by", "updated_at"])
        audit(Category.UPDATE, old, before, snapshot(old))
    rule = ManualLinkRule(
        kind=kind,
        identifier_type=key.type,
        issuer_id=key.issuer_id,
        value_bidx=key.bidx,
        value_hint=mask_all_but_last4(key.value) or "",
        resident=resident,
        registration=registration,
        reason=reason[:200],
    )
    rule.created_by = rule.updated_by = acting_user(actor)
    rule.save(force_insert=True)
    audit(Category.CREATE, rule, None, snapshot(rule))
    return rule


@transaction.atomic
def review_link(*, candidate: MatchCandidate, actor: Any) -> PatientRegistration:
    """The reviewer confirms the candidate: link, close the other candidates, remember the rule."""
    candidate, registration = _lock_candidate(candidate)
    resident = resolve_merged(candidate.resident)
    if resident is None:
        raise ConflictError("MPI_RESIDENT_INACTIVE", "候选居民档案已停用，无法关联。")
    now, before = timezone.now(), registration_snapshot(registration)
    _decide(candidate, CandidateStatus.LINKED, actor, now)
    for other in registration.candidates.filter(status=CandidateStatus.PENDING).exclude(pk=candidate.pk):
        _decide(other, CandidateStatus.REJECTED, actor, now)
    rule_for_registration(registration, resident, RuleKind.FORCE_LINK, actor, "审核确认关联")
    link_registration(registration, resident, method=Method.REVIEW, submission=submission_of(registration), actor=actor)
    registration.decided_by, registration.decided_at, registration.updated_by = (
        acting_user(actor),
        now,
        acting_user(actor),
    )
    registration.save()
    audit(
        Category.UPDATE, registration, before, registration_snapshot(registration), f"审核关联患者登记：{registration}"
    )
    return registration


@transaction.atomic
def review_reject(*, candidate: MatchCandidate, actor: Any) -> PatientRegistration:
    """The reviewer rules the candidate out; when none is left, the patient gets a new file."""
    candidate, registration = _lock_candidate(candidate)
    now, before = timezone.now(), registration_snapshot(registration)
    _decide(candidate, CandidateStatus.REJECTED, actor, now)
    rule_for_registration(registration, candidate.resident, RuleKind.NEVER_LINK, actor, "审核排除")
    if not registration.candidates.filter(status=CandidateStatus.PENDING).exists():
        submission = submission_of(registration)
        resident = create_resident_for(submission, actor)
        registration.created_resident = True
        link_registration(registration, resident, method=Method.REVIEW, submission=submission, actor=actor)
        registration.decided_by, registration.decided_at = acting_user(actor), now
    registration.updated_by = acting_user(actor)
    registration.save()
    audit(
        Category.UPDATE, registration, before, registration_snapshot(registration), f"审核排除候选居民：{registration}"
    )
    return registration
