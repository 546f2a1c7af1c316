"""SEC-02 at rest: after residents are created, read, searched, changed and revealed through the
API, no table — the resident table and the audit log above all — holds an ID number or a phone
number in plaintext. Reads the raw rows with ``connection.cursor()`` (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection

from yigongti.core.audit.models import AuditLog
from yigongti.platform.registry.models import Resident

URL = "/api/v1/registry/residents"
PEOPLE = [
    ("360426199101010071", "13800000000", "江西省某县某乡幸福村12号"),
    ("120103198806018241", "13912345678", "天津市河西区友谊路88号"),
    ("11010519491231002X", "025-84561234", "北京市东城区东四十条9号"),
]
LEGACY = ("320102800101001", "320102198001010016", "13700001111")


def raw_rows(table: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        return cursor.fetchall()


def text_of(value: Any) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def secrets() -> list[str]:
    values = [v for number, phone, _ in PEOPLE for v in (number, number.lower(), phone, phone.replace("-", ""))]
    return [*values, LEGACY[0], LEGACY[1], LEGACY[2]]


@pytest.mark.django_db
def test_no_id_number_or_phone_in_plaintext_anywhere(api_world: Any) -> None:
    client = api_world.client_for(
        [f"registry.resident.{a}" for a in ("view", "add", "change", "delete", "view_sensitive")]
    )
    ids = []
    for number, phone, address in PEOPLE:
        data = {
            "id_number": number,
            "name": "居民",
            "home_institution": api_world.home.pk,
            "phone": phone,
            "address": address,
        }
        response = client.post(URL, data, format="json")
        assert response.status_code == 201, response.content
        ids.append(response.json()["id"])
    legacy = client.post(
        URL, {"id_number": LEGACY[0], "name": "旧证", "home_institution": api_world.home.pk}, format="json"
    )
    assert legacy.status_code == 201
    client.patch(f"{URL}/{legacy.json()['id']}", {"phone": LEGACY[2]}, format="json")
    for pk in ids:
        client.get(f"{URL}/{pk}")
        assert client.post(f"{URL}/{pk}/reveal").status_code == 200
    client.get(URL, {"id_number": PEOPLE[0][0]})
    client.get(URL, {"phone": PEOPLE[1][1]})
    client.delete(f"{URL}/{ids[2]}")
    assert AuditLog.objects.filter(object_type="registry.resident").count() >= 12

    # The resident table itself: ciphertext and 64-hex blind indexes only.
    columns = [
        c.name for c in connection.introspection.get_table_description(connection.cursor(), Resident._meta.db_table)
    ]
    resident_rows = raw_rows(Resident._meta.db_table)
    assert len(resident_rows) == 3
    for row in resident_rows:
        record = dict(zip(columns, row, strict=True))
        assert record["id_number"].startswith("sm4gcm1:")
        assert record["phone"].startswith("sm4gcm1:")
        assert record["address"] == "" or record["address"].startswith("sm4gcm1:")
        assert len(record["id_number_bidx"]) == 64 and len(record["phone_bidx"]) == 64

    audit_rows = raw_rows(AuditLog._meta.db_table)
    assert audit_rows
    tables = connection.introspection.table_names()
    assert Resident._meta.db_table in tables and AuditLog._meta.db_table in tables
    for table in tables:
        for row in raw_rows(table):
            cells = " | ".join(text_of(cell) for cell in row)
            for secret in secrets():
                assert secret not in cells, f"{table} holds {secret[:3]}… in plaintext"
            for _, _, address in PEOPLE:
                assert address not in cells, f"{table} holds an address in plaintext"
