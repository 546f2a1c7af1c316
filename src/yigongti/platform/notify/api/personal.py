"""A viewset over the requesting user's own rows (subscriptions, contact groups): no permission
code, every query limited to ``owner_field = request.user``, writes through the generic services
(one transaction, validation, audit)."""

from __future__ import annotations

from typing import Any

from django.db import models
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer

from yigongti.core.crud import resource_create, resource_delete, resource_update


class PersonalViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    owner_field = "user"
    project = "消息与通知"

    def get_queryset(self) -> models.QuerySet[Any]:
        assert self.queryset is not None
        user = self.request.user
        if not user.is_authenticated:
            return self.queryset.none()
        return self.queryset.filter(**{f"{self.owner_field}_id": user.pk})

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        resource_create(
            serializer=serializer, user=self.request.user, visible=self.get_queryset(), project=self.project
        )

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        resource_update(
            serializer=serializer, user=self.request.user, visible=self.get_queryset(), project=self.project
        )

    def perform_destroy(self, instance: models.Model) -> None:
        resource_delete(instance=instance, user=self.request.user, project=self.project)
