"""Fixtures shared by every test in the project."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def api_world(db: Any) -> Any:
    from yigongti.platform.testing import build_world

    return build_world()


@pytest.fixture(autouse=True)
def _openapi_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    """Validate every JSON response of the API against the OpenAPI document (conventions §7)."""
    from rest_framework.test import APIClient

    from yigongti.core.testing.contract import validate_response

    original = APIClient.request

    def checked(self: APIClient, **request: Any) -> Any:
        response = original(self, **request)
        content_type = response.get("Content-Type", "")
        if "json" in content_type and response.content:
            validate_response(
                request["REQUEST_METHOD"], request["PATH_INFO"], response.status_code, content_type, response.json()
            )
        return response

    monkeypatch.setattr(APIClient, "request", checked)
