"""Blocking keys of the master patient index, stored as plain indexed columns on ``Resident``."""

from __future__ import annotations

from typing import Any

from django.db import models

from yigongti.platform.registry.mpi.keys import resident_name_keys


class MatchKeyField(models.CharField):
    """Recomputed from ``name`` (and ``sex``) on every save — ``bulk_create`` included — like a
    ``BlindIndexField``: ``kind="name"`` is the fuzzy-pinyin name key, ``kind="initials"`` sex plus
    the pinyin initials. A ``QuerySet.update()`` of the name must recompute them by hand."""

    def __init__(self, *args: Any, kind: str = "name", **kwargs: Any) -> None:
        self.kind = kind
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        for key, value in (("max_length", 64), ("editable", False), ("blank", True), ("default", "")):
            if kwargs.get(key) == value:
                kwargs.pop(key)
        return name, path, args, kwargs

    def value_for(self, instance: models.Model) -> str:
        name_key, initials_key = resident_name_keys(getattr(instance, "name", "") or "", getattr(instance, "sex", ""))
        return name_key if self.kind == "name" else initials_key

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.value_for(model_instance)
        setattr(model_instance, self.attname, value)
        return value
