from __future__ import annotations

import json
from typing import Any

from rest_framework import serializers

from yigongti.core.api.serializers import ResourceSerializer
from yigongti.core.outbox import models


class FailedTaskSerializer(serializers.ModelSerializer[Any]):
    class Meta:
        model = models.FailedTask
        fields = [
            "id", "task_name", "task_id", "args", "kwargs", "rerunnable", "error", "traceback", "failed_at",
            "retries_used", "rerun_at", "rerun_count", "rerun_by", "resolved", "resolved_at",
        ]  # fmt: skip
        read_only_fields = fields


class OutboxDestinationSerializer(ResourceSerializer):
    headers = serializers.DictField(
        label="附加请求头",
        child=serializers.CharField(allow_blank=True),
        required=False,
        write_only=True,
        help_text='如 {"Authorization": "Bearer …"}；加密保存，读取时只返回名称。',
    )
    header_names = serializers.SerializerMethodField(label="附加请求头名称")

    class Meta:
        model = models.OutboxDestination
        fields = [
            "id", "code", "name", "url", "headers", "header_names", "enabled", "max_attempts", "timeout_seconds",
            "description", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]

    def get_header_names(self, obj: models.OutboxDestination) -> list[str]:
        return sorted(obj.header_dict())

    def to_internal_value(self, data: Any) -> Any:
        attrs = super().to_internal_value(data)
        if "headers" in attrs:
            attrs["headers"] = (
                json.dumps(attrs["headers"], ensure_ascii=False, sort_keys=True) if attrs["headers"] else ""
            )
        return attrs


class OutboxMessageSerializer(serializers.ModelSerializer[Any]):
    destination_code = serializers.CharField(source="destination.code", label="目的地编码", read_only=True)
    destination_name = serializers.CharField(source="destination.name", label="目的地名称", read_only=True)
    status_display = serializers.CharField(source="get_status_display", label="状态名称", read_only=True)

    class Meta:
        model = models.OutboxMessage
        fields = [
            "id", "destination", "destination_code", "destination_name", "key", "event", "payload", "sequence",
            "status", "status_display", "attempts", "next_attempt_at", "last_attempt_at", "last_error",
            "response_status", "created_at", "delivered_at",
        ]  # fmt: skip
        read_only_fields = fields
