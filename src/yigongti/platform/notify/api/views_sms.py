"""短信明细 (masked phone numbers), manual sending and the summary (guide §3.7.6)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Count, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yigongti.core.api.viewsets import ReadOnlyResourceViewSet
from yigongti.platform.notify.api import serializers_more as sm
from yigongti.platform.notify.choices import SmsStatus
from yigongti.platform.notify.models import SmsMessage
from yigongti.platform.notify.services.sms_manual import sms_send_manual


class SmsFilterSet(django_filters.FilterSet):
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte", label="创建时间起")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt", label="创建时间止")

    class Meta:
        model = SmsMessage
        fields = ["status", "provider", "institution", "user", "message", "created_after", "created_before"]


class SmsMessageViewSet(ReadOnlyResourceViewSet):
    queryset = SmsMessage.objects.select_related("user", "institution")
    serializer_class = sm.SmsMessageSerializer
    permission_base = "notify.sms"
    action_codes = {"send": "notify.sms.send", "summary": "notify.sms.view"}
    project = "消息与通知"
    filterset_class = SmsFilterSet
    search_fields = ["text", "provider_message_id"]
    ordering_fields = ["created_at", "scheduled_at", "sent_at"]

    @extend_schema(request=sm.SmsSendSerializer, responses={201: sm.SmsSendResultSerializer}, summary="手工发送短信")
    @action(detail=False, methods=["post"])
    def send(self, request: Request) -> Response:
        data = sm.SmsSendSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        queued, skipped = sms_send_manual(actor=request.user, **data.validated_data)
        return Response({"queued": queued, "skipped": skipped}, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: sm.SmsSummarySerializer}, summary="短信发送汇总")
    @action(detail=False, methods=["get"])
    def summary(self, request: Request) -> Response:
        queryset: QuerySet[Any] = self.filter_queryset(self.get_queryset())
        counts = dict(queryset.order_by().values_list("status").annotate(n=Count("id")))
        rows = [
            {"status": value, "status_display": str(label), "count": counts.get(value, 0)}
            for value, label in SmsStatus.choices
        ]
        return Response({"total": sum(counts.values()), "by_status": rows})
