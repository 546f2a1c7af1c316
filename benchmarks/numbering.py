"""Throughput of the business-number generator (``core.numbering.services.next_number``).

Each call is one transaction (UPDATE … SET last_value = last_value + 1, read back, commit), the way
a request issues a number. Three runs on PostgreSQL:

* 1 thread, one shared counter;
* 16 threads, all on the same counter (worst case: every caller waits for the row lock);
* 16 threads, one counter per institution (the usual case: per-institution rules).

Every run checks that the numbers it issued are distinct and consecutive.

    DATABASE_URL=postgres://root@127.0.0.1:5432/yigongti_bench_numbering \\
        .venv/bin/python benchmarks/numbering.py --calls 2000

The database is created when missing; only the numbering tables (and what they depend on) are
migrated. Each run uses fresh rules, so repeated runs do not interfere.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

DEFAULT_URL = "postgres://root@127.0.0.1:5432/yigongti_bench_numbering"


def ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = psycopg.conninfo.conninfo_to_dict(url).get("dbname")
    if not name:
        raise SystemExit("DATABASE_URL 中缺少数据库名")
    with psycopg.connect(psycopg.conninfo.make_conninfo(url, dbname="postgres"), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yigongti.config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("numbering"))


def bare_commit_rate(url: str, n: int = 300) -> float:
    """UPDATE … + 1 and COMMIT of one row through psycopg alone: the ceiling set by the server's
    commit (fsync) latency, measured in the same run for comparison."""
    import psycopg

    table = f"bench_probe_{uuid.uuid4().hex[:8]}"  # a logged table: TEMP tables skip the WAL fsync
    with psycopg.connect(url) as conn:
        conn.execute(f"CREATE TABLE {table} (id int PRIMARY KEY, v bigint)")
        conn.execute(f"INSERT INTO {table} VALUES (1, 0)")
        conn.commit()
        try:
            started = time.perf_counter()
            for _ in range(n):
                conn.execute(f"UPDATE {table} SET v = v + 1 WHERE id = 1")
                conn.commit()
            return n / (time.perf_counter() - started)
        finally:
            conn.execute(f"DROP TABLE {table}")
            conn.commit()


def make_rule(per_institution: bool) -> str:
    from yigongti.core.numbering.models import NumberRule

    code = f"bench-{uuid.uuid4().hex[:10]}"
    NumberRule.objects.create(
        code=code,
        name="基准测试",
        prefix="BM",
        include_institution_code=per_institution,
        date_part="none",
        reset="never",
        width=9,
    )
    return code


def make_institutions(n: int) -> list[Any]:
    from yigongti.platform.org.models import Community, Institution

    tag = uuid.uuid4().hex[:6]
    community = Community.objects.create(code=f"BM{tag}", name=f"基准医共体{tag}", division_code="320923")
    common = {"community": community, "type": "township_center", "division_code": "320923"}
    return [Institution.objects.create(code=f"B{tag}{i:02d}", name=f"基准卫生院{tag}{i}", **common) for i in range(n)]


def run(threads: int, calls: int, issue: Callable[[int], str]) -> tuple[float, list[str]]:
    """``threads`` threads, ``calls`` numbers in all; returns (seconds, numbers)."""
    from django.db import connection, transaction

    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads + 1)
    per_thread = calls // threads

    def work(index: int) -> None:
        mine = []
        try:
            barrier.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    mine.append(issue(index))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()
            with lock:
                numbers.extend(mine)

    pool = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"errors: {errors[:3]}")
    return elapsed, numbers


def check(numbers: list[str], groups: int) -> None:
    assert len(set(numbers)) == len(numbers), "duplicate numbers"
    by_prefix: dict[str, list[int]] = {}
    for n in numbers:
        head, _, tail = n.rpartition("-")
        by_prefix.setdefault(head, []).append(int(tail))
    assert len(by_prefix) == groups, by_prefix.keys()
    for values in by_prefix.values():
        assert sorted(values) == list(range(1, len(values) + 1)), "gap in a counter"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="numbers issued per run (default 2000)")
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith("postgres"):
        raise SystemExit("需要 PostgreSQL：DATABASE_URL=postgres://…")
    ensure_database(url)
    setup_django(url)
    from django.db import connection

    from yigongti.core.numbering.services import next_number

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        print(cursor.fetchone()[0].split(",")[0], f"— {os.cpu_count()} CPUs")
        cursor.execute("SHOW synchronous_commit")
        sync = cursor.fetchone()[0]
    print(f"load average {os.getloadavg()[0]:.1f}; synchronous_commit={sync}")
    print(f"baseline, bare UPDATE+COMMIT:   {bare_commit_rate(url):8.0f} commits/s (psycopg, 1 connection)")
    threads, calls = args.threads, args.calls - args.calls % args.threads

    next_number(make_rule(per_institution=False))  # warm up (connection, caches)
    shared = make_rule(per_institution=False)
    seconds, numbers = run(1, calls, lambda i: next_number(shared))
    check(numbers, 1)
    print(f"1 thread, 1 counter:            {calls / seconds:8.0f} numbers/s  ({calls} in {seconds:.2f} s)")

    contended = make_rule(per_institution=False)
    seconds, numbers = run(threads, calls, lambda i: next_number(contended))
    check(numbers, 1)
    print(f"{threads} threads, 1 shared counter:   {calls / seconds:8.0f} numbers/s  ({calls} in {seconds:.2f} s)")

    per_institution = make_rule(per_institution=True)
    hospitals = make_institutions(threads)
    seconds, numbers = run(threads, calls, lambda i: next_number(per_institution, institution=hospitals[i]))
    check(numbers, threads)
    print(
        f"{threads} threads, {threads} counters:       {calls / seconds:8.0f} numbers/s  ({calls} in {seconds:.2f} s)"
    )
    print("all numbers distinct and consecutive per counter")


if __name__ == "__main__":
    main()
