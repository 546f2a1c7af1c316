"""Exact lookup of a resident by ID number through the HMAC-SM3 blind index (SEC-02, PLAT-02).

Loads N residents (SM4-encrypted ID number, phone and address; valid GB 11643 numbers) into a
PostgreSQL database with ``bulk_create``, then times the selector the API's ``?id_number=`` search
uses (normalise → blind index → indexed equality, under a 本机构 data scope, decrypting the hit)
for 1,000 random registered numbers and 200 valid but unregistered ones. Next to it, in the same
run, the naive alternative: decrypt a 20,000-row sample and scan it, extrapolated to 1M rows.

    DATABASE_URL=postgres://root@127.0.0.1:5432/yigongti_bench \\
        .venv/bin/python benchmarks/registry_lookup.py --residents 1000000

The database is created when missing and migrated; loading is skipped when N residents are
already there (a partial load resumes). Keys come from ``YIGONGTI_VAR_DIR`` like the application:
run later passes with the same one (``--reset`` reloads after a key change). Target: p95 < 20 ms
at 1M residents on PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from typing import Any

DEFAULT_URL = "postgres://root@127.0.0.1:5432/yigongti_bench"
BASE_BIRTH = dt.date(1930, 1, 1)
AREAS = ("320923", "320924", "320925", "320981", "320982")  # five counties; 顺序码 0..999 per day
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华"


def ensure_database(url: str) -> None:
    """Create the database named in ``url`` through the ``postgres`` maintenance database."""
    import psycopg
    from psycopg import sql

    parts = psycopg.conninfo.conninfo_to_dict(url)
    name = parts.get("dbname")
    if not name:
        raise SystemExit("DATABASE_URL 中缺少数据库名")
    with psycopg.connect(psycopg.conninfo.make_conninfo(url, dbname="postgres"), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def id_number_of(i: int) -> str:
    """The i-th synthetic, checksum-valid ID number (unique for i < 5 × 1000 × ~32,000)."""
    from yigongti.core.validators import id_check_char

    area = AREAS[i % len(AREAS)]
    k = i // len(AREAS)
    birth = BASE_BIRTH + dt.timedelta(days=k // 1000)
    body = f"{area}{birth:%Y%m%d}{k % 1000:03d}"
    return body + id_check_char(body)


def load(institution: Any, start: int, stop: int, batch: int) -> None:
    from django.db import transaction

    from yigongti.platform.registry.models import Resident

    began = time.perf_counter()
    for first in range(start, stop, batch):
        rows = []
        for i in range(first, min(first + batch, stop)):
            number = id_number_of(i)
            rows.append(
                Resident(
                    id_number=number,
                    name=SURNAMES[i % 20] + GIVEN[(i // 20) % 20] + (GIVEN[(i // 400) % 20] if i % 3 else ""),
                    sex="1" if int(number[16]) % 2 else "2",
                    birth_date=dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
                    phone=f"13{i % 10}{i:08d}"[:11],
                    address=f"江苏省某县某镇某村{i % 997}组{i % 89}号",
                    home_institution=institution,
                )
            )
        with transaction.atomic():
            Resident.objects.bulk_create(rows, batch_size=batch)
        done = first + len(rows)
        rate = (done - start) / (time.perf_counter() - began)
        print(f"  loaded {done:>9,} / {stop:,}  ({rate:,.0f} rows/s)", flush=True)


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)

    def pick(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    return f"p50 {pick(50):7.2f} ms   p95 {pick(95):7.2f} ms   p99 {pick(99):7.2f} ms   max {ordered[-1]:7.2f} ms"


class BenchUser:
    """A 本机构 user of the benchmark institution, as the API would see it."""

    is_authenticated = True

    def __init__(self, institution_id: int) -> None:
        from yigongti.core.scope import ScopeContext

        self._ctx = ScopeContext(institution_ids=frozenset({institution_id}))

    def scope_context(self) -> Any:
        return self._ctx

    def has_code(self, code: str) -> bool:
        return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, default=1_000_000, help="residents to load (default 1,000,000)")
    parser.add_argument("--hits", type=int, default=1000, help="lookups of registered numbers")
    parser.add_argument("--misses", type=int, default=200, help="lookups of unregistered numbers")
    parser.add_argument("--sample", type=int, default=20_000, help="rows decrypted by the naive scan")
    parser.add_argument("--batch", type=int, default=2000, help="bulk_create batch size")
    parser.add_argument("--reset", action="store_true", help="delete the residents first and reload")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yigongti.config.settings")
    if url.startswith("postgres"):
        ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from yigongti.platform.org.models import Community, Institution
    from yigongti.platform.registry.models import Resident
    from yigongti.platform.registry.selectors import filter_by_id_number, resident_by_id_number

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    community, _ = Community.objects.get_or_create(
        code="BENCH", defaults={"name": "基准测试医共体", "division_code": "320923"}
    )
    institution, _ = Institution.objects.get_or_create(
        code="BENCH-01",
        defaults={
            "community": community,
            "name": "基准测试卫生院",
            "type": "township_center",
            "division_code": "320923",
        },
    )
    if args.reset:
        Resident.objects.all().delete()

    # -- load -----------------------------------------------------------------------------------
    present = Resident.objects.count()
    if (
        present
        and not Resident.objects.filter(
            pk__in=filter_by_id_number(Resident.objects.all(), id_number_of(0)).values("pk")
        ).exists()
    ):
        print("已有数据无法用当前密钥检索（密钥已更换？）。请使用 --reset 重新加载。", file=sys.stderr)
        return 2
    if present >= args.residents:
        print(f"{present:,} residents present: loading skipped")
    else:
        print(f"loading residents {present:,} → {args.residents:,} (bulk_create, batches of {args.batch:,})")
        started = time.perf_counter()
        load(institution, present, args.residents, args.batch)
        print(f"loaded in {time.perf_counter() - started:.1f}s; ANALYZE")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE registry_resident")
    total = Resident.objects.count()
    loaded = min(total, args.residents)

    # -- exact lookups through the blind index ---------------------------------------------------
    rng = random.Random(args.seed)
    user = BenchUser(institution.pk)
    hits = [id_number_of(rng.randrange(loaded)) for _ in range(args.hits)]
    misses = [id_number_of(total + rng.randrange(10 * loaded)) for _ in range(args.misses)]
    plan = filter_by_id_number(Resident.objects.filter(home_institution_id=institution.pk), hits[0]).explain()
    print("query plan:", " / ".join(line.strip() for line in plan.splitlines()[:3]))
    for number in hits[:20]:  # warm the connection and the plan cache
        resident_by_id_number(user=user, id_number=number)

    def timed(numbers: list[str], expect_found: bool) -> list[float]:
        samples = []
        for number in numbers:
            began = time.perf_counter()
            found = resident_by_id_number(user=user, id_number=number)
            samples.append((time.perf_counter() - began) * 1000)
            if (found is not None) != expect_found or (found is not None and found.id_number != number):
                raise SystemExit(f"lookup of {number[:6]}… answered wrongly")
        return samples

    hit_ms, miss_ms = timed(hits, True), timed(misses, False)

    # -- the naive alternative: decrypt and scan --------------------------------------------------
    sample = min(args.sample, total)
    scans = []
    for number in hits[:3]:
        began = time.perf_counter()
        _ = [
            v
            for v in Resident.objects.values_list("id_number", flat=True)
            .order_by("pk")[:sample]
            .iterator(chunk_size=5000)
            if v == number
        ]
        scans.append((time.perf_counter() - began) * 1000)
    scan_ms = statistics.median(scans)
    per_million = scan_ms * 1_000_000 / sample

    print()
    print(f"residents in table: {total:,}   ({connection.vendor})")
    print(f"blind-index lookup, {len(hit_ms):,} registered:   {percentiles(hit_ms)}")
    print(f"blind-index lookup, {len(miss_ms):,} unregistered: {percentiles(miss_ms)}")
    all_ms = hit_ms + miss_ms
    print(f"blind-index lookup, all {len(all_ms):,}:           {percentiles(all_ms)}")
    print(
        f"decrypt-and-scan baseline: {scan_ms:,.0f} ms per lookup over {sample:,} rows "
        f"→ ≈ {per_million / 1000:,.1f} s per lookup at 1,000,000 rows (extrapolated)"
    )
    p95 = sorted(all_ms)[min(len(all_ms) - 1, round(0.95 * (len(all_ms) - 1)))]
    print(f"target p95 < 20 ms: {'met' if p95 < 20 else 'NOT met'} ({p95:.2f} ms at {total:,} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
