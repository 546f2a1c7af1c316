"""Concurrent next_number calls: the thread runner used by the tests, and a script that runs it
against a file SQLite database with the production settings (WAL, IMMEDIATE transactions,
busy_timeout) — pytest's own SQLite test database is a shared-cache in-memory database, which
fails concurrent writers with "database table is locked" whatever the settings.

    DATABASE_URL=sqlite:////tmp/x/n.sqlite3 YIGONGTI_VAR_DIR=/tmp/x \\
        python -m yigongti.core.numbering.tests._concurrency 20
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Callable


def run_concurrently(requests: int, limit: int, call: Callable[[], str]) -> tuple[list[str], list[BaseException]]:
    """``requests`` threads start together; each opens its own connection, runs ``call`` in one
    transaction and closes the connection. At most ``limit`` hold a connection at once."""
    from django.db import connection, transaction

    results: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    gate = threading.BoundedSemaphore(limit)
    barrier = threading.Barrier(requests)

    def request() -> None:
        try:
            barrier.wait(timeout=60)
            with gate:
                try:
                    with transaction.atomic():
                        number = call()
                    with lock:
                        results.append(number)
                finally:
                    connection.close()
        except BaseException as exc:
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=request) for _ in range(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results, errors


def migrate(*app_labels: str) -> None:
    """Apply the migrations of ``app_labels`` (and what they depend on), without post-migrate hooks."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([leaf for label in app_labels for leaf in executor.loader.graph.leaf_nodes(label)])
    connection.close()


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yigongti.config.settings")
    import django

    django.setup()
    from django.db import connection

    from yigongti.core.numbering.models import NumberRule, NumberSequence
    from yigongti.core.numbering.services import next_number

    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    migrate("numbering")
    NumberRule.objects.create(code="lab", name="检验条码", prefix="TM", include_institution_code=False)
    connection.close()
    results, errors = run_concurrently(requests, requests, lambda: next_number("lab"))
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "options": connection.settings_dict.get("OPTIONS", {}),
                "numbers": results,
                "errors": [repr(e) for e in errors],
                "last_value": NumberSequence.objects.get().last_value,
            }
        )
    )


if __name__ == "__main__":
    main()
