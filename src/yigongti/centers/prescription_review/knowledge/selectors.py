"""Reads of the knowledge base: which version is current, and differences between versions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from yigongti.centers.prescription_review.knowledge.choices import VersionStatus
from yigongti.centers.prescription_review.knowledge.models import Fact, KnowledgeVersion, fact_models

DIFF_SAMPLE = 200  # keys listed per model and kind; counts are always complete


def version_current(*, day: datetime.date | None = None) -> KnowledgeVersion | None:
    """The published version in force on ``day``: the latest effective date not after it (then the
    highest number). A version published with a future effective date is not current yet."""
    day = day or timezone.localdate()
    qs = KnowledgeVersion.objects.filter(status=VersionStatus.PUBLISHED, effective_date__lte=day)
    if not getattr(settings, "RX_KNOWLEDGE_ALLOW_SYNTHETIC", False):
        qs = qs.filter(synthetic=False)
    return qs.order_by("-effective_date", "-number").first()


def latest_synthetic_version() -> KnowledgeVersion | None:
    """The newest synthetic (benchmark) version made by ``rx-kb-generate``."""
    return KnowledgeVersion.objects.filter(synthetic=True).order_by("-number").first()


def version_current_id(*, day: datetime.date | None = None) -> int | None:
    version = version_current(day=day)
    return version.pk if version is not None else None


def _compared_fields(model: type[Fact]) -> list[str]:
    skip = {"id", "version"}
    return [f.attname if not f.is_relation else f.name for f in model._meta.concrete_fields if f.name not in skip]


def _rows(model: type[Fact], version: KnowledgeVersion) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """natural key → compared values, with the drug foreign key replaced by the drug code."""
    names = _compared_fields(model)
    has_drug = "drug" in names
    values = [n if n != "drug" else "drug__code" for n in names]
    key_names = [n if n != "drug" else "drug__code" for n in model.natural_key] or values
    out: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    qs: models.QuerySet[Any] = model._default_manager.filter(version=version)
    if has_drug:
        qs = qs.select_related(None)
    for row in qs.values(*values):
        key = tuple(row[k] for k in key_names)
        out[key] = tuple(row[v] for v in values)
    return out


@dataclass
class ModelDiff:
    model: str
    label: str
    added: int = 0
    removed: int = 0
    changed: int = 0
    added_keys: list[str] = field(default_factory=list)
    removed_keys: list[str] = field(default_factory=list)
    changed_keys: list[str] = field(default_factory=list)


def _fmt(key: tuple[Any, ...]) -> str:
    return " / ".join("" if k is None else str(k) for k in key)


def version_diff(*, base: KnowledgeVersion, other: KnowledgeVersion) -> list[ModelDiff]:
    """What ``other`` adds, removes and changes relative to ``base``, per fact model (matched by natural key)."""
    result: list[ModelDiff] = []
    for model in fact_models():
        old, new = _rows(model, base), _rows(model, other)
        added = sorted((k for k in new if k not in old), key=_fmt)
        removed = sorted((k for k in old if k not in new), key=_fmt)
        changed = sorted((k for k in new if k in old and new[k] != old[k]), key=_fmt)
        if not (added or removed or changed):
            continue
        result.append(
            ModelDiff(
                model=model._meta.model_name or "",
                label=str(model._meta.verbose_name),
                added=len(added),
                removed=len(removed),
                changed=len(changed),
                added_keys=[_fmt(k) for k in added[:DIFF_SAMPLE]],
                removed_keys=[_fmt(k) for k in removed[:DIFF_SAMPLE]],
                changed_keys=[_fmt(k) for k in changed[:DIFF_SAMPLE]],
            )
        )
    return result
