"""Base serializers: model validation (``full_clean``) and scope-limited relations."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import serializers

from yigongti.core.scope import apply_scope, model_scope


class ResourceSerializer(serializers.ModelSerializer[Any]):
    """Runs the model's ``full_clean`` (clean(), constraints) so rules live on the model once."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        model: type[models.Model] = self.Meta.model
        instance = copy.copy(self.instance) if self.instance is not None else model()
        m2m = {f.name for f in model._meta.many_to_many}
        for key, value in attrs.items():
            if key not in m2m:
                setattr(instance, key, value)
        declared = set(self.fields)
        exclude = [f.name for f in model._meta.fields if f.name not in declared and f.attname not in declared]
        try:
            instance.full_clean(exclude=exclude)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return attrs


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A relation limited to rows the requesting user may see; accepts an id or a ``code``.

    Referencing another institution's row answers "不存在" exactly like a missing id.
    """

    default_error_messages = {
        "does_not_exist": "所选记录不存在或无权使用（{pk_value}）。",
        "incorrect_type": "应填写记录编号或编码。",
        "required": "该字段为必填项。",
        "null": "该字段不能为空。",
    }

    def __init__(self, *, lookup_fields: tuple[str, ...] = ("code",), scoped: bool = True, **kwargs: Any) -> None:
        self.lookup_fields = lookup_fields
        self.scoped = scoped
        super().__init__(**kwargs)

    def get_queryset(self) -> models.QuerySet[Any]:
        qs = super().get_queryset()
        assert qs is not None
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if not self.scoped or user is None or not getattr(user, "is_authenticated", False):
            return qs
        return apply_scope(qs, model_scope(qs.model), user.scope_context())

    def to_internal_value(self, data: Any) -> Any:
        qs = self.get_queryset()
        if isinstance(data, bool):
            self.fail("incorrect_type")
        if isinstance(data, int) or (isinstance(data, str) and data.isdigit()):
            found = qs.filter(pk=int(data)).first()
            if found is not None:
                return found
        if isinstance(data, (str, int)):
            for field_name in self.lookup_fields:
                found = qs.filter(**{field_name: str(data)}).first()
                if found is not None:
                    return found
            self.fail("does_not_exist", pk_value=data)
        self.fail("incorrect_type")


class BriefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
