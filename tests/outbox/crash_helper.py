"""Run by tests/outbox/test_crash.py in its own process, against the database in DATABASE_URL.

    python tests/outbox/crash_helper.py prepare <receiver-url> <count>

``prepare`` applies the outbox migrations (a fresh SQLite file; a migrated PostgreSQL test
database is left as it is), creates the destination and publishes ``count`` messages, one
transaction each. ``report`` prints the messages as JSON.
"""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yigongti.config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from yigongti.core.outbox.models import OutboxDestination
    from yigongti.core.outbox.services import outbox_publish

    command = sys.argv[1]
    if command == "prepare":
        url, count = sys.argv[2], int(sys.argv[3])
        executor = MigrationExecutor(connection)  # no post-migrate hooks: only the outbox tables
        executor.migrate(executor.loader.graph.leaf_nodes("outbox"))
        OutboxDestination.objects.create(code="fake", name="测试接收方", url=url, timeout_seconds=2, max_attempts=5)
        for i in range(count):
            outbox_publish(
                destination="fake", event="test.crash", payload={"n": i, "文本": "转诊"}, key=f"crash-{i:03d}"
            )
        print(json.dumps({"published": count, "vendor": connection.vendor}))
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main()
