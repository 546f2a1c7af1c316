"""The SM3 hash chain detects modified, deleted and truncated audit rows (PLAT-06, SEC-02)."""

from __future__ import annotations

import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yigongti.core.audit.models import AuditChainHead, AuditLog
from yigongti.core.audit.services import AuditEntry, audit_verify, audit_write

pytestmark = pytest.mark.django_db


def _write(n: int) -> list[AuditLog]:
    return [
        audit_write(AuditEntry(log_type="business", category="read", content=f"查看居民档案 {i}", object_id=str(i)))
        for i in range(n)
    ]


def test_a_clean_log_verifies() -> None:
    _write(20)
    report = audit_verify()
    assert report.ok and report.rows == 20
    call_command("audit-verify")


def test_each_chain_links_its_rows() -> None:
    rows = _write(12)
    for head in AuditChainHead.objects.all():
        chain = list(AuditLog.objects.filter(chain=head.chain).order_by("seq"))
        assert [r.seq for r in chain] == list(range(1, len(chain) + 1))
        assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(chain))
        assert (head.seq, head.hash) == ((chain[-1].seq, chain[-1].hash) if chain else (0, ""))
    assert len(rows) == 12


def test_an_edited_row_is_detected() -> None:
    rows = _write(10)
    AuditLog.objects.filter(pk=rows[4].pk).update(content="篡改后的内容")
    report = audit_verify()
    assert not report.ok
    assert any("内容被修改" in p for p in report.problems)
    with pytest.raises(CommandError):
        call_command("audit-verify")


def test_a_deleted_row_in_the_middle_is_detected() -> None:
    rows = _write(15)
    victim = next(r for r in rows if AuditLog.objects.filter(chain=r.chain, seq__gt=r.seq).exists())
    AuditLog.objects.filter(pk=victim.pk).delete()
    report = audit_verify()
    assert any("缺失" in p for p in report.problems)


def test_a_deleted_last_row_is_detected() -> None:
    _write(6)
    last = AuditLog.objects.order_by("-seq").first()
    assert last is not None
    AuditLog.objects.filter(pk=last.pk).delete()
    assert any("链尾" in p for p in audit_verify().problems)


def test_rehashing_an_edited_row_still_breaks_the_next_link() -> None:
    from yigongti.core.audit.services import row_digest

    rows = _write(10)
    victim = next(r for r in rows if AuditLog.objects.filter(chain=r.chain, seq__gt=r.seq).exists())
    victim.refresh_from_db()
    victim.user_code = "someone_else"
    victim.hash = row_digest(victim)
    AuditLog.objects.filter(pk=victim.pk).update(user_code=victim.user_code, hash=victim.hash)
    assert any("前序哈希" in p for p in audit_verify().problems)
