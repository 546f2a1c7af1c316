"""API clients: admin API, OAuth2 client-credentials tokens, the ClientPrincipal on the generic API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken

from yigongti.core.audit.models import AuditLog
from yigongti.core.scope import DataScope
from yigongti.core.testing.api import assert_error
from yigongti.platform.integration.models import ApiClient, ClientPrincipal
from yigongti.platform.integration.tests.helpers import bearer, request_token
from yigongti.platform.registry.models import Resident
from yigongti.platform.registry.testing import make_id_number, make_resident

pytestmark = pytest.mark.django_db
URL = "/api/v1/integration/clients"
ADMIN_CODES = [
    "integration.client.view",
    "integration.client.add",
    "integration.client.rotate",
    "integration.client.disable",
    "integration.client.enable",
    "registry.resident.view",
    "registry.resident.add",
    "registry.resident.change",
    "org.institution.view",
]


def create(world: Any, scopes: list[str], codes: list[str] | None = None, **kw: Any) -> Any:
    admin = world.client_for(codes or ADMIN_CODES)
    data = {"code": "his-chengguan", "name": "城关镇卫生院 HIS", "institution": world.home.pk, "scopes": scopes} | kw
    return admin, admin.post(URL, data, format="json")


def test_create_returns_the_secret_once_and_stores_only_its_hash(api_world: Any) -> None:
    admin, response = create(api_world, ["registry.read", "hl7.adt"])
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Cache-Control"] == "no-store"
    assert body["scopes"] == ["hl7.adt", "registry.read"]
    assert body["institution_name"] == "城关镇卫生院"
    assert len(body["client_secret"]) >= 40
    client = ApiClient.objects.get(pk=body["id"])
    assert client.application.client_id == body["client_id"]
    assert client.application.client_secret != body["client_secret"]  # hashed at rest
    assert client.service_user.has_usable_password() is False
    assert client.created_by_id == api_world.last_user.pk
    detail = admin.get(f"{URL}/{client.pk}").json()
    assert "client_secret" not in detail
    log = AuditLog.objects.get(category="create", object_type="integration.apiclient", object_id=str(client.pk))
    assert body["client_secret"] not in str(log.after)
    assert log.after["client_id"] == body["client_id"]


def test_create_refuses_unknown_scopes_and_scopes_the_admin_does_not_hold(api_world: Any) -> None:
    _, response = create(api_world, ["registry.read", "everything"])
    assert_error(response, 400, "VALIDATION_ERROR")
    _, response = create(api_world, ["registry.sensitive"])  # admin lacks registry.resident.view_sensitive
    assert_error(response, 403, "CLIENT_SCOPE_NOT_GRANTABLE")
    assert not ApiClient.objects.exists()


def test_create_for_another_institution_is_refused(api_world: Any) -> None:
    _, response = create(api_world, ["registry.read"], institution=api_world.other.pk)
    body = assert_error(response, 400, "VALIDATION_ERROR")
    assert "institution" in body["fields"]
    assert not ApiClient.objects.exists()


def test_duplicate_code_is_a_conflict(api_world: Any) -> None:
    _, first = create(api_world, ["registry.read"])
    assert first.status_code == 201
    _, second = create(api_world, ["registry.read"])
    assert_error(second, 409, "CLIENT_CODE_TAKEN")


def test_without_permission_nothing_is_created(api_world: Any) -> None:
    _, response = create(api_world, ["registry.read"], codes=["integration.client.view"])
    assert_error(response, 403, "PERMISSION_DENIED")


def test_client_credentials_token_expires_in_an_hour_and_carries_the_client_scopes(hospital_for: Any) -> None:
    hospital = hospital_for(["registry.read", "org.read"])
    response = request_token(hospital.client.application.client_id, hospital.secret)
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert set(body["scope"].split()) == {"registry.read", "org.read"}
    assert "refresh_token" not in body
    stored = AccessToken.objects.filter(application=hospital.client.application).first()
    assert stored is not None and stored.token == ""  # only the checksum is kept (RFC 9700)
    narrowed = request_token(hospital.client.application.client_id, hospital.secret, "org.read").json()
    assert narrowed["scope"] == "org.read"
    logins = AuditLog.objects.filter(log_type="user", category="login", object_id=str(hospital.client.pk))
    assert logins.count() == 3  # the fixture's token and the two above
    assert logins.first().user_name == "城关镇卫生院 HIS"  # type: ignore[union-attr]
    assert logins.first().institution_id == hospital.client.institution_id  # type: ignore[union-attr]
    assert body["access_token"] not in str(list(logins.values_list("content", flat=True)))


def test_token_requests_that_must_fail(hospital_for: Any) -> None:
    hospital = hospital_for(["registry.read"])
    client_id = hospital.client.application.client_id
    assert request_token(client_id, "wrong-secret").status_code == 401
    beyond = request_token(client_id, hospital.secret, "registry.write")
    assert beyond.status_code == 400
    assert beyond.json()["error"] == "invalid_scope"


def test_bearer_principal_sees_only_its_institution_through_the_generic_api(api_world: Any, hospital_for: Any) -> None:
    mine = make_resident(api_world.home)
    other = make_resident(api_world.other)
    api = hospital_for(["registry.read"]).api
    rows = api.get("/api/v1/registry/residents", {"page_size": 100}).json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]
    assert rows[0]["id_number"] != mine.id_number  # masked without registry.sensitive
    assert_error(api.get(f"/api/v1/registry/residents/{other.pk}"), 404, "NOT_FOUND")
    assert_error(api.get("/api/v1/org/institutions"), 403, "PERMISSION_DENIED")  # no org.read


def test_scopes_are_enforced_and_writes_are_audited_as_the_client(api_world: Any, hospital_for: Any) -> None:
    data = {"id_number": make_id_number(dt.date(1966, 6, 6), 11), "name": "赵六", "home_institution": api_world.home.pk}
    reader = hospital_for(["registry.read"])
    assert_error(reader.api.post("/api/v1/registry/residents", data, format="json"), 403, "PERMISSION_DENIED")
    writer = hospital_for(["registry.write"], name="城关镇卫生院公卫系统")
    response = writer.api.post("/api/v1/registry/residents", data, format="json")
    assert response.status_code == 201, response.content
    resident = Resident.objects.get(pk=response.json()["id"])
    assert resident.created_by_id == writer.client.service_user_id
    log = AuditLog.objects.get(category="create", object_type="registry.resident", object_id=str(resident.pk))
    assert log.user_name == "城关镇卫生院公卫系统"
    assert log.user_code == writer.client.service_user.username
    assert log.institution_id == api_world.home.pk
    elsewhere = data | {"id_number": make_id_number(dt.date(1967, 7, 7), 12), "home_institution": api_world.other.pk}
    assert writer.api.post("/api/v1/registry/residents", elsewhere, format="json").status_code in (400, 403)


def test_expired_or_unknown_tokens_are_refused(hospital_for: Any) -> None:
    hospital = hospital_for(["registry.read"])
    assert hospital.api.get("/api/v1/registry/residents").status_code == 200
    # Saved one by one so the token cache hears of it (a bulk update() would wait out the cache's TTL).
    for token in AccessToken.objects.filter(application=hospital.client.application):
        token.expires = timezone.now() - dt.timedelta(seconds=1)
        token.save(update_fields=["expires"])
    assert_error(hospital.api.get("/api/v1/registry/residents"), 401, "AUTHENTICATION_FAILED")
    assert_error(bearer("not-a-token").get("/api/v1/registry/residents"), 401, "AUTHENTICATION_FAILED")


def test_rotate_secret_revokes_tokens_and_the_old_secret(api_world: Any, hospital_for: Any) -> None:
    hospital = hospital_for(["registry.read"])
    admin = api_world.client_for(ADMIN_CODES)
    response = admin.post(f"{URL}/{hospital.client.pk}/rotate-secret")
    assert response.status_code == 200, response.content
    new_secret = response.json()["client_secret"]
    assert new_secret and new_secret != hospital.secret
    assert_error(hospital.api.get("/api/v1/registry/residents"), 401, "AUTHENTICATION_FAILED")
    client_id = hospital.client.application.client_id
    assert request_token(client_id, hospital.secret).status_code == 401
    assert request_token(client_id, new_secret).status_code == 200
    assert AuditLog.objects.filter(
        category="update", object_id=str(hospital.client.pk), content__contains="重置"
    ).exists()


def test_disable_stops_tokens_and_new_tokens_and_enable_restores(api_world: Any, hospital_for: Any) -> None:
    hospital = hospital_for(["registry.read"])
    admin = api_world.client_for(ADMIN_CODES)
    assert admin.post(f"{URL}/{hospital.client.pk}/disable").json()["enabled"] is False
    assert_error(hospital.api.get("/api/v1/registry/residents"), 401, "AUTHENTICATION_FAILED")
    client_id = hospital.client.application.client_id
    assert request_token(client_id, hospital.secret).status_code == 401
    assert_error(admin.post(f"{URL}/{hospital.client.pk}/disable"), 409, "CLIENT_ALREADY_DISABLED")
    assert admin.post(f"{URL}/{hospital.client.pk}/enable").json()["enabled"] is True
    assert request_token(client_id, hospital.secret).status_code == 200


def test_other_institutions_clients_are_invisible(api_world: Any, hospital_for: Any) -> None:
    theirs = hospital_for(["registry.read"], institution=api_world.other)
    admin = api_world.client_for(ADMIN_CODES)
    assert admin.get(URL).json()["count"] == 0
    assert_error(admin.post(f"{URL}/{theirs.client.pk}/disable"), 404, "NOT_FOUND")
    assert ApiClient.objects.get(pk=theirs.client.pk).enabled


def test_scope_catalogue(api_world: Any) -> None:
    rows = api_world.client_for(["integration.client.view"]).get(f"{URL}/scopes").json()
    scopes = {row["scope"]: row for row in rows}
    assert scopes["hl7.adt"]["permission_codes"] == ["integration.hl7.submit"]
    assert "registry.resident.view_sensitive" in scopes["registry.sensitive"]["permission_codes"]


def test_principal_protocol(api_world: Any, hospital_for: Any) -> None:
    hospital = hospital_for(["fhir.read"])
    principal = ClientPrincipal.for_client(hospital.client, scopes=["fhir.read", "registry.write"])
    assert principal.is_authenticated and principal.granted_scopes == frozenset({"fhir.read"})
    assert principal.has_code("org.staff.view") and not principal.has_code("registry.resident.add")
    ctx = principal.scope_context()
    assert ctx.institution_ids == frozenset({api_world.home.pk}) and not ctx.all
    assert principal.audit_identity()["name"] == "城关镇卫生院 HIS"
    assert DataScope.INSTITUTION  # the same data scope a 本机构 user gets
