"""Acceptance (issue 2, SEC-02): after the demo county is generated, neither the SQLite file nor the
PostgreSQL tables hold any resident's ID number or phone in plaintext — in any table, including the
audit log and the registry's blind indexes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

from yigongti.demo.generator import generate_county
from yigongti.platform.registry.models import Resident

pytestmark = pytest.mark.django_db


def _database_text() -> Iterator[str]:
    """Every row of every table of the database, as text."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            yield from connection.connection.iterdump()
            return
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT t::text FROM "{table}" AS t')  # table names come from the catalogue
            for (row,) in cursor.fetchall():
                yield row


def test_demo_county_stores_no_plaintext_id_number_or_phone() -> None:
    generate_county(residents=300, seed=11, staff_accounts=False)
    residents = list(Resident.objects.all())
    assert len(residents) == 300
    secrets = {r.id_number for r in residents} | {r.phone for r in residents if r.phone}
    assert len(secrets) > 500  # decrypting through the ORM works, so the values exist
    dump = "\n".join(_database_text())
    leaked = sorted(s for s in secrets if s in dump)
    assert leaked == [], f"{len(leaked)} plaintext values found, e.g. {leaked[:3]}"
    # and the ciphertext is there instead
    assert dump.count("sm4gcm1:") >= 3 * 300 - 10
