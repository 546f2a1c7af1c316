"""公告: management for publishers (``notify.announcement.*``), the visible list for everyone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from yigongti.core.api.viewsets import ResourceViewSet
from yigongti.core.errors import not_found
from yigongti.platform.notify.api import serializers_more as sm
from yigongti.platform.notify.models import Announcement, AnnouncementRead
from yigongti.platform.notify.selectors import announcements_visible
from yigongti.platform.notify.services import announcements as services

EVERYONE = frozenset({"visible", "read"})


def attachment_refs(ids: set[int]) -> dict[int, dict[str, Any]]:
    """Names and sizes of the attachments (by id) for display; downloading them goes through the
    attachment service and its own access rules."""
    if not ids:
        return {}
    from yigongti.platform.files.models import Attachment

    rows = Attachment.objects.filter(pk__in=ids, is_deleted=False).values("id", "original_name", "size", "mime_type")
    return {
        r["id"]: {"id": r["id"], "name": r["original_name"], "size": r["size"], "mime_type": r["mime_type"]}
        for r in rows
    }


class AnnouncementViewSet(ResourceViewSet):
    """公告管理 (``notify.announcement.*``, within the publisher's data scope); ``visible`` and
    ``read`` are for every signed-in user."""

    queryset = Announcement.objects.select_related("institution", "published_by").prefetch_related(
        "audience_users", "audience_roles", "audience_institutions"
    )
    serializer_class = sm.AnnouncementSerializer
    permission_base = "notify.announcement"
    action_codes = {"receipts": "notify.announcement.view"}
    project = services.PROJECT
    import_enabled = False
    filterset_fields = ["institution", "audience_all", "published_by"]
    search_fields = ["title"]
    ordering_fields = ["publish_at", "created_at"]

    def base_queryset(self) -> QuerySet[Any]:
        return (
            Announcement.objects.select_related("institution", "published_by")
            .prefetch_related("audience_users", "audience_roles", "audience_institutions")
            .annotate(read_count=Count("reads", distinct=True))
            .order_by("-publish_at", "-id")  # GROUP BY ignores Meta.ordering
        )

    def get_permissions(self) -> Sequence[Any]:
        if self.action in EVERYONE:
            return [IsAuthenticated()]
        return super().get_permissions()

    # -- writes through the announcement services (reach, sanitizing, notification) --------------
    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        created = services.announcement_create(data=dict(serializer.validated_data), actor=self.request.user)  # type: ignore[arg-type]
        serializer.instance = self.base_queryset().get(pk=created.pk)

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        assert serializer.instance is not None
        services.announcement_update(
            announcement=serializer.instance,
            data=dict(serializer.validated_data),  # type: ignore[arg-type]
            actor=self.request.user,
        )
        serializer.instance = self.base_queryset().get(pk=serializer.instance.pk)

    # -- everyone --------------------------------------------------------------------------------
    @extend_schema(responses={200: sm.VisibleAnnouncementSerializer(many=True)}, summary="我的公告（可见的公告）")
    @action(detail=False, methods=["get"], renderer_classes=[JSONRenderer])
    def visible(self, request: Request) -> Response:
        """Published, unexpired announcements addressed to me (all, my roles, my institution, me)."""
        queryset = self.filter_queryset(announcements_visible(user=request.user)).order_by("-publish_at", "-id")
        page = self.paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        refs = attachment_refs({i for a in rows for i in (a.attachment_ids or [])})
        data = sm.VisibleAnnouncementSerializer(rows, many=True, context={"attachments": refs}).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(request=None, responses={200: sm.ReceiptSerializer}, summary="标记公告已读")
    @action(detail=True, methods=["post"], renderer_classes=[JSONRenderer])
    def read(self, request: Request, pk: str | None = None) -> Response:
        """Record my read receipt (once) and mark the announcement's notification read."""
        announcement = announcements_visible(user=request.user).filter(pk=_int(pk)).first()
        if announcement is None:
            raise not_found()
        receipt = services.announcement_mark_read(announcement=announcement, user=request.user)
        return Response({"announcement": announcement.pk, "read_at": receipt.read_at})

    # -- publishers ------------------------------------------------------------------------------
    @extend_schema(responses={200: sm.AnnouncementReceiptSerializer(many=True)}, summary="阅读回执")
    @action(detail=True, methods=["get"], filter_backends=[], renderer_classes=[JSONRenderer])
    def receipts(self, request: Request, pk: str | None = None) -> Response:
        """Who has read the announcement, newest first."""
        announcement = self.get_object()
        queryset = AnnouncementRead.objects.filter(announcement=announcement).select_related(
            "user", "user__institution"
        )
        page = self.paginate_queryset(queryset)
        data = sm.AnnouncementReceiptSerializer(page if page is not None else queryset, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
