"""Writes of the knowledge base: clone a version to a draft, publish it, delete a draft.

Facts of a draft are edited through the generic resource services (``core.crud``); the models refuse
any change to a published version (``Fact.clean``) and the views refuse deleting from one.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from yigongti.centers.prescription_review.knowledge.choices import VersionStatus
from yigongti.centers.prescription_review.knowledge.models import Drug, Fact, KnowledgeVersion, fact_models
from yigongti.centers.prescription_review.knowledge.selectors import version_current
from yigongti.core.audit.choices import Category, LogType
from yigongti.core.audit.services import AuditEntry, audit_write
from yigongti.core.errors import BusinessError

PROJECT = "合理用药知识库"
BATCH = 2000


def _audit(category: str, action: str, version: KnowledgeVersion, content: str, **extra: Any) -> None:
    audit_write(
        AuditEntry(
            log_type=LogType.DATA,
            category=category,
            action=action,
            project=PROJECT,
            object_type="rx_knowledge.knowledgeversion",
            object_id=str(version.pk),
            object_repr=str(version),
            content=content,
            after={"number": version.number, "status": version.status, **extra},
        )
    )


def _next_number() -> int:
    head = KnowledgeVersion.objects.select_for_update().order_by("-number").values_list("number", flat=True).first()
    return (head or 0) + 1


def _copy_facts(source: KnowledgeVersion, target: KnowledgeVersion) -> int:
    """Copy every fact of ``source`` into ``target`` with bulk inserts (drugs first, ids remapped)."""
    total = 0
    drug_map: dict[int, int] = {}
    for model in fact_models():
        fields = [f for f in model._meta.concrete_fields if f.name not in {"id", "version"}]
        rows: list[Fact] = []
        old_ids: list[int] = []
        for obj in model._default_manager.filter(version=source).order_by("pk").iterator(chunk_size=BATCH):
            values = {f.attname: getattr(obj, f.attname) for f in fields}
            if "drug_id" in values:
                values["drug_id"] = drug_map[values["drug_id"]]
            rows.append(model(version=target, **values))
            old_ids.append(obj.pk)
        model._default_manager.bulk_create(rows, batch_size=BATCH)
        if model is Drug:
            new_ids = dict(Drug.objects.filter(version=target).values_list("code", "id"))
            drug_map = {old: new_ids[row.code] for old, row in zip(old_ids, rows, strict=True)}  # type: ignore[attr-defined]
        total += len(rows)
    return total


@transaction.atomic
def version_clone(
    *, actor: Any, source: KnowledgeVersion | None = None, name: str = "", notes: str = ""
) -> KnowledgeVersion:
    """A new draft holding a copy of ``source`` (default: the current version) for pharmacists to edit."""
    source = source or version_current()
    if source is None:
        raise BusinessError("RX_KB_NO_CURRENT", "当前没有生效的知识库版本，无法复制。")
    draft = KnowledgeVersion(
        number=_next_number(),
        name=name or f"{source.name}（修订）",
        notes=notes,
        status=VersionStatus.DRAFT,
        based_on=source,
        synthetic=source.synthetic,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    draft.full_clean()
    draft.save()
    copied = _copy_facts(source, draft)
    _audit(
        Category.CREATE, "rx.knowledge.clone", draft, f"复制知识库 {source} 为草稿 {draft}，共 {copied} 条", rows=copied
    )
    return draft


@transaction.atomic
def version_publish(*, version: KnowledgeVersion, effective_date: datetime.date, actor: Any) -> KnowledgeVersion:
    """Publish a draft; it becomes current on ``effective_date`` (today or later)."""
    locked = KnowledgeVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != VersionStatus.DRAFT:
        raise BusinessError("RX_KB_NOT_DRAFT", "只有草稿版本可以发布。", status_code=409)
    if effective_date < timezone.localdate():
        raise BusinessError(
            "RX_KB_EFFECTIVE_PAST", "生效日期不能早于今天。", fields={"effective_date": ["生效日期不能早于今天。"]}
        )
    if not Drug.objects.filter(version=locked).exists():
        raise BusinessError("RX_KB_EMPTY", "该版本没有任何药品，不能发布。")
    locked.status = VersionStatus.PUBLISHED
    locked.effective_date = effective_date
    locked.published_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["status", "effective_date", "published_at"])
    _audit(
        Category.UPDATE,
        "rx.knowledge.publish",
        locked,
        f"发布知识库 {locked}，{effective_date} 生效",
        effective_date=str(effective_date),
    )
    return locked


@transaction.atomic
def version_delete(*, version: KnowledgeVersion, actor: Any) -> None:
    """Delete a draft with all its facts (published versions are history and stay)."""
    locked = KnowledgeVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != VersionStatus.DRAFT:
        raise BusinessError("RX_KB_NOT_DRAFT", "已发布的版本不能删除。", status_code=409)
    for model in reversed(fact_models()):
        model._default_manager.filter(version=locked).delete()
    _audit(Category.DELETE, "rx.knowledge.delete", locked, f"删除草稿知识库 {locked}")
    locked.delete()


def ensure_draft(version: KnowledgeVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise BusinessError("RX_KB_NOT_DRAFT", "已发布的版本不能修改，请先复制为草稿版本再编辑。", status_code=409)


def facts_of(model: type[models.Model], version: KnowledgeVersion) -> models.QuerySet[Any]:
    return model._default_manager.filter(version=version)


@transaction.atomic
def version_update(
    *, version: KnowledgeVersion, actor: Any, name: str | None = None, notes: str | None = None
) -> KnowledgeVersion:
    """Rename a version or edit its notes (a draft only)."""
    locked = KnowledgeVersion.objects.select_for_update().get(pk=version.pk)
    ensure_draft(locked)
    changed = []
    for attr, value in (("name", name), ("notes", notes)):
        if value is not None and getattr(locked, attr) != value:
            setattr(locked, attr, value)
            changed.append(attr)
    if changed:
        locked.full_clean()
        locked.save(update_fields=changed)
        _audit(Category.UPDATE, "rx.knowledge.update", locked, f"修改草稿知识库 {locked} 的{'、'.join(changed)}")
    return locked
