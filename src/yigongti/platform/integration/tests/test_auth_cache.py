"""The per-process bearer-token cache: a repeated token costs no query; revocation still bites."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from oauth2_provider.models import AccessToken

from yigongti.platform.integration import token_cache
from yigongti.platform.integration.services.clients import (
    api_client_disable,
    api_client_rotate_secret,
)
from yigongti.platform.integration.tests.helpers import bearer

URL = "/api/v1/registry/residents"


@pytest.fixture(autouse=True)
def _empty_cache(settings: Any) -> Iterator[None]:
    settings.INTEGRATION_TOKEN_CACHE_TTL = 60  # the production default, whatever the test settings say
    token_cache.clear()
    yield
    token_cache.clear()


def _queries(api: Any) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(URL)
    assert response.status_code == 200, response.content
    return response.status_code, [q["sql"] for q in captured.captured_queries]


def _auth_queries(sqls: list[str]) -> list[str]:
    tables = ("oauth2_provider_accesstoken", "integration_apiclient", "accounts_user")
    return [sql for sql in sqls if any(f'FROM "{t}"' in sql for t in tables)]


def test_a_repeated_token_is_resolved_without_queries(hospital_for: Any) -> None:
    hospital = hospital_for(["registry.read"])
    _, first = _queries(hospital.api)
    _, second = _queries(hospital.api)
    assert len(_auth_queries(first)) == 3
    assert _auth_queries(second) == []
    assert len(second) == 1  # the scoped count of residents, nothing else
    assert token_cache.size() == 1


def test_the_cache_key_is_a_hash_never_the_token(hospital_for: Any) -> None:
    hospital = hospital_for(["registry.read"])
    _queries(hospital.api)
    assert list(token_cache._entries) == [token_cache.token_key(hospital.token)]
    assert hospital.token not in token_cache._entries


def test_each_request_gets_its_own_principal_copy(hospital_for: Any) -> None:
    hospital = hospital_for(["registry.read"])
    _queries(hospital.api)
    hit, again = token_cache.lookup(hospital.token), token_cache.lookup(hospital.token)
    assert hit is not None and again is not None
    (first, token), (second, _) = hit, again
    assert first is not second
    assert first.pk == second.pk == hospital.client.service_user_id
    assert first.granted_scopes == frozenset({"registry.read"})
    assert token.token_checksum == token_cache.token_key(hospital.token)


def test_disabling_the_client_takes_effect_at_once(hospital_for: Any) -> None:
    hospital = hospital_for(["registry.read"])
    _queries(hospital.api)
    api_client_disable(client=hospital.client, actor=None)
    assert token_cache.size() == 0
    assert hospital.api.get(URL).status_code == 401


def test_rotating_the_secret_takes_effect_at_once(hospital_for: Any) -> None:
    hospital = hospital_for(["registry.read"])
    _queries(hospital.api)
    api_client_rotate_secret(client=hospital.client, actor=None)
    assert hospital.api.get(URL).status_code == 401


def test_deactivating_the_service_account_takes_effect_at_once(hospital_for: Any) -> None:
    hospital = hospital_for(["registry.read"])
    _queries(hospital.api)
    user = hospital.client.service_user
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert token_cache.size() == 0
    assert hospital.api.get(URL).status_code == 401


def test_a_token_saved_with_an_earlier_expiry_is_dropped(hospital_for: Any) -> None:
    hospital = hospital_for(["registry.read"])
    _queries(hospital.api)
    token = AccessToken.objects.get(token_checksum=token_cache.token_key(hospital.token))
    token.expires = timezone.now() - dt.timedelta(seconds=1)
    token.save(update_fields=["expires"])
    assert hospital.api.get(URL).status_code == 401


def test_other_clients_entries_survive_a_change(hospital_for: Any) -> None:
    hospital = hospital_for(["registry.read"])
    other = hospital_for(["registry.read"], name="另一家 HIS")
    _queries(hospital.api)
    _queries(other.api)
    api_client_disable(client=hospital.client, actor=None)
    assert token_cache.size() == 1
    _, again = _queries(other.api)
    assert _auth_queries(again) == []


def test_an_entry_expires_after_the_ttl(hospital_for: Any) -> None:
    hospital = hospital_for(["registry.read"])
    _queries(hospital.api)
    entry = token_cache._entries[token_cache.token_key(hospital.token)]
    assert token_cache.lookup(hospital.token, now=entry.expires_at - 1) is not None
    assert token_cache.lookup(hospital.token, now=entry.expires_at) is None
    assert token_cache.size() == 0


def test_an_entry_never_outlives_its_token(hospital_for: Any) -> None:
    hospital = hospital_for(["registry.read"])
    token = AccessToken.objects.get(token_checksum=token_cache.token_key(hospital.token))
    AccessToken.objects.filter(pk=token.pk).update(expires=timezone.now() + dt.timedelta(seconds=5))
    _queries(hospital.api)
    entry = token_cache._entries[token_cache.token_key(hospital.token)]
    fresh = AccessToken.objects.get(pk=token.pk)
    assert entry.expires_at == fresh.expires.timestamp()


@override_settings(INTEGRATION_TOKEN_CACHE_TTL=0)
def test_a_zero_ttl_disables_the_cache(hospital_for: Any) -> None:
    hospital = hospital_for(["registry.read"])
    _queries(hospital.api)
    _, second = _queries(hospital.api)
    assert token_cache.size() == 0
    assert len(_auth_queries(second)) == 3


def test_an_unknown_token_is_refused_and_not_cached(hospital_for: Any) -> None:
    assert bearer("not-a-token").get(URL).status_code == 401
    assert token_cache.size() == 0
