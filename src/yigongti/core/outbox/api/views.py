"""Failed tasks (re-run), outbox destinations (CRUD) and outbox messages (re-send, discard)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from yigongti.core.api.viewsets import ReadOnlyResourceViewSet, ResourceViewSet
from yigongti.core.outbox import models, services
from yigongti.core.outbox.api import serializers as s
from yigongti.core.outbox.permissions import DESTINATION, FAILED_TASK, MESSAGE

PROJECT = "后台任务"


class FailedTaskViewSet(ReadOnlyResourceViewSet):
    """重试用尽仍失败的后台任务。可按原参数重新执行（需要“全部”数据权限）。"""

    queryset = models.FailedTask.objects.all()
    serializer_class = s.FailedTaskSerializer
    permission_base = FAILED_TASK
    action_codes = {"rerun": f"{FAILED_TASK}.rerun"}
    WRITE_ACTIONS = ReadOnlyResourceViewSet.WRITE_ACTIONS | {"rerun"}
    project = PROJECT
    filterset_fields = ["resolved", "task_name", "rerunnable"]
    search_fields = ["task_name", "error"]
    ordering_fields = ["failed_at", "task_name", "rerun_count"]

    @extend_schema(request=None, responses=s.FailedTaskSerializer)
    @action(detail=True, methods=["post"], renderer_classes=[JSONRenderer])
    def rerun(self, request: Request, pk: str | None = None) -> Response:
        """按原任务名和原参数重新入队执行；成功后该记录标记为已解决。"""
        failed = services.failed_task_rerun(failed=self.get_object(), actor=request.user)
        return Response(s.FailedTaskSerializer(failed).data)


class OutboxDestinationViewSet(ResourceViewSet):
    """外发目的地（区域平台、医保、短信等外部接收方）。"""

    queryset = models.OutboxDestination.objects.all()
    serializer_class = s.OutboxDestinationSerializer
    permission_base = DESTINATION
    project = PROJECT
    import_enabled = False  # configuration with secrets: entered one by one
    filterset_fields = ["enabled"]
    search_fields = ["code", "name", "url"]
    ordering_fields = ["code", "name", "created_at"]


class OutboxMessageViewSet(ReadOnlyResourceViewSet):
    """外发消息（按目的地、按序号严格顺序送达）。内容可能含患者信息，查看计入审计。"""

    queryset = models.OutboxMessage.objects.select_related("destination")
    serializer_class = s.OutboxMessageSerializer
    permission_base = MESSAGE
    action_codes = {"retry": f"{MESSAGE}.retry", "discard": f"{MESSAGE}.discard"}
    WRITE_ACTIONS = ReadOnlyResourceViewSet.WRITE_ACTIONS | {"retry", "discard"}
    audit_reads = True
    project = PROJECT
    filterset_fields = ["destination", "status", "event", "key"]
    search_fields = ["key", "event"]
    ordering_fields = ["created_at", "sequence", "status"]

    @extend_schema(request=None, responses=s.OutboxMessageSerializer)
    @action(detail=True, methods=["post"], renderer_classes=[JSONRenderer])
    def retry(self, request: Request, pk: str | None = None) -> Response:
        """立即重发失败或已停止重试的消息（尝试次数清零）。"""
        message = services.outbox_message_retry(message=self.get_object(), actor=request.user)
        return Response(s.OutboxMessageSerializer(message).data)

    @extend_schema(request=None, responses=s.OutboxMessageSerializer)
    @action(detail=True, methods=["post"], renderer_classes=[JSONRenderer])
    def discard(self, request: Request, pk: str | None = None) -> Response:
        """作废失败或已停止重试的消息：不再发送，也不再阻塞其后的消息。"""
        message = services.outbox_message_discard(message=self.get_object(), actor=request.user)
        return Response(s.OutboxMessageSerializer(message).data)
