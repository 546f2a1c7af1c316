"""Recompute the master patient index blocking keys of every resident (after a change of the key
rules, or after names were changed with ``QuerySet.update()``), in batches."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yigongti.platform.registry.models import Resident
from yigongti.platform.registry.mpi.keys import resident_name_keys


class Command(BaseCommand):
    help = "重新计算居民主索引的姓名拼音键与首字母键"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        last, changed, total = 0, 0, 0
        while True:
            rows = list(
                Resident.objects.filter(pk__gt=last)
                .order_by("pk")
                .only("pk", "name", "sex", "mpi_name_key", "mpi_initials_key")[: options["batch"]]
            )
            if not rows:
                break
            stale = []
            for row in rows:
                keys = resident_name_keys(row.name, row.sex)
                if keys != (row.mpi_name_key, row.mpi_initials_key):
                    row.mpi_name_key, row.mpi_initials_key = keys
                    stale.append(row)
            Resident.objects.bulk_update(stale, ["mpi_name_key", "mpi_initials_key"])
            changed, total, last = changed + len(stale), total + len(rows), rows[-1].pk
        self.stdout.write(f"居民 {total} 人，更新拼音键 {changed} 人。")
