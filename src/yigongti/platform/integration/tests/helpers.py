"""Helpers for the integration tests: an API client bound to an institution, a real
token from /oauth/token/ (client-credentials grant) and an APIClient sending it."""

from __future__ import annotations

import base64
import itertools
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rest_framework.test import APIClient

from yigongti.platform.integration.models import ApiClient
from yigongti.platform.integration.services.clients import api_client_create

HL7_FIXTURES = Path(__file__).resolve().parent.parent / "hl7v2" / "fixtures"
_seq = itertools.count(1)


@dataclass
class Hospital:
    client: ApiClient
    secret: str
    token: str
    api: APIClient


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def request_token(client_id: str, secret: str, scope: str | None = None) -> Any:
    form = {"grant_type": "client_credentials"} | ({"scope": scope} if scope else {})
    return APIClient().post(
        "/oauth/token/",
        urllib.parse.urlencode(form),
        content_type="application/x-www-form-urlencoded",
        HTTP_AUTHORIZATION=basic(client_id, secret),
    )


def bearer(token: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api


def make_hospital(
    institution: Any, scopes: list[str], *, name: str = "城关镇卫生院 HIS", scope: str | None = None
) -> Hospital:
    client, secret = api_client_create(
        code=f"his-{next(_seq)}", name=name, institution=institution, scopes=scopes, actor=None
    )
    response = request_token(client.application.client_id, secret, scope)
    assert response.status_code == 200, response.content
    token = response.json()["access_token"]
    return Hospital(client=client, secret=secret, token=token, api=bearer(token))


def fixture_text(name: str) -> bytes:
    return (HL7_FIXTURES / name).read_bytes()


def post_hl7(api: APIClient, body: bytes | str, content_type: str = "application/hl7-v2") -> Any:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return api.generic("POST", "/api/v1/integration/hl7/v2", data, content_type=content_type)
