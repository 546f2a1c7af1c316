"""Bearer tokens of hospital systems (OAuth2 client credentials).

``ClientTokenAuthentication`` verifies the token with django-oauth-toolkit (expiry, revocation)
and makes ``request.user`` the ``ClientPrincipal`` of the token's API client: permission codes
from the token's scopes, data scope = the client's institution, audit actor = the client.
Listed after the console session authentication in ``REST_FRAMEWORK``.

A verified token is remembered per process for a short time (``token_cache``): a repeated token
costs no query until its entry expires or the client/token/service account changes.
"""

from __future__ import annotations

from typing import Any

from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import exceptions
from rest_framework.request import Request

from yigongti.platform.integration import token_cache
from yigongti.platform.integration.models import ApiClient, ClientPrincipal

INVALID_TOKEN = "访问令牌无效或已过期，请重新获取。"
CLIENT_DISABLED = "该接口客户端已停用。"


def bearer_present(request: Request) -> bool:
    return str(request.META.get("HTTP_AUTHORIZATION", "")).lower().startswith("bearer ")


class ClientTokenAuthentication(OAuth2Authentication):
    www_authenticate_realm = "yigongti"

    def authenticate(self, request: Request) -> tuple[ClientPrincipal, Any] | None:
        if not bearer_present(request):
            return None
        raw_token = str(request.META["HTTP_AUTHORIZATION"])[7:].strip()
        cached = token_cache.lookup(raw_token) if raw_token else None
        if cached is not None:
            return cached
        result = super().authenticate(request)
        if result is None:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN)
        _, token = result
        client = (
            ApiClient.objects.select_related("institution").filter(application_id=token.application_id).first()
            if token.application_id
            else None
        )
        if client is None:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN)
        if not client.enabled:
            raise exceptions.AuthenticationFailed(CLIENT_DISABLED)
        principal = ClientPrincipal.for_client(client, scopes=token.scopes.keys())
        if not principal.is_active:
            raise exceptions.AuthenticationFailed(CLIENT_DISABLED)
        token_cache.store(raw_token, principal, token)
        return principal, token
