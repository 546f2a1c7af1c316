"""Writes that are more than plain CRUD: the dictionary recycle bin and parameter values.

Plain dictionary/entry/parameter/data-element edits go through the generic services in
``yigongti.core.crud``. Every function here runs in one transaction and writes its audit row in it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from yigongti.core.audit.choices import Category
from yigongti.core.audit.services import audit_model_change, snapshot
from yigongti.core.errors import BusinessError, ConflictError
from yigongti.platform.codes import constraints
from yigongti.platform.codes.models import Dictionary, DictionaryEntry, Parameter, ParameterValue

PROJECT = "字典与参数"


def _ensure_visible(instance: models.Model, visible: models.QuerySet[Any] | None) -> None:
    if visible is not None and not visible.filter(pk=instance.pk).exists():
        raise BusinessError("OUT_OF_SCOPE", "无权在该机构下保存此记录（超出您的数据权限）。", status_code=403)


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


# -- dictionary recycle bin --------------------------------------------------------------------
@transaction.atomic
def dictionary_delete(*, dictionary: Dictionary, actor: Any) -> Dictionary:
    """Move a dictionary to the recycle bin (字典回收站); its entries stay with it."""
    locked = Dictionary.all_objects.select_for_update().get(pk=dictionary.pk)
    if locked.in_recycle_bin:
        raise ConflictError("DICTIONARY_ALREADY_DELETED", "该字典已在回收站中。")
    users = [f"数据元 {n}" for n in locked.data_elements.values_list("name", flat=True)[:3]]
    users += [f"参数 {n}" for n in locked.parameters.values_list("name", flat=True)[:3]]
    if users:
        raise ConflictError("DICTIONARY_IN_USE", f"该字典正被使用（{'、'.join(users)}），不能删除。")
    before = snapshot(locked)
    locked.deleted_at = timezone.now()
    locked.deleted_by = _user(actor)
    locked.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    audit_model_change(
        category=Category.DELETE,
        instance=locked,
        before=before,
        after=snapshot(locked),
        project=PROJECT,
        content=f"删除字典（移入回收站）：{locked}",
    )
    return locked


@transaction.atomic
def dictionary_restore(*, dictionary: Dictionary, actor: Any) -> Dictionary:
    locked = Dictionary.all_objects.select_for_update().get(pk=dictionary.pk)
    if not locked.in_recycle_bin:
        raise ConflictError("DICTIONARY_NOT_DELETED", "该字典不在回收站中，无需还原。")
    before = snapshot(locked)
    locked.deleted_at = None
    locked.deleted_by = None
    locked.updated_by = _user(actor)
    locked.save(update_fields=["deleted_at", "deleted_by", "updated_by", "updated_at"])
    audit_model_change(
        category=Category.RESTORE,
        instance=locked,
        before=before,
        after=snapshot(locked),
        project=PROJECT,
        content=f"从回收站还原字典：{locked}",
    )
    return locked


@transaction.atomic
def dictionary_purge(*, dictionary: Dictionary, actor: Any) -> int:
    """Delete a dictionary in the recycle bin for good, with its entries. Returns the entry count."""
    locked = Dictionary.all_objects.select_for_update().get(pk=dictionary.pk)
    if not locked.in_recycle_bin:
        raise ConflictError("DICTIONARY_NOT_IN_RECYCLE_BIN", "只能彻底删除回收站中的字典，请先删除该字典。")
    entries = list(
        DictionaryEntry.all_objects.filter(dictionary=locked)
        .order_by("sort", "code")
        .values("code", "name", "parent__code")
    )
    before = snapshot(locked) | {"entries": entries}
    pk = locked.pk
    # The entries go with it (CASCADE); their RESTRICT parent links allow that within one delete.
    locked.delete()
    locked.pk = pk
    audit_model_change(
        category=Category.DELETE,
        instance=locked,
        before=before,
        after=None,
        project=PROJECT,
        content=f"彻底删除字典：{locked}（含 {len(entries)} 个字典项）",
    )
    return len(entries)


# -- parameter values ------------------------------------------------------------------------
VALUE_FIELDS = ("parameter", "institution", "value", "effective_from", "expires_at", "note")


def _as_text(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(VALUE_FIELDS)
    assert not unknown, unknown
    if "value" in fields:  # a number, boolean or JSON object from a caller becomes its text first
        fields["value"] = constraints.to_text(fields["value"])
    return fields


def _lock_parameter(parameter: Parameter) -> Parameter:
    """Serialise writers of one parameter's values, so two overlapping periods cannot both pass."""
    return Parameter.objects.select_for_update().get(pk=parameter.pk)


@transaction.atomic
def parameter_value_create(*, actor: Any, visible: models.QuerySet[Any] | None = None, **fields: Any) -> ParameterValue:
    fields = _as_text(fields)
    _lock_parameter(fields["parameter"])
    row = ParameterValue(**fields, created_by=_user(actor), updated_by=_user(actor))
    row.full_clean()
    row.save()
    _ensure_visible(row, visible)
    audit_model_change(category=Category.CREATE, instance=row, before=None, after=snapshot(row), project=PROJECT)
    return row


@transaction.atomic
def parameter_value_update(
    *, record: ParameterValue, actor: Any, visible: models.QuerySet[Any] | None = None, **fields: Any
) -> ParameterValue:
    fields = _as_text(fields)
    _lock_parameter(fields.get("parameter") or record.parameter)
    row = ParameterValue.objects.select_for_update().get(pk=record.pk)
    before = snapshot(row)
    for name, new in fields.items():
        setattr(row, name, new)
    row.updated_by = _user(actor)
    row.full_clean()
    row.save()
    _ensure_visible(row, visible)
    audit_model_change(category=Category.UPDATE, instance=row, before=before, after=snapshot(row), project=PROJECT)
    return row


@transaction.atomic
def parameter_value_delete(*, record: ParameterValue, actor: Any) -> None:
    row = ParameterValue.objects.select_for_update().get(pk=record.pk)
    before = snapshot(row)
    pk = row.pk
    row.delete()
    row.pk = pk
    audit_model_change(category=Category.DELETE, instance=row, before=before, after=None, project=PROJECT)


@transaction.atomic
def parameter_value_override(
    *,
    parameter: Parameter,
    value: Any,
    actor: Any,
    institution: Any = None,
    effective_from: dt.datetime | None = None,
    note: str = "",
    visible: models.QuerySet[Any] | None = None,
) -> ParameterValue:
    """覆盖: end the open-ended value in force at ``effective_from`` (same parameter and
    institution) there, and put the new value in force from that moment."""
    start = effective_from or timezone.now()
    _lock_parameter(parameter)
    current = (
        ParameterValue.objects.select_for_update()
        .filter(parameter=parameter, institution=institution, effective_from__lt=start, expires_at__isnull=True)
        .first()
    )
    if current is not None:
        parameter_value_update(record=current, actor=actor, visible=visible, expires_at=start)
    return parameter_value_create(
        actor=actor,
        visible=visible,
        parameter=parameter,
        institution=institution,
        value=value,
        effective_from=start,
        note=note,
    )
