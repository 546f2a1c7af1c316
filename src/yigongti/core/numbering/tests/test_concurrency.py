"""Concurrent callers of next_number get distinct, consecutive numbers.

Each thread is one "request": its own database connection, one transaction, closed at the end.

* PostgreSQL: 200 requests in the test process. PostgreSQL allows 100 connections in all (shared
  with other test runs), so at most ``NUMBERING_DB_CONCURRENCY`` (default 40) of the 200 threads
  hold a connection at once; all 200 are released together by a barrier.
* SQLite: 20 requests in a subprocess against a file database with the production settings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from yigongti.core.numbering.models import NumberRule, NumberSequence
from yigongti.core.numbering.services import next_number
from yigongti.core.numbering.tests._concurrency import run_concurrently
from yigongti.platform.testing import make_community, make_institution


def _assert_consecutive(results: list[str], errors: list[Any], n: int, last_value: int) -> None:
    assert not errors, errors[:3]
    assert len(results) == n
    assert len(set(results)) == n
    prefix = results[0].rsplit("-", 1)[0]
    assert sorted(results) == [f"{prefix}-{i:04d}" for i in range(1, n + 1)]
    assert last_value == n


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_200_concurrent_requests_get_200_consecutive_numbers_on_postgresql() -> None:
    NumberRule.objects.create(code="referral", name="转诊单号", prefix="ZZ", include_institution_code=True)
    hospital = make_institution(make_community(), code="3209230001", name="县人民医院")
    limit = int(os.environ.get("NUMBERING_DB_CONCURRENCY", "40"))
    results, errors = run_concurrently(200, limit, lambda: next_number("referral", institution=hospital))
    assert results[0].startswith("ZZ-3209230001-")
    _assert_consecutive(results, errors, 200, NumberSequence.objects.get().last_value)


def test_20_concurrent_requests_on_a_sqlite_file_database(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "yigongti.config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'numbering.sqlite3'}",
        "YIGONGTI_VAR_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "yigongti.core.numbering.tests._concurrency", "20"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["vendor"] == "sqlite"
    assert report["options"]["transaction_mode"] == "IMMEDIATE"
    assert "busy_timeout" in report["options"]["init_command"]
    _assert_consecutive(report["numbers"], report["errors"], 20, report["last_value"])
