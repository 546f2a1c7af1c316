"""Benchmark: generate the demo county with 200,000 residents on a fresh SQLite file.

    .venv/bin/python benchmarks/demo_county.py [--residents 200000] [--seed 2026] [--keep]

Creates a temporary var directory (secrets + SQLite database), migrates it, then times
``generate_county`` — the function behind ``yigongti demo-county`` — and prints the total time,
residents per second and the split between organisation, accounts and residents. Target: 200,000
residents in under 120 s on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and print its path")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="yg-bench-demo-"))
    db_file = var_dir / "bench.sqlite3"
    os.environ["YIGONGTI_VAR_DIR"] = str(var_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "yigongti.config.settings"
    src = Path(__file__).resolve().parent.parent / "src"
    if str(src) not in sys.path:
        sys.path.insert(0, str(src))

    import django

    django.setup()
    from django.core.management import call_command

    from yigongti.demo.generator import generate_county

    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        migrate_seconds = time.perf_counter() - started

        started, cpu_before = time.perf_counter(), os.times()
        report = generate_county(residents=args.residents, seed=args.seed)
        total = time.perf_counter() - started
        cpu_after = os.times()
        cpu = (cpu_after.user - cpu_before.user) + (cpu_after.system - cpu_before.system)

        t = report.timings
        rate = args.residents / t["residents"] if t["residents"] else 0.0
        print(
            f"demo county benchmark — Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs"
        )
        print(f"  migrate (not counted)   {migrate_seconds:8.2f} s")
        print(f"  organisation            {t['org']:8.2f} s  ({report.counts['institutions']} institutions, "
              f"{report.counts['departments']} departments, {report.counts['staff']} staff, {report.counts['beds']} beds)")  # fmt: skip
        print(f"  accounts                {t['users']:8.2f} s  ({report.counts['users']} users)")
        print(
            f"  residents               {t['residents']:8.2f} s  ({args.residents} residents, {rate:,.0f} residents/s)"
        )
        print(f"  audit + commit          {total - t['org'] - t['users'] - t['residents']:8.2f} s")
        print(f"  TOTAL                   {total:8.2f} s  ({args.residents / total:,.0f} residents/s overall)")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(
            f"  CPU time of this process {cpu:7.2f} s  (wall > CPU when other work shares the cores; load {load:.1f})"
        )
        size = sum(f.stat().st_size for f in var_dir.glob(db_file.name + "*"))
        print(f"  database (+WAL)         {size / 1e6:8.1f} MB")
        print("  target: 200,000 residents < 120 s —", "met" if args.residents < 200_000 or total < 120 else "NOT met")
    finally:
        if args.keep:
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
