"""Search and read of the FHIR facade, always inside the requesting user's data scope.

Supported parameters (anything else is refused with 400, so a misspelt filter never returns
everything): ``_id``, ``identifier`` (token ``system|value``, ``|value`` or ``value``; commas = OR)
and ``name`` (contains) on every type; ``birthdate`` on Patient; ``type`` (prov|dept) and
``partof`` on Organization; ``practitioner``, ``organization`` and ``practitioner.name`` on
PractitionerRole. Paging: ``_count`` (1–100, default 20) and ``_offset``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet

from yigongti.core.fields import blind_index_for
from yigongti.core.scope import ScopeContext, apply_scope, model_scope
from yigongti.platform.integration.fhir import mapping, systems
from yigongti.platform.org.models import Department, Institution, Staff
from yigongti.platform.registry.models import Resident, ResidentIdentifier
from yigongti.platform.registry.mpi.choices import IdentifierType
from yigongti.platform.registry.selectors import id_number_index, visible_residents

COMMON_PARAMS = {"_count", "_offset", "_format"}
LOCAL_NUMBER_TYPES = (IdentifierType.MRN, IdentifierType.PATIENT_ID)
MAX_COUNT = 100


class SearchError(Exception):
    """A bad search request (400 OperationOutcome)."""


def tokens(value: str) -> list[tuple[str | None, str]]:
    """``system|code`` pairs of a token parameter; ``None`` system = any system."""
    pairs: list[tuple[str | None, str]] = []
    for item in value.split(","):
        item = item.strip()
        if not item:
            continue
        if "|" in item:
            system, _, code = item.partition("|")
            pairs.append((system.strip(), code.strip()))
        else:
            pairs.append((None, item))
    return pairs


def _pk(value: str, prefix: str = "") -> int | None:
    text = value.strip()
    if prefix:
        if not text.startswith(prefix):
            return None
        text = text[len(prefix) :]
    return int(text) if text.isdigit() else None


def _reference_id(value: str, resource: str) -> str:
    text = value.strip()
    return text.split("/", 1)[1] if text.startswith(f"{resource}/") else text


def _match(system: str | None, wanted: str) -> bool:
    return system is None or system == wanted


def _none() -> Q:
    return Q(pk__in=[])


# -- Patient ------------------------------------------------------------------------------------


def _local_numbers(code: str, ctx: ScopeContext) -> Q:
    """Residents holding this 病案号/院内患者ID issued by an institution in the caller's scope."""
    rows = ResidentIdentifier.objects.filter(
        type__in=LOCAL_NUMBER_TYPES, value_bidx=blind_index_for(ResidentIdentifier, "value_bidx", code)
    )
    if not ctx.all:
        rows = rows.filter(issuer_id__in=sorted(ctx.institution_ids))
    return Q(pk__in=rows.values("resident_id"))


def _patient_identifier(value: str, ctx: ScopeContext) -> Q:
    q = _none()
    for system, code in tokens(value):
        if _match(system, systems.MRN) and code:
            q |= _local_numbers(code, ctx)
        if _match(system, systems.ID_CARD):
            with contextlib.suppress(ValidationError):
                q |= Q(id_number_bidx=id_number_index(code))
        if _match(system, systems.RESIDENT) and _pk(code) is not None:
            q |= Q(pk=_pk(code))
    return q


def _birthdate(value: str) -> Q:
    try:
        return Q(birth_date=dt.date.fromisoformat(value.strip()[:10]))
    except ValueError:
        raise SearchError(f"birthdate 格式错误（{value}），应为 YYYY-MM-DD。") from None


def local_numbers_prefetch(ctx: ScopeContext) -> Prefetch:
    """The 病案号/院内患者ID a Patient shows: those issued by institutions in the caller's scope."""
    rows = ResidentIdentifier.objects.filter(type__in=LOCAL_NUMBER_TYPES).select_related("issuer").order_by("pk")
    if not ctx.all:
        rows = rows.filter(issuer_id__in=sorted(ctx.institution_ids))
    return Prefetch("identifiers", queryset=rows, to_attr="local_numbers")


def patient_queryset(user: Any, params: dict[str, str]) -> QuerySet[Resident]:
    qs = visible_residents(user=user).prefetch_related(local_numbers_prefetch(user.scope_context()))
    if "_id" in params:
        qs = qs.filter(pk=_pk(params["_id"]) or 0)
    if "identifier" in params:
        qs = qs.filter(_patient_identifier(params["identifier"], user.scope_context()))
    if "name" in params:
        qs = qs.filter(name__icontains=params["name"].strip())
    if "birthdate" in params:
        qs = qs.filter(_birthdate(params["birthdate"]))
    return qs.order_by("pk")


# -- Organization (institutions and departments) ------------------------------------------------


def _institution_identifier(value: str) -> Q:
    q = _none()
    for system, code in tokens(value):
        if _match(system, systems.USCC):
            q |= Q(uscc=code.upper())
        if _match(system, systems.INSTITUTION_CODE):
            q |= Q(code=code)
        if _match(system, systems.INSTITUTION_ID) and _pk(code) is not None:
            q |= Q(pk=_pk(code))
    return q


