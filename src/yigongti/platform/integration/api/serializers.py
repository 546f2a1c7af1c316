from __future__ import annotations

from typing import Any

from rest_framework import serializers

from yigongti.core.api.serializers import ScopedRelatedField
from yigongti.platform.integration import models
from yigongti.platform.integration.scopes import SCOPES
from yigongti.platform.org.models import Institution


class ApiClientSerializer(serializers.ModelSerializer[models.ApiClient]):
    institution_name = serializers.CharField(source="institution.name", label="机构名称", read_only=True)
    client_id = serializers.CharField(source="application.client_id", label="客户端 ID", read_only=True)
    scopes = serializers.ListField(child=serializers.CharField(), label="授权范围", read_only=True)

    class Meta:
        model = models.ApiClient
        fields = [
            "id", "code", "name", "institution", "institution_name", "client_id", "scopes", "enabled", "description",
            "secret_rotated_at", "disabled_at", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class ApiClientCreateSerializer(serializers.Serializer[Any]):
    code = serializers.SlugField(label="客户端编码", max_length=50, help_text="字母、数字、连字符，如 his-chengguan")
    name = serializers.CharField(label="客户端名称", max_length=100)
    institution = ScopedRelatedField(label="所属机构", queryset=Institution.objects.all())
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=[(k, v[0]) for k, v in SCOPES.items()]),
        label="授权范围",
        allow_empty=False,
    )
    description = serializers.CharField(label="说明", max_length=200, required=False, allow_blank=True, default="")


class ApiClientSecretSerializer(ApiClientSerializer):
    """The client with its secret: returned only by create and rotate-secret, never again."""

    client_secret = serializers.SerializerMethodField(label="客户端密钥（仅显示一次）")

    class Meta(ApiClientSerializer.Meta):
        fields = [*ApiClientSerializer.Meta.fields, "client_secret"]
        read_only_fields = fields

    def get_client_secret(self, obj: models.ApiClient) -> str:
        return str(self.context.get("client_secret", ""))


class ScopeSerializer(serializers.Serializer[Any]):
    scope = serializers.CharField(label="授权范围")
    description = serializers.CharField(label="说明")
    permission_codes = serializers.ListField(child=serializers.CharField(), label="对应权限")


class InboundMessageSerializer(serializers.ModelSerializer[models.InboundMessage]):
    client_name = serializers.CharField(source="client.name", label="接口客户端", read_only=True, allow_null=True)
    status_display = serializers.CharField(source="get_status_display", label="状态名称", read_only=True)
    protocol_display = serializers.CharField(source="get_protocol_display", label="协议名称", read_only=True)

    class Meta:
        model = models.InboundMessage
        fields = [
            "id", "client", "client_name", "institution", "protocol", "protocol_display", "message_type", "control_id",
            "sender", "status", "status_display", "error_code", "error", "retryable", "attempts", "next_attempt_at",
            "processed_at", "response", "result", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class InboundPayloadSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    payload = serializers.CharField(label="原始报文")


class SyncRunSerializer(serializers.ModelSerializer[models.SyncRun]):
    status_display = serializers.CharField(source="get_status_display", label="状态名称", read_only=True)
    trigger_display = serializers.CharField(source="get_trigger_display", label="触发方式名称", read_only=True)
    counts = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()), label="数量统计", read_only=True
    )
    error_details = serializers.ListField(
        source="errors", child=serializers.DictField(child=serializers.CharField()), label="错误明细（资源、原因）"
    )

    class Meta:
        model = models.SyncRun
        fields = [
            "id", "started_at", "finished_at", "status", "status_display", "trigger", "trigger_display", "base_url",
            "counts", "error_details", "error",
        ]  # fmt: skip
        read_only_fields = fields


class SyncQueuedSerializer(serializers.Serializer[Any]):
    queued = serializers.BooleanField()
    message = serializers.CharField()
