"""Declared workflows by code (filled when the declaring modules are imported)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.db import models

if TYPE_CHECKING:
    from yigongti.core.workflow.declarations import Workflow

_REGISTRY: dict[str, type[Workflow]] = {}


def register(flow: type[Workflow]) -> None:
    existing = _REGISTRY.get(flow.code)
    if existing is not None and (existing.__module__, existing.__qualname__) != (flow.__module__, flow.__qualname__):
        raise ImproperlyConfigured(
            f"workflow code '{flow.code}' declared twice: {existing.__module__}.{existing.__qualname__} "
            f"and {flow.__module__}.{flow.__qualname__}"
        )
    _REGISTRY[flow.code] = flow


def unregister(code: str) -> None:
    """For tests that declare throw-away workflows."""
    _REGISTRY.pop(code, None)


def workflows() -> list[type[Workflow]]:
    return sorted(_REGISTRY.values(), key=lambda f: f.code)


def get_workflow(code: str) -> type[Workflow] | None:
    return _REGISTRY.get(code)


def workflow_for(model: type[models.Model] | models.Model) -> type[Workflow]:
    """The single workflow declared on ``model`` (pass ``workflow=`` when a model has several)."""
    label = model._meta.label_lower
    found = [f for f in _REGISTRY.values() if f.model.lower() == label]
    if len(found) != 1:
        raise ImproperlyConfigured(f"{len(found)} workflows declared on {label}; pass workflow= explicitly")
    return found[0]
