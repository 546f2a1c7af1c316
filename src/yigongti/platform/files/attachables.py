"""Which record types accept attachments: a model opts in with ``register_attachable``.

The owner's institution (copied onto each attachment for scoping and listing) is read through a
forward lookup path, by default the ``institution`` path of the model's ``scope_spec``. Access to
the attachments of a record follows access to the record: its ``<app>.<model>.view`` code and its
data scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from yigongti.core.scope import model_scope


@dataclass(frozen=True)
class Attachable:
    model: type[models.Model]
    label: str  # "app_label.model_name", the ``owner_type`` of the API
    institution_path: str
    view_code: str

    def institution_id_of(self, owner: models.Model) -> int | None:
        """Follow ``institution_path`` (``a__b_id``) on an owner instance."""
        value: Any = owner
        for part in self.institution_path.split("__"):
            if value is None:
                return None
            value = getattr(value, part)
        if isinstance(value, models.Model):
            value = value.pk
        return int(value) if value is not None else None


_REGISTRY: dict[str, Attachable] = {}


def label_of(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _check_forward_path(model: type[models.Model], path: str) -> None:
    current = model
    parts = path.split("__")
    for index, part in enumerate(parts):
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            raise ValueError(f"{label_of(model)}: '{path}' is not a forward lookup path") from None
        if field.many_to_many or field.one_to_many:
            raise ValueError(f"{label_of(model)}: '{path}' crosses a to-many relation")
        if not field.concrete:
            raise ValueError(f"{label_of(model)}: '{path}' is not a forward lookup path")
        if index < len(parts) - 1:
            if field.related_model is None:
                raise ValueError(f"{label_of(model)}: '{path}' is not a forward lookup path")
            current = field.related_model  # type: ignore[assignment]


def register_attachable(
    model: type[models.Model], *, institution: str | None = None, view_code: str | None = None
) -> Attachable:
    """Let records of ``model`` carry attachments. Call it from the owning app's ``ready()``.

    ``institution``: forward lookup path to the owning institution's id (default: the model's
    ``scope_spec.institution``). ``view_code``: the code needed to see the record (default
    ``<app>.<model>.view``)."""
    spec = model_scope(model)  # refuses models without a scope_spec
    path = institution or spec.institution
    if not path:
        raise ValueError(f"{label_of(model)}: no institution path to copy onto attachments")
    _check_forward_path(model, path)
    label = label_of(model)
    entry = Attachable(model=model, label=label, institution_path=path, view_code=view_code or f"{label}.view")
    _REGISTRY[label] = entry
    return entry


def get_attachable(label: str) -> Attachable | None:
    return _REGISTRY.get(str(label).strip().lower())


def attachable_labels() -> list[str]:
    return sorted(_REGISTRY)
