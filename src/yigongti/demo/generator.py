"""The demo county generator: a FICTIONAL 县域医共体 (云溪县医共体, Jiangsu) with its institutions,
departments, staff, family doctor teams, beds, equipment, login accounts and residents.

Deterministic: the same seed gives the same county, people and names (only the encryption
nonces of the sensitive fields differ). The whole run is one transaction — it either creates
everything or nothing — and leaves one SYSTEM audit row that summarises it.

    report = generate_county(residents=20000, seed=2026)
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction

from yigongti.core.audit.choices import Category, LogType
from yigongti.core.audit.services import AuditEntry, audit_write
from yigongti.demo import places
from yigongti.demo.accounts import DEMO_PASSWORD, create_demo_users, demo_accounts
from yigongti.demo.contributions import contributions
from yigongti.demo.org_builder import OrgBuilder
from yigongti.demo.residents import create_residents
from yigongti.platform.org.models import Community

# The county's "today": fixed so a seed always gives the same birth dates and ages.
REFERENCE_DATE = dt.date(2026, 1, 1)


class DemoExists(Exception):
    """The demo community is already in the database."""


@dataclass
class DemoReport:
    seed: int
    residents: int
    counts: dict[str, int] = field(default_factory=dict)
    chronic: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    password: str = DEMO_PASSWORD
    accounts: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def total_seconds(self) -> float:
        return sum(self.timings.values())


def community_exists() -> bool:
    return Community.objects.exists()


def _rng(seed: int, stream: str) -> random.Random:
    # Separate streams: changing the organisation does not reshuffle the residents.
    return random.Random(f"yigongti-demo:{seed}:{stream}")


# SQLite page cache while loading (KiB): the two blind indexes get random inserts, and with the
# default 2 MB cache their pages are evicted and rewritten again and again (≈30% slower at 200k).
SQLITE_LOAD_CACHE_KIB = 131072


@contextmanager
def _bulk_load_cache() -> Iterator[None]:
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_LOAD_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def generate_county(
    *,
    residents: int = 20000,
    seed: int = 2026,
    staff_accounts: bool = True,
    today: dt.date = REFERENCE_DATE,
    progress: Callable[[int, int], None] | None = None,
) -> DemoReport:
    if residents < 0:
        raise ValueError("residents must be >= 0")
    if Community.objects.filter(code=places.COMMUNITY_CODE).exists():
        raise DemoExists(f"演示医共体“{places.COMMUNITY_NAME}”已存在。")
    report = DemoReport(seed=seed, residents=residents)
    with _bulk_load_cache(), transaction.atomic():
        started = time.perf_counter()
        org = OrgBuilder(_rng(seed, "org"), today).build()
        report.counts.update(org.counts)
        report.timings["org"] = time.perf_counter() - started

        started = time.perf_counter()
        report.counts["users"] = create_demo_users(org=org, rng=_rng(seed, "users"), staff_accounts=staff_accounts)
        report.timings["users"] = time.perf_counter() - started

        started = time.perf_counter()
        report.chronic = create_residents(
            org=org, count=residents, rng=_rng(seed, "residents"), today=today, progress=progress
        )
        report.counts["residents"] = residents
        report.timings["residents"] = time.perf_counter() - started

        for contribution in contributions():
            started = time.perf_counter()
            report.counts.update(contribution.build(org, _rng(seed, contribution.name), today))
            report.timings[contribution.name] = time.perf_counter() - started

        started = time.perf_counter()
        audit_write(
            AuditEntry(
                log_type=LogType.DATA,
                category=Category.SYSTEM,
                action="demo.county.generate",
                project="演示数据",
                object_type="org.community",
                object_id=str(org.community.pk),
                object_repr=org.community.name,
                content=(
                    f"生成演示医共体“{org.community.name}”（虚构，随机种子 {seed}）：机构 {org.counts['institutions']} 家，"
                    f"科室 {org.counts['departments']} 个，人员 {org.counts['staff']} 人，家庭医生团队 {org.counts['teams']} 个，"
                    f"床位 {org.counts['beds']} 张，设备 {org.counts['equipment']} 台，账号 {report.counts['users']} 个，"
                    f"居民 {residents} 人。"
                ),
                after={"seed": seed, "counts": report.counts, "chronic": report.chronic, "as_of": today.isoformat()},
            )
        )
        report.timings["audit"] = time.perf_counter() - started
    report.accounts = demo_accounts()
    return report
