"""Generic write services for reference data (NetBox-style resources).

Every create/update/delete of a resource runs here: one transaction, model validation, a check that
the row stays inside the actor's data scope, and a 数据日志 row with before/after.
Workflow objects do not use these: they have their own services per action.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import models, transaction
from rest_framework import serializers

from yigongti.core.audit.choices import Category
from yigongti.core.audit.services import audit_model_change, snapshot
from yigongti.core.errors import BusinessError

M = TypeVar("M", bound=models.Model)


def _tracking_kwargs(model: type[models.Model], user: Any, *, creating: bool) -> dict[str, Any]:
    names = {f.name for f in model._meta.fields}
    kwargs: dict[str, Any] = {}
    if "updated_by" in names:
        kwargs["updated_by"] = user
    if creating and "created_by" in names:
        kwargs["created_by"] = user
    return kwargs


def _model_of(serializer: serializers.BaseSerializer[Any]) -> type[models.Model]:
    model: type[models.Model] = serializer.Meta.model  # type: ignore[attr-defined]
    return model


def _ensure_visible(instance: models.Model, visible: models.QuerySet[Any]) -> None:
    if not visible.filter(pk=instance.pk).exists():
        raise BusinessError("OUT_OF_SCOPE", "无权在该机构或科室下保存此记录（超出您的数据权限）。", status_code=403)


@transaction.atomic
def resource_create(
    *, serializer: serializers.BaseSerializer[Any], user: Any, visible: models.QuerySet[Any], project: str = ""
) -> Any:
    model = _model_of(serializer)
    instance = serializer.save(**_tracking_kwargs(model, user, creating=True))
    _ensure_visible(instance, visible)
    audit_model_change(
        category=Category.CREATE, instance=instance, before=None, after=snapshot(instance), project=project
    )
    return instance


@transaction.atomic
def resource_update(
    *, serializer: serializers.BaseSerializer[Any], user: Any, visible: models.QuerySet[Any], project: str = ""
) -> Any:
    assert serializer.instance is not None
    model = _model_of(serializer)
    # The view already found the row through the scoped queryset; lock it by key for the update.
    locked = model._default_manager.select_for_update().get(pk=serializer.instance.pk)
    before = snapshot(locked)
    instance = serializer.save(**_tracking_kwargs(model, user, creating=False))
    _ensure_visible(instance, visible)
    audit_model_change(
        category=Category.UPDATE, instance=instance, before=before, after=snapshot(instance), project=project
    )
    return instance


@transaction.atomic
def resource_delete(*, instance: models.Model, user: Any, project: str = "") -> None:
    before = snapshot(instance)
    pk = instance.pk
    instance.delete()
    instance.pk = pk
    audit_model_change(category=Category.DELETE, instance=instance, before=before, after=None, project=project)


@transaction.atomic
def resource_import(
    *,
    serializers_: Sequence[serializers.BaseSerializer[Any]],
    user: Any,
    visible: models.QuerySet[Any],
    project: str = "",
) -> list[Any]:
    """Create every validated row, or none of them."""
    return [resource_create(serializer=s, user=user, visible=visible, project=project) for s in serializers_]
