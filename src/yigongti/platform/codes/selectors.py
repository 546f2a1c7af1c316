"""Reads of dictionaries, parameters and data elements for the rest of the platform.

``param_value("security.lockout_failures", institution=inst)`` is how other apps read configuration;
``entry_name("GBT_2261_1", "1")`` and ``validate_value(element, value)`` are how they use code systems.
Dictionaries in the recycle bin are invisible here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone

from yigongti.core.errors import BusinessError
from yigongti.platform.codes import constraints
from yigongti.platform.codes.choices import DataType, ValueSource
from yigongti.platform.codes.formats import FormatError, check_value, parse_format
from yigongti.platform.codes.models import DataElement, Dictionary, DictionaryEntry, Parameter, ParameterValue


# -- parameters ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ResolvedParameter:
    parameter: Parameter
    value: Any
    text: str
    source: str  # ValueSource
    record: ParameterValue | None
    at: dt.datetime


def as_instant(at: dt.datetime | dt.date | None) -> dt.datetime:
    """``None`` → now; a date → its local midnight; a naive datetime → local time."""
    if at is None:
        return timezone.now()
    if not isinstance(at, dt.datetime):
        at = dt.datetime.combine(at, dt.time.min)
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    return at


def _in_force(qs: models.QuerySet[ParameterValue], at: dt.datetime) -> ParameterValue | None:
    return (
        qs.filter(effective_from__lte=at)
        .filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=at))
        .order_by("-effective_from")
        .first()
    )


def param_resolve(code: str, *, at: dt.datetime | dt.date | None = None, institution: Any = None) -> ResolvedParameter:
    """The value of parameter ``code`` in force at ``at``: the institution's own value when the
    parameter allows overrides and one is in force, else the platform value in force, else the
    default. Raises ``BusinessError`` (404) for an unknown code."""
    parameter = Parameter.objects.select_related("choice_dictionary").filter(code=code).first()
    if parameter is None:
        raise BusinessError("PARAMETER_NOT_FOUND", f"参数「{code}」不存在。", status_code=404)
    instant = as_instant(at)
    institution_id = getattr(institution, "pk", institution)
    values = ParameterValue.objects.filter(parameter=parameter)
    record, source = None, ValueSource.DEFAULT
    if institution_id is not None and parameter.allow_institution_override:
        record = _in_force(values.filter(institution_id=institution_id), instant)
        source = ValueSource.INSTITUTION
    if record is None:
        record = _in_force(values.filter(institution__isnull=True), instant)
        source = ValueSource.PLATFORM
    if record is None:
        source = ValueSource.DEFAULT
    text = record.value if record is not None else parameter.default_value
    return ResolvedParameter(parameter, constraints.coerce(parameter, text), text, source, record, instant)


def param_value(code: str, *, at: dt.datetime | dt.date | None = None, institution: Any = None) -> Any:
    """The typed value of parameter ``code`` in force at ``at`` (default: now)."""
    return param_resolve(code, at=at, institution=institution).value


# -- dictionaries ----------------------------------------------------------------------------
def dictionary_get(code: str) -> Dictionary | None:
    return Dictionary.objects.filter(code=code).first()


def entry_choices(dictionary_code: str, *, enabled_only: bool = True) -> list[tuple[str, str]]:
    """``[(code, name), ...]`` of a dictionary not in the recycle bin, in display order."""
    qs = DictionaryEntry.objects.filter(dictionary__code=dictionary_code)
    if enabled_only:
        qs = qs.filter(is_enabled=True)
    return list(qs.order_by("sort", "code").values_list("code", "name"))


def entry_name(dictionary_code: str, entry_code: str) -> str | None:
    return (
        DictionaryEntry.objects.filter(dictionary__code=dictionary_code, code=entry_code)
        .values_list("name", flat=True)
        .first()
    )


# -- data elements ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ValidationResult:
    valid: bool
    message: str


def validate_value(element: DataElement, value: Any) -> ValidationResult:
    """Check ``value`` against the element's 表示格式 and, for S2/S3, its value domain."""
    if element.data_type == DataType.BY:
        return ValidationResult(True, "二进制数据元不做格式校验。")
    try:
        fmt = parse_format(element.format)
        check_value(fmt, value if isinstance(value, str) else "" if value is None else str(value))
    except FormatError as exc:
        return ValidationResult(False, f"{element.name}：{exc}")
    if element.value_domain_id and element.data_type in (DataType.S2, DataType.S3):
        domain = Dictionary.all_objects.get(pk=element.value_domain_id)
        if domain.in_recycle_bin:
            return ValidationResult(False, f"{element.name}：值域字典「{domain.name}」已被删除，无法校验。")
        entry = domain.entries.filter(code=value).only("name", "is_enabled").first()
        if entry is None:
            return ValidationResult(False, f"{element.name}：「{value}」不在值域「{domain.name}」中。")
        if not entry.is_enabled:
            return ValidationResult(
                False, f"{element.name}：「{value}」（{entry.name}）在值域「{domain.name}」中已停用。"
            )
        return ValidationResult(True, f"符合{element.name}的要求：{value} {entry.name}。")
    return ValidationResult(True, f"符合{element.name}的表示格式 {element.format}。")
