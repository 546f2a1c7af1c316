"""Writes of the resident registry (PLAT-02, SEC-02).

Every write normalises the ID number (15 → 18 digits, GB 11643 checksum), checks that sex and
birth date agree with it, refuses a second file for the same person (409, whichever institution
holds it — without saying which), stays inside the actor's data scope and leaves a 数据日志 row
whose before/after never carry the ID number, phone or address in plaintext.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from yigongti.core.audit.choices import Category, LogType
from yigongti.core.audit.services import AuditEntry, audit_model_change, audit_write, snapshot
from yigongti.core.errors import BusinessError, ConflictError
from yigongti.core.fields import blind_index_for
from yigongti.core.scope import apply_scope, model_scope
from yigongti.core.validators import id_number_birth_date, id_number_sex, normalize_id_number, validate_phone
from yigongti.platform.org.choices import Sex
from yigongti.platform.registry.models import ChronicDisease, Resident

PROJECT = "居民档案"
DUPLICATE_MESSAGE = "该身份证号已建档。"

# Plain fields a caller may set; sex and birth_date are derived from the ID number when absent.
EDITABLE = (
    "id_number", "name", "sex", "birth_date", "ethnicity", "marital_status", "phone", "address",
    "division_code", "home_institution", "family_doctor_team", "is_active",
)  # fmt: skip
_NOT_CLEANED = ["id_number_bidx", "phone_bidx", "mpi_name_key", "mpi_initials_key", "created_by", "updated_by"]
MPI_KEYS = ("mpi_name_key", "mpi_initials_key")


# -- normalisation --------------------------------------------------------------------------


def clean_id_number(value: Any) -> str:
    """The 18-character form of an ID number, or a ``ValidationError`` keyed on ``id_number``."""
    try:
        return normalize_id_number(str(value or ""))
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None


def clean_phone(value: Any) -> str:
    phone = str(value or "").strip().replace(" ", "")
    if not phone:
        return ""
    try:
        validate_phone(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None
    return phone


def _check_identity(resident: Resident, touched: set[str]) -> None:
    """Sex and birth date must match the ID number; missing ones are derived from it. A file
    without an ID number (created by the master patient index) must state both."""
    number = resident.id_number
    if not number:
        missing = {k: "无身份证号码时请填写该项。" for k in ("sex", "birth_date") if not getattr(resident, k)}
        if missing:
            raise ValidationError(missing)
        return
    derived_birth, derived_sex = id_number_birth_date(number), id_number_sex(number)
    errors: dict[str, str] = {}
    if "birth_date" in touched and resident.birth_date:
        if resident.birth_date != derived_birth:
            errors["birth_date"] = f"出生日期与身份证号码不一致（身份证号码中的出生日期为 {derived_birth:%Y-%m-%d}）。"
    elif "id_number" in touched or not resident.birth_date:
        resident.birth_date = derived_birth
    if "sex" in touched and resident.sex:
        if resident.sex != derived_sex:
            errors["sex"] = f"性别与身份证号码不一致（身份证号码第 17 位表示{Sex(derived_sex).label}）。"
    elif "id_number" in touched or not resident.sex:
        resident.sex = derived_sex
    if errors:
        raise ValidationError(errors)


def _apply(resident: Resident, data: Mapping[str, Any]) -> set[str]:
    touched = {key for key in EDITABLE if key in data}
    for key in touched:
        setattr(resident, key, data[key])
    if "birth_date" in touched and resident.birth_date:
        try:
            resident.birth_date = Resident._meta.get_field("birth_date").to_python(resident.birth_date)
        except ValidationError as exc:
            raise ValidationError({"birth_date": exc.messages}) from None
    if "id_number" in touched and resident.id_number:
        resident.id_number = clean_id_number(resident.id_number)
    if "phone" in touched:
        resident.phone = clean_phone(resident.phone)
    for key in ("name", "address"):
        if key in touched:
            setattr(resident, key, str(getattr(resident, key) or "").strip())
    if touched & {"id_number", "sex", "birth_date"} or resident.pk is None:
        _check_identity(resident, touched)
    team = resident.family_doctor_team
    if team is not None and team.institution_id != resident.home_institution_id:
        raise ValidationError({"family_doctor_team": "家庭医生团队必须属于建档机构。"})
    return touched


# -- audit ----------------------------------------------------------------------------------


def resident_snapshot(resident: Resident, diseases: Iterable[ChronicDisease] | None = None) -> dict[str, Any]:
    """Before/after for the audit log: masked sensitive values, no blind indexes, diseases by code."""
    data = snapshot(resident)  # encrypted fields come out with each field's own mask
    for key in MPI_KEYS:  # derived from the name; not part of the file
        data.pop(key, None)
    if resident.pk is not None:
        rows = diseases if diseases is not None else resident.chronic_diseases.all()
        data["chronic_diseases"] = sorted(d.code for d in rows)
    return data


def _audit(category: str, resident: Resident, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    audit_model_change(category=category, instance=resident, before=before, after=after, project=PROJECT)


# -- guards ---------------------------------------------------------------------------------


def _ensure_unique(resident: Resident) -> None:
    if not resident.id_number:
        return
    index = blind_index_for(Resident, "id_number_bidx", resident.id_number)
    clash = Resident.objects.filter(id_number_bidx=index)
    if resident.pk is not None:
        clash = clash.exclude(pk=resident.pk)
    if clash.exists():
        raise ConflictError("RESIDENT_DUPLICATE", DUPLICATE_MESSAGE, fields={"id_number": [DUPLICATE_MESSAGE]})


def _ensure_in_scope(resident: Resident, actor: Any) -> None:
    if actor is None:
        return  # system jobs (imports from HIS, the demo generator) act without a data scope
    visible = apply_scope(
        Resident.objects.filter(pk=resident.pk), model_scope(Resident), actor.scope_context(), for_write=True
    )
    if not visible.exists():
        raise BusinessError("OUT_OF_SCOPE", "无权在该机构下保存居民档案（超出您的数据权限）。", status_code=403)


def _save(resident: Resident, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            resident.save(**kwargs)
    except IntegrityError:
        # Lost a race with a concurrent registration of the same person (unique blind index).
        if Resident.objects.filter(id_number_bidx=resident.id_number_bidx).exclude(pk=resident.pk).exists():
            raise ConflictError(
                "RESIDENT_DUPLICATE", DUPLICATE_MESSAGE, fields={"id_number": [DUPLICATE_MESSAGE]}
            ) from None
        raise


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


# -- services -------------------------------------------------------------------------------


@transaction.atomic
def resident_create(
    *, data: Mapping[str, Any], actor: Any, require_id_number: bool = True, check_scope: bool = True
) -> Resident:
    """Register a resident. ``data`` holds model values (institution/team instances,
    ``chronic_diseases`` as ChronicDisease rows); ``actor`` is the user, or None for system jobs.

    The master patient index creates files for patients registered elsewhere: without an ID
    number when none was given (``require_id_number=False``: sex and birth date are then required)
    and in the registering institution whatever the clerk's own data scope (``check_scope=False``)."""
    if require_id_number and not data.get("id_number"):
        raise ValidationError({"id_number": ["请填写身份证号码。"]})
    resident = Resident()
    _apply(resident, data)
    resident.created_by = resident.updated_by = _user(actor)
    resident.full_clean(exclude=_NOT_CLEANED, validate_constraints=False)
    _ensure_unique(resident)
    _save(resident, force_insert=True)
    diseases = list(data.get("chronic_diseases") or [])
    resident.chronic_diseases.set(diseases)
    if check_scope:
        _ensure_in_scope(resident, actor)
    _audit(Category.CREATE, resident, None, resident_snapshot(resident, diseases))
    return resident


