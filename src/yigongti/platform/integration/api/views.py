"""Admin API of the integration app: API clients, inbound messages, regional sync runs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from yigongti.core.api.viewsets import ReadOnlyResourceViewSet
from yigongti.core.audit.choices import Category, LogType
from yigongti.core.audit.services import AuditEntry, audit_write
from yigongti.core.errors import BusinessError
from yigongti.core.jobs import enqueue_on_commit
from yigongti.platform.integration import error_codes, models
from yigongti.platform.integration.api import serializers as s
from yigongti.platform.integration.permissions import CLIENT, MESSAGE, SYNC
from yigongti.platform.integration.scopes import SCOPES
from yigongti.platform.integration.services import clients, inbound

PROJECT = "系统集成"


def client_scopes_data() -> list[dict[str, Any]]:
    return [{"scope": k, "description": v[0], "permission_codes": list(v[1])} for k, v in SCOPES.items()]


class ApiClientViewSet(ReadOnlyResourceViewSet):
    """接口客户端：医院信息系统以 OAuth2 客户端凭证方式调用平台接口，每个客户端绑定一个机构和一组授权范围。"""

    queryset = models.ApiClient.objects.select_related("institution", "application")
    serializer_class = s.ApiClientSerializer
    permission_base = CLIENT
    action_codes = {
        "create": f"{CLIENT}.add",
        "rotate_secret": f"{CLIENT}.rotate",
        "disable": f"{CLIENT}.disable",
        "enable": f"{CLIENT}.enable",
        "scopes": f"{CLIENT}.view",
    }
    WRITE_ACTIONS = ReadOnlyResourceViewSet.WRITE_ACTIONS | {"rotate_secret", "disable", "enable"}
    project = PROJECT
    filterset_fields = ["institution", "enabled"]
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name", "created_at"]

    def _secret_response(self, client: models.ApiClient, secret: str, code: int) -> Response:
        data = s.ApiClientSecretSerializer(client, context={"client_secret": secret}).data
        return Response(data, status=code, headers={"Cache-Control": "no-store"})

    @extend_schema(request=s.ApiClientCreateSerializer, responses={201: s.ApiClientSecretSerializer})
    def create(self, request: Request) -> Response:
        """新建接口客户端。响应中的 client_secret 只显示这一次，请立即保存。"""
        form = s.ApiClientCreateSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        client, secret = clients.api_client_create(**form.validated_data, actor=request.user)
        return self._secret_response(client, secret, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.ApiClientSecretSerializer})
    @action(detail=True, methods=["post"], url_path="rotate-secret", renderer_classes=[JSONRenderer])
    def rotate_secret(self, request: Request, pk: str | None = None) -> Response:
        """重置密钥：旧密钥和已签发的访问令牌立即失效；新密钥只显示这一次。"""
        client, secret = clients.api_client_rotate_secret(client=self.get_object(), actor=request.user)
        return self._secret_response(client, secret, status.HTTP_200_OK)

    @extend_schema(request=None, responses={200: s.ApiClientSerializer})
    @action(detail=True, methods=["post"], renderer_classes=[JSONRenderer])
    def disable(self, request: Request, pk: str | None = None) -> Response:
        """停用：不能再获取令牌，已签发的令牌立即失效。"""
        client = clients.api_client_disable(client=self.get_object(), actor=request.user)
        return Response(s.ApiClientSerializer(client).data)

    @extend_schema(request=None, responses={200: s.ApiClientSerializer})
    @action(detail=True, methods=["post"], renderer_classes=[JSONRenderer])
    def enable(self, request: Request, pk: str | None = None) -> Response:
        client = clients.api_client_enable(client=self.get_object(), actor=request.user)
        return Response(s.ApiClientSerializer(client).data)

    @extend_schema(responses={200: s.ScopeSerializer(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None, renderer_classes=[JSONRenderer])
    def scopes(self, request: Request) -> Response:
        """可授予接口客户端的授权范围及其对应的权限。"""
        return Response(client_scopes_data())


class InboundMessageViewSet(ReadOnlyResourceViewSet):
    """入站消息：收到即原样保存，再处理；失败的消息保留错误信息，可重新处理。"""

    queryset = models.InboundMessage.objects.select_related("client")
    serializer_class = s.InboundMessageSerializer
    permission_base = MESSAGE
    action_codes = {"retry": f"{MESSAGE}.retry", "payload": f"{MESSAGE}.view_sensitive"}
    WRITE_ACTIONS = ReadOnlyResourceViewSet.WRITE_ACTIONS | {"retry"}
    audit_reads = True
    project = PROJECT
    filterset_fields = ["client", "institution", "protocol", "status", "message_type", "control_id", "retryable"]
    search_fields = ["control_id", "message_type", "sender", "error"]
    ordering_fields = ["created_at", "status", "attempts"]

    @extend_schema(request=None, responses={200: s.InboundMessageSerializer})
    @action(detail=True, methods=["post"], renderer_classes=[JSONRenderer])
    def retry(self, request: Request, pk: str | None = None) -> Response:
        """重新处理一条失败的消息（以发送该消息的接口客户端身份写入）。"""
        outcome = inbound.inbound_retry(message=self.get_object(), actor=request.user)
        return Response(s.InboundMessageSerializer(outcome.message).data)

    @extend_schema(request=None, responses={200: s.InboundPayloadSerializer})
    @action(detail=True, methods=["post"], renderer_classes=[JSONRenderer])
    def payload(self, request: Request, pk: str | None = None) -> Response:
        """查看原始报文（含身份证号等敏感信息）：需要“查看原始报文”权限，每次调用记一条业务日志。"""
        message = self.get_object()
        audit_write(
            AuditEntry(
                log_type=LogType.BUSINESS,
                category=Category.REVEAL,
                action="integration.inboundmessage.payload",
                project=PROJECT,
                object_type="integration.inboundmessage",
                object_id=str(message.pk),
                object_repr=str(message)[:200],
                content=f"查看入站消息 #{message.pk} 的原始报文",
            )
        )
        return Response({"id": message.pk, "payload": message.payload})


class SyncRunViewSet(ReadOnlyResourceViewSet):
    """区域平台（全民健康信息平台）同步记录；可立即触发一次同步。"""

    queryset = models.SyncRun.objects.all()
    serializer_class = s.SyncRunSerializer
    permission_base = SYNC
    action_codes = {"run": f"{SYNC}.run"}
    project = PROJECT
    filterset_fields = ["status", "trigger"]
    ordering_fields = ["started_at"]

    @extend_schema(request=None, responses={202: s.SyncQueuedSerializer})
    @action(detail=False, methods=["post"], renderer_classes=[JSONRenderer])
    def run(self, request: Request) -> Response:
        """立即在后台执行一次同步（结果见同步记录）。"""
        from yigongti.platform.integration.tasks import regional_sync_now

        if not settings.REGIONAL_SYNC.get("BASE_URL"):
            raise BusinessError(error_codes.SYNC_NOT_CONFIGURED, "未配置区域平台地址（YIGONGTI_REGIONAL_FHIR_URL）。")
        enqueue_on_commit(regional_sync_now)
        return Response({"queued": True, "message": "已提交后台同步任务。"}, status=status.HTTP_202_ACCEPTED)
