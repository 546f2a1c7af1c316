"""Acceptance: a dispatcher killed (SIGKILL) in the middle of a batch loses nothing.

A fake receiver on 127.0.0.1 answers 200 after 50 ms and records every Idempotency-Key. Sixty
messages are published; a dispatcher process (``yigongti outbox-dispatch --once``) is killed after
the receiver has seen about 20 requests; a new one drains the rest once the dead one's lease
has expired. Every message must arrive, each key exactly once after de-duplication, the first
arrivals in sequence order, and every row must end ``delivered``.

The processes share a real database: a temporary SQLite file (WAL) by default, or — when the
suite runs on PostgreSQL — pytest's PostgreSQL test database (committed rows: transaction=True).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from yigongti.core.outbox.testing import FakeReceiver

HERE = Path(__file__).resolve().parent
MESSAGES = 60
KILL_AFTER = 20


def _database_url(tmp_path: Path) -> str:
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return f"sqlite:///{tmp_path / 'crash.sqlite3'}"


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "yigongti.config.settings",
        "DATABASE_URL": _database_url(tmp_path),
        "YIGONGTI_VAR_DIR": str(tmp_path),
        "YIGONGTI_OUTBOX_LEASE_SECONDS": "1",  # lease = 1 s + the destination's 2 s timeout
        "YIGONGTI_OUTBOX_RETRY_BASE_SECONDS": "0.2",  # a timeout on a loaded machine retries soon
        "HUEY_IMMEDIATE": "0",
        "REDIS_URL": "",
    }


def _run(args: list[str], env: dict[str, str], timeout: float = 60) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-4000:])
    return done.stdout


def _dispatcher(*options: str) -> list[str]:
    return [str(Path(sys.executable).with_name("yigongti")), "outbox-dispatch", *options]


def _messages(tmp_path: Path) -> list[dict[str, Any]]:
    sql = "SELECT key, sequence, status, attempts FROM outbox_outboxmessage ORDER BY sequence"
    if connection.vendor == "postgresql":  # the same database as this process's test database
        with connection.cursor() as cursor:
            cursor.execute(sql)
            found = cursor.fetchall()
    else:
        with closing(sqlite3.connect(tmp_path / "crash.sqlite3")) as db:
            found = db.execute(sql).fetchall()
    return [dict(zip(("key", "sequence", "status", "attempts"), row, strict=True)) for row in found]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_killed_dispatcher_loses_nothing_and_keeps_order(tmp_path: Path) -> None:
    env = _env(tmp_path)
    helper = [sys.executable, str(HERE / "crash_helper.py")]
    with FakeReceiver(delay=0.05) as receiver:
        prepared = json.loads(_run([*helper, "prepare", receiver.url, str(MESSAGES)], env).splitlines()[-1])
        assert prepared == {"published": MESSAGES, "vendor": connection.vendor}

        # 1. a dispatcher starts the batch and is killed in the middle of it
        first = subprocess.Popen(
            _dispatcher("--once", "--batch", "100"), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 20
        while receiver.count() < KILL_AFTER and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.005)
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=10)
        seen_at_kill = receiver.count()
        assert first.returncode == -signal.SIGKILL
        assert KILL_AFTER <= seen_at_kill < MESSAGES, seen_at_kill

        # 2. a new dispatcher finishes the work once the dead one's lease has expired
        _run(_dispatcher("--drain", "--batch", "100", "--interval", "0.2", "--timeout", "30"), env)
        rows = _messages(tmp_path)

    keys = receiver.keys()
    expected = [f"crash-{i:03d}" for i in range(MESSAGES)]
    # every message reached the receiver; after de-duplication each key exactly once
    assert sorted(set(keys)) == expected
    duplicates = len(keys) - len(set(keys))
    # each resend was a counted attempt (the request in flight at the kill, or a timeout)
    assert 0 <= duplicates <= sum(r["attempts"] for r in rows) - MESSAGES
    # per destination, the first arrivals follow the sequence order
    firsts = receiver.first_arrivals()
    assert [r.sequence for r in firsts] == list(range(1, MESSAGES + 1))
    assert [r.key for r in firsts] == expected
    assert firsts[0].json() == {"n": 0, "文本": "转诊"}
    # and the database agrees: all delivered, in the same order
    assert [(r["key"], r["sequence"]) for r in rows] == list(zip(expected, range(1, MESSAGES + 1), strict=True))
    assert {r["status"] for r in rows} == {"delivered"}
    print(f"killed after {seen_at_kill} requests; {len(keys)} requests in all, {duplicates} duplicate(s)")