@transaction.atomic
def resident_update(*, resident: Resident, data: Mapping[str, Any], actor: Any) -> Resident:
    """Change a resident's file; the ID number, sex and birth date are re-checked together."""
    locked = Resident.objects.select_for_update().get(pk=resident.pk)
    before = resident_snapshot(locked)
    touched = _apply(locked, data)
    locked.updated_by = _user(actor)
    locked.full_clean(exclude=_NOT_CLEANED, validate_constraints=False)
    if "id_number" in touched:
        _ensure_unique(locked)
    fields = {*touched, "sex", "birth_date", "updated_by", "updated_at", *MPI_KEYS}
    if "id_number" in touched:
        fields.add("id_number_bidx")
    if "phone" in touched:
        fields.add("phone_bidx")
    _save(locked, update_fields=sorted(fields))
    diseases = None
    if "chronic_diseases" in data:
        diseases = list(data["chronic_diseases"] or [])
        locked.chronic_diseases.set(diseases)
    _ensure_in_scope(locked, actor)
    _audit(Category.UPDATE, locked, before, resident_snapshot(locked, diseases))
    return locked


@transaction.atomic
def resident_delete(*, resident: Resident, actor: Any) -> None:
    before = resident_snapshot(resident)
    pk = resident.pk
    resident.delete()
    resident.pk = pk
    _audit(Category.DELETE, resident, before, None)


def import_failed(errors: dict[str, Any]) -> BusinessError:
    return BusinessError(
        "IMPORT_INVALID", f"共 {len(errors)} 行数据有误，未导入任何数据，请修改后重新上传。", fields=errors
    )


@transaction.atomic
def resident_import(*, rows: Sequence[tuple[int, Mapping[str, Any]]], actor: Any) -> list[Resident]:
    """Create every row or none of them (Excel import); errors are reported per Excel row."""
    created, errors = [], {}
    for number, data in rows:
        try:
            with transaction.atomic():
                created.append(resident_create(data=data, actor=actor))
        except ValidationError as exc:
            errors[f"第{number}行"] = (
                exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
            )
        except ConflictError as exc:
            errors[f"第{number}行"] = exc.fields or {"non_field_errors": [exc.message]}
    if errors:
        raise import_failed(errors)
    return created


def resident_reveal(*, resident: Resident, actor: Any) -> dict[str, str]:
    """The full ID number, phone and address; every call leaves a 业务日志 row naming the resident.

    The caller has already checked the 查看敏感信息 permission and the data scope."""
    audit_write(
        AuditEntry(
            log_type=LogType.BUSINESS,
            category=Category.REVEAL,
            action="registry.resident.reveal",
            project=PROJECT,
            object_type="registry.resident",
            object_id=str(resident.pk),
            object_repr=resident.name,
            content=f"查看居民敏感信息：{resident.name}（档案 {resident.pk}）的身份证号、联系电话、现住址",
        )
    )
    return {"id_number": resident.id_number, "phone": resident.phone or "", "address": resident.address or ""}
