"""收件箱, 发件箱, the unread count and 消息管理 (all messages in the administrator's scope)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yigongti.core.api.viewsets import ReadOnlyResourceViewSet
from yigongti.platform.notify.api import serializers as s
from yigongti.platform.notify.choices import InboxFilter
from yigongti.platform.notify.models import Message, MessageRecipient
from yigongti.platform.notify.selectors import UNHANDLED, UNREAD, outbox_queryset, unread_count, with_counts
from yigongti.platform.notify.services import inbox as inbox_services


class InboxFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=InboxFilter.choices, method="filter_status", label="范围")
    type = django_filters.CharFilter(field_name="message__type__code", label="消息类型编码")
    group = django_filters.CharFilter(field_name="message__type__group__code", label="分组编码")
    sent_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte", label="发送时间起")
    sent_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt", label="发送时间止")

    class Meta:
        model = MessageRecipient
        fields = ["status", "type", "group", "sent_after", "sent_before"]

    def filter_status(self, queryset: QuerySet[MessageRecipient], name: str, value: str) -> QuerySet[MessageRecipient]:
        if value == InboxFilter.UNREAD:
            return queryset.filter(UNREAD)
        if value == InboxFilter.UNHANDLED:
            return queryset.filter(UNHANDLED)
        return queryset


class InboxViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """收件箱: the requesting user's own messages; ``?status=all|unread|unhandled``."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    serializer_class = s.InboxItemSerializer
    filterset_class = InboxFilterSet
    search_fields = ["message__title", "message__body", "message__sender_name"]
    ordering_fields = ["created_at", "read_at", "handled_at"]

    def get_queryset(self) -> QuerySet[MessageRecipient]:
        user = self.request.user
        if not user.is_authenticated:
            return MessageRecipient.objects.none()
        return MessageRecipient.objects.filter(user_id=user.pk, deleted=False).select_related(
            "message", "message__type", "message__type__group", "message__content_type", "handled_by"
        )

    def _answer(self, row: MessageRecipient) -> Response:
        return Response(s.InboxItemSerializer(row, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses={200: s.InboxItemSerializer}, summary="标记已读")
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        return self._answer(inbox_services.inbox_read(user=request.user, recipient_id=pk))

    @extend_schema(request=None, responses={200: s.InboxItemSerializer}, summary="处理消息")
    @action(detail=True, methods=["post"])
    def handle(self, request: Request, pk: str | None = None) -> Response:
        return self._answer(inbox_services.inbox_handle(user=request.user, recipient_id=pk))

    @extend_schema(request=None, responses={200: s.UpdatedCountSerializer}, summary="全部标记已读")
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        return Response({"updated": inbox_services.inbox_read_all(user=request.user)})

    @extend_schema(request=None, responses={204: None}, summary="删除（仅从自己的收件箱移除）")
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        inbox_services.inbox_delete(user=request.user, recipient_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OutboxFilterSet(django_filters.FilterSet):
    type = django_filters.CharFilter(field_name="type__code", label="消息类型编码")
    group = django_filters.CharFilter(field_name="type__group__code", label="分组编码")
    sent_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte", label="发送时间起")
    sent_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt", label="发送时间止")

    class Meta:
        model = Message
        fields = ["type", "group", "sent_after", "sent_before"]


class OutboxViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """发件箱: messages the requesting user sent (by hand or through their business actions)."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    serializer_class = s.MessageSerializer
    filterset_class = OutboxFilterSet
    search_fields = ["title", "body"]
    ordering_fields = ["created_at"]

    def get_queryset(self) -> QuerySet[Message]:
        user = self.request.user
        if not user.is_authenticated:
            return Message.objects.none()
        return outbox_queryset(user=user).select_related("content_type")

    @extend_schema(request=s.MessageSendSerializer, responses={201: s.MessageSerializer}, summary="手工发送消息")
    def create(self, request: Request) -> Response:
        data = s.MessageSendSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        message = inbox_services.message_send(
            sender=request.user,
            message_type=data.validated_data["type"],
            recipients=data.validated_data["recipients"],
            context=data.validated_data.get("context") or {},
        )
        fresh = self.get_queryset().get(pk=message.pk)
        return Response(s.MessageSerializer(fresh).data, status=status.HTTP_201_CREATED)


class UnreadCountView(APIView):
    """The badge: send ``X-Passive-Request: 1`` when polling so it does not count as activity."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]

    @extend_schema(responses={200: s.UnreadCountSerializer}, summary="未读消息数")
    def get(self, request: Request) -> Response:
        return Response({"count": unread_count(int(request.user.pk or 0))})


class MessageFilterSet(OutboxFilterSet):
    class Meta:
        model = Message
        fields = ["type", "group", "sender", "institution", "urgent", "must_handle", "sent_after", "sent_before"]


class MessageViewSet(ReadOnlyResourceViewSet):
    """消息管理: every message in the administrator's data scope, by type and group."""

    queryset = with_counts(Message.objects.select_related("type", "type__group", "content_type"))
    serializer_class = s.MessageSerializer
    permission_base = "notify.message"
    project = "消息与通知"
    filterset_class = MessageFilterSet
    search_fields = ["title", "body", "sender_name"]
    ordering_fields = ["created_at"]

    def base_queryset(self) -> QuerySet[Any]:
        return with_counts(Message.objects.select_related("type", "type__group", "content_type"))
