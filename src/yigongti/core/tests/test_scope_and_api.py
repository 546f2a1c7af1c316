"""Data-scope filters, the health endpoint and the error shape."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from yigongti.core.scope import ScopeContext, ScopeSpec, scope_q
from yigongti.core.tasks import record_heartbeat


def test_scope_all_means_no_filter() -> None:
    assert scope_q(ScopeSpec(institution="institution_id"), ScopeContext(all=True)) is None


def test_empty_context_matches_nothing() -> None:
    q = scope_q(ScopeSpec(institution="institution_id"), ScopeContext())
    assert q is not None and "pk__in" in str(q)


def test_shared_rows_are_readable_but_not_writable() -> None:
    spec = ScopeSpec(institution="institution_id", shared="institution__isnull")
    read, write = (
        scope_q(spec, ScopeContext(institution_ids=frozenset({3}))),
        scope_q(spec, ScopeContext(institution_ids=frozenset({3})), for_write=True),
    )
    assert "institution__isnull" in str(read) and "institution__isnull" not in str(write)


def test_self_scope_uses_owner_and_staff() -> None:
    q = scope_q(ScopeSpec(owner="created_by_id", staff="doctor_id"), ScopeContext(user_id=7, staff_id=9))
    assert "('created_by_id', 7)" in str(q) and "('doctor_id', 9)" in str(q)


@pytest.mark.django_db
def test_health_reports_database_and_worker() -> None:
    client = APIClient()
    body = client.get("/api/v1/health").json()
    assert body["database"]["ok"] is True
    assert body["worker"]["ok"] is False and body["status"] == "degraded"
    record_heartbeat("test-worker")
    body = client.get("/api/v1/health").json()
    assert body["worker"] == {"ok": True, "last_seen": body["worker"]["last_seen"], "name": "test-worker"}
    assert body["status"] == "ok"


@pytest.mark.django_db
def test_unknown_api_path_answers_in_the_error_shape(api_world: Any) -> None:
    response = APIClient().get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"code": "NOT_FOUND", "message": "接口不存在。", "fields": {}}


@pytest.mark.django_db
def test_malformed_json_is_a_chinese_400(api_world: Any) -> None:
    client = api_world.client_for(["org.department.add"])
    response = client.post("/api/v1/org/departments", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "PARSE_ERROR"


@pytest.mark.django_db
def test_api_documents_are_for_logged_in_users_only(api_world: Any) -> None:
    anonymous = APIClient()
    assert anonymous.get("/api/schema/").status_code == 401
    assert anonymous.get("/api/docs/").status_code == 401
    client = api_world.client_for([])
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
