"""Query count of every list endpoint, at two page sizes: it must not grow with the page.

Builds a small demo county in a temporary SQLite database (or uses DATABASE_URL when set), logs in
as a superuser and requests every list route of the API at page_size=5 and page_size=100.

    .venv/bin/python benchmarks/list_query_counts.py [--residents 3000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=3000)
    args = parser.parse_args()
    os.environ.setdefault("YIGONGTI_VAR_DIR", tempfile.mkdtemp(prefix="yg-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yigongti.config.settings")
    os.environ.setdefault("YIGONGTI_FAST_HASHER", "1")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import URLPattern, URLResolver, get_resolver
    from rest_framework.test import APIClient

    from yigongti.platform.accounts.models import User

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo-county", residents=args.residents, seed=1, if_empty=True, verbosity=0)
    print(f"demo county ready in {time.perf_counter() - started:.1f}s")

    admin, _ = User.objects.get_or_create(
        username="bench_super", defaults={"is_superuser": True, "must_change_password": False}
    )
    client = APIClient()
    client.force_login(admin)

    routes: list[str] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif str(getattr(p, "name", "") or "").endswith("-list"):
                routes.append("/" + prefix + str(p.pattern).lstrip("^").rstrip("$"))

    walk(get_resolver().url_patterns, "")
    print(f"{'endpoint':48} {'rows':>6} {'q@5':>5} {'q@100':>6}  constant")
    failures = 0
    for route in sorted(set(routes)):
        if "(?P" in route or "<" in route:
            continue
        counts, rows = [], 0
        for size in (5, 100):
            client.get(route, {"page_size": size})
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(route, {"page_size": size})
            if response.status_code != 200:  # e.g. a list that needs its owner filter
                counts.append(-response.status_code)
                continue
            body = response.json()
            rows = len(body.get("results", []) if isinstance(body, dict) else body)
            counts.append(len(ctx))
        ok = counts[0] == counts[1]
        failures += 0 if ok else 1
        print(f"{route:48} {rows:>6} {counts[0]:>5} {counts[1]:>6}  {'yes' if ok else 'NO'}")
    print(f"{len(routes)} list endpoints, {failures} with a query count that grows with the page")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