def _department_identifier(value: str) -> Q:
    q = _none()
    for system, code in tokens(value):
        if _match(system, systems.DEPARTMENT_CODE):
            q |= Q(code=code)
        if _match(system, systems.DEPARTMENT_ID) and _pk(code) is not None:
            q |= Q(pk=_pk(code))
    return q


def organization_querysets(
    user: Any, params: dict[str, str]
) -> tuple[QuerySet[Institution] | None, QuerySet[Department] | None]:
    ctx = user.scope_context()
    institutions: QuerySet[Institution] | None = apply_scope(
        Institution.objects.all(), model_scope(Institution), ctx
    ).order_by("pk")
    departments: QuerySet[Department] | None = None
    if user.has_code("org.department.view"):
        departments = apply_scope(
            Department.objects.select_related("institution"), model_scope(Department), ctx
        ).order_by("pk")
    kind = params.get("type", "").split("|")[-1].strip()
    if kind and kind not in {"prov", "dept"}:
        raise SearchError("type 只支持 prov（机构）或 dept（科室）。")
    if kind == "dept":
        institutions = None
    if kind == "prov":
        departments = None
    filters: list[tuple[Q, Q]] = []  # (on institutions, on departments)
    if "_id" in params:
        raw = params["_id"].strip()
        filters.append((Q(pk=_pk(raw) or 0), Q(pk=_pk(raw, mapping.DEPARTMENT_PREFIX) or 0)))
    if "identifier" in params:
        value = params["identifier"]
        filters.append((_institution_identifier(value), _department_identifier(value)))
    if "name" in params:
        name = params["name"].strip()
        filters.append((Q(name__icontains=name) | Q(short_name__icontains=name), Q(name__icontains=name)))
    if "partof" in params:
        parent = _pk(_reference_id(params["partof"], "Organization")) or 0
        filters.append((Q(parent_id=parent), Q(institution_id=parent)))
    for on_institutions, on_departments in filters:
        institutions = institutions.filter(on_institutions) if institutions is not None else None
        departments = departments.filter(on_departments) if departments is not None else None
    return institutions, departments


# -- Practitioner / PractitionerRole ------------------------------------------------------------


def _staff_identifier(value: str) -> Q:
    q = _none()
    for system, code in tokens(value):
        if _match(system, systems.STAFF):
            q |= Q(code=code)
        if _match(system, systems.STAFF_ID) and _pk(code) is not None:
            q |= Q(pk=_pk(code))
        if _match(system, systems.PRACTISING_CERT):
            q |= Q(practising_cert_no=code)
    return q


def staff_queryset(user: Any, params: dict[str, str], *, role: bool = False) -> QuerySet[Staff]:
    qs = apply_scope(
        Staff.objects.select_related("institution", "department", "title", "post"),
        model_scope(Staff),
        user.scope_context(),
    )
    if "_id" in params:
        qs = qs.filter(pk=_pk(params["_id"]) or 0)
    if "identifier" in params:
        qs = qs.filter(_staff_identifier(params["identifier"]))
    name = params.get("practitioner.name" if role else "name", "").strip()
    if name:
        qs = qs.filter(name__icontains=name)
    if role and "practitioner" in params:
        qs = qs.filter(pk=_pk(_reference_id(params["practitioner"], "Practitioner")) or 0)
    if role and "organization" in params:
        ref = _reference_id(params["organization"], "Organization")
        dept = _pk(ref, mapping.DEPARTMENT_PREFIX)
        qs = qs.filter(department_id=dept) if dept is not None else qs.filter(institution_id=_pk(ref) or 0)
    return qs.order_by("pk")


@dataclass(frozen=True)
class ResourceType:
    name: str
    code: str  # permission code needed
    params: frozenset[str]
    read_id: Callable[[str], bool] = lambda value: value.isdigit()


PATIENT = ResourceType("Patient", "registry.resident.view", frozenset({"_id", "identifier", "name", "birthdate"}))
ORGANIZATION = ResourceType(
    "Organization",
    "org.institution.view",
    frozenset({"_id", "identifier", "name", "type", "partof"}),
    read_id=lambda value: value.isdigit() or _pk(value, mapping.DEPARTMENT_PREFIX) is not None,
)
PRACTITIONER = ResourceType("Practitioner", "org.staff.view", frozenset({"_id", "identifier", "name"}))
PRACTITIONER_ROLE = ResourceType(
    "PractitionerRole",
    "org.staff.view",
    frozenset({"_id", "identifier", "practitioner", "organization", "practitioner.name"}),
)
TYPES = {t.name: t for t in (PATIENT, ORGANIZATION, PRACTITIONER, PRACTITIONER_ROLE)}


def check_params(resource: ResourceType, params: dict[str, str]) -> tuple[int, int]:
    """Refuse unknown parameters; returns ``(count, offset)``."""
    unknown = sorted(set(params) - resource.params - COMMON_PARAMS)
    if unknown:
        raise SearchError(
            f"不支持的查询参数：{'、'.join(unknown)}（{resource.name} 支持 {'、'.join(sorted(resource.params))}）。"
        )
    try:
        count = int(params.get("_count", 20))
        offset = int(params.get("_offset", 0))
    except ValueError:
        raise SearchError("_count 和 _offset 应为整数。") from None
    if not 1 <= count <= MAX_COUNT or offset < 0:
        raise SearchError(f"_count 应在 1–{MAX_COUNT} 之间，_offset 不能为负数。")
    return count, offset
