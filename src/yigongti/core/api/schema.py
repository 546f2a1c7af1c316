"""OpenAPI generation details shared by the resource viewsets."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import PolymorphicProxySerializer


class ResourceAutoSchema(AutoSchema):
    """A list that also answers ``?brief=1`` documents both item shapes."""

    def get_response_serializers(self) -> Any:
        view = self.view
        brief = getattr(view, "brief_serializer_class", None)
        if getattr(view, "action", None) == "list" and brief is not None:
            full = getattr(view, "serializer_class")  # noqa: B009 — APIView stubs lack it
            return PolymorphicProxySerializer(
                component_name=f"{full.__name__.removesuffix('Serializer')}OrBrief",
                serializers=[full, brief],
                resource_type_field_name=None,
                many=True,
            )
        return super().get_response_serializers()
