"""Writing and verifying the audit log."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import random
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from yigongti.core.audit.choices import Category, LogType
from yigongti.core.audit.context import Actor, current_actor
from yigongti.core.audit.models import AuditChainHead, AuditLog
from yigongti.core.crypto import sm3_hex
from yigongti.core.fields import BlindIndexField, EncryptedTextField

HASHED_FIELDS = (
    "chain", "seq", "created_at", "log_type", "category", "action", "project", "user_id", "user_code",
    "user_name", "role_names", "ip", "user_agent", "institution_id", "institution_name",
    "department_name", "object_type", "object_id", "object_repr", "content", "before", "after",
    "success", "prev_hash",
)  # fmt: skip


def _json_safe(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_json_safe(v) for v in value]
    return value


def row_digest(row: AuditLog) -> str:
    payload = {name: _json_safe(getattr(row, name)) for name in HASHED_FIELDS}
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return sm3_hex(text.encode("utf-8"))


def snapshot(instance: models.Model) -> dict[str, Any]:
    """A JSON-safe picture of a row for before/after. Sensitive values never enter the log in
    plaintext: encrypted fields are masked, blind indexes left out."""
    data: dict[str, Any] = {}
    for f in instance._meta.concrete_fields:
        if isinstance(f, BlindIndexField) or f.name in {"password"}:
            continue
        value = getattr(instance, f.attname)
        if isinstance(f, EncryptedTextField):
            value = f.masked(value)
        data[f.attname] = _json_safe(value)
    for f in instance._meta.many_to_many:
        if instance.pk is not None and f.name in getattr(instance, "_prefetched_objects_cache", {}):
            data[f.name] = sorted(o.pk for o in getattr(instance, f.name).all())
    return data


def diff(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Keep only the keys that changed (both sides), so update rows stay small and readable."""
    if not before or not after:
        return before, after
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _lock_head(chain: int, chains: int) -> AuditChainHead:
    """Lock the chain head. All heads are created together on first use (concurrent creators are
    harmless), so every later append costs the same number of queries."""
    try:
        return AuditChainHead.objects.select_for_update().get(chain=chain)
    except AuditChainHead.DoesNotExist:
        AuditChainHead.objects.bulk_create([AuditChainHead(chain=i) for i in range(chains)], ignore_conflicts=True)
        return AuditChainHead.objects.select_for_update().get(chain=chain)


@dataclass
class AuditEntry:
    log_type: str
    category: str
    content: str = ""
    action: str = ""
    project: str = ""
    object_type: str = ""
    object_id: str = ""
    object_repr: str = ""
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    success: bool = True
    actor: Actor | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def audit_write(entry: AuditEntry) -> AuditLog:
    """Append one row to a randomly chosen chain, in the caller's transaction when there is one."""
    actor = entry.actor or current_actor()
    chains = max(1, int(getattr(settings, "AUDIT_CHAINS", 1)))
    with transaction.atomic():
        head = _lock_head(random.randrange(chains), chains)
        chain = head.chain
        row = AuditLog(
            chain=chain,
            seq=head.seq + 1,
            created_at=timezone.now(),
            log_type=entry.log_type,
            category=entry.category,
            action=entry.action[:100],
            project=entry.project[:50],
            user_id=actor.user_id,
            user_code=actor.user_code[:150],
            user_name=actor.user_name[:150],
            role_names=actor.role_names[:300],
            ip=actor.ip[:64],
            user_agent=actor.user_agent[:300],
            institution_id=actor.institution_id,
            institution_name=actor.institution_name[:200],
            department_name=actor.department_name[:200],
            object_type=entry.object_type[:100],
            object_id=str(entry.object_id)[:64],
            object_repr=entry.object_repr[:200],
            content=entry.content,
            before=_json_safe(entry.before) if entry.before is not None else None,
            after=_json_safe(entry.after) if entry.after is not None else None,
            success=entry.success,
            prev_hash=head.hash,
        )
        row.hash = row_digest(row)
        row.save(force_insert=True)
        head.seq, head.hash = row.seq, row.hash
        head.save(update_fields=["seq", "hash"])
    return row


def audit_model_change(
    *,
    category: str,
    instance: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    project: str = "",
    content: str = "",
) -> AuditLog:
    """数据日志 row for a create/update/delete of ``instance``."""
    meta = instance._meta
    if category == Category.UPDATE:
        before, after = diff(before, after)
    label = dict(Category.choices).get(category, category)
    return audit_write(
        AuditEntry(
            log_type=LogType.DATA,
            category=category,
            action=f"{meta.app_label}.{meta.model_name}.{category}",
            project=project or str(meta.app_config.verbose_name if meta.app_config else ""),
            object_type=f"{meta.app_label}.{meta.model_name}",
            object_id=str(instance.pk),
            object_repr=str(instance)[:200],
            content=content or f"{label}{meta.verbose_name}：{instance}",
            before=before,
            after=after,
        )
    )


def audit_read(
    *, instance_type: str, ids: list[Any], content: str, project: str = "", category: str = Category.READ
) -> AuditLog:
    """业务日志 row for a read of patient data (detail, list page, export, sensitive reveal)."""
    return audit_write(
        AuditEntry(
            log_type=LogType.BUSINESS,
            category=category,
            action=f"{instance_type}.{category}",
            project=project,
            object_type=instance_type,
            object_id=str(ids[0]) if len(ids) == 1 else "",
            content=content,
            after={"ids": [str(i) for i in ids]} if len(ids) != 1 else None,
        )
    )


@dataclass
class VerifyReport:
    rows: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def audit_verify(batch: int = 5000) -> VerifyReport:
    """Walk every chain and report modified, deleted, inserted or truncated rows."""
    report = VerifyReport()
    for head in AuditChainHead.objects.order_by("chain"):
        expected_seq, prev = 1, ""
        last_seq = 0
        qs = AuditLog.objects.filter(chain=head.chain).order_by("seq")
        start = 0
        while True:
            rows = list(qs.filter(seq__gt=start)[:batch])
            if not rows:
                break
            for row in rows:
                report.rows += 1
                if row.seq != expected_seq:
                    report.problems.append(f"链 {head.chain}: 序号 {expected_seq}–{row.seq - 1} 的记录缺失（被删除）")
                    expected_seq = row.seq
                if row.prev_hash != prev:
                    report.problems.append(f"链 {head.chain} 序号 {row.seq} (id={row.id}): 前序哈希不符")
                if row.hash != row_digest(row):
                    report.problems.append(f"链 {head.chain} 序号 {row.seq} (id={row.id}): 内容被修改")
                prev = row.hash
                expected_seq += 1
                last_seq = row.seq
            start = rows[-1].seq
        if last_seq != head.seq or prev != head.hash:
            report.problems.append(f"链 {head.chain}: 链尾与链头不符（末尾记录被删除或链头被改）")
    return report
