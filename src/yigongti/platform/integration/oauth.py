"""django-oauth-toolkit hooks: only the client-credentials grant, only for enabled API clients,
and only the scopes each client was given (requesting more is ``invalid_scope``)."""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes

from yigongti.platform.integration.scopes import scope_labels


def _client_scopes(application: Any) -> list[str]:
    from yigongti.platform.integration.models import ApiClient

    if application is None:
        return []
    client = ApiClient.objects.filter(application_id=application.pk, enabled=True).only("scopes").first()
    return list(client.scopes or []) if client is not None else []


class ClientScopes(BaseScopes):
    """Per-client scopes: a token may carry any subset of its client's scopes (all by default)."""

    def get_all_scopes(self) -> dict[str, str]:
        return scope_labels()

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return _client_scopes(application)

    def get_default_scopes(self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any) -> list[str]:
        return _client_scopes(application)


class ClientCredentialsValidator(OAuth2Validator):
    def authenticate_client(self, request: Any, *args: Any, **kwargs: Any) -> bool:
        from yigongti.platform.integration.models import ApiClient

        if not super().authenticate_client(request, *args, **kwargs):
            return False
        return ApiClient.objects.filter(application_id=request.client.pk, enabled=True).exists()

    def validate_grant_type(
        self, client_id: str, grant_type: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        if grant_type != "client_credentials":
            return False
        return bool(super().validate_grant_type(client_id, grant_type, client, request, *args, **kwargs))
