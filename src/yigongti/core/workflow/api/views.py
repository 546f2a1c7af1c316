"""Approval settings (审批设置) as a generic resource, and the declared workflows for the console."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from yigongti.core.api.permissions import ActionPermission
from yigongti.core.api.viewsets import ResourceViewSet
from yigongti.core.workflow.api.serializers import ApprovalSettingSerializer, WorkflowDefinitionSerializer
from yigongti.core.workflow.models import ApprovalSetting
from yigongti.core.workflow.registry import workflows

PROJECT = "流程引擎"


class ApprovalSettingViewSet(ResourceViewSet):
    queryset = ApprovalSetting.objects.select_related("institution", "approver_role")
    serializer_class = ApprovalSettingSerializer
    permission_base = "workflow.approval_setting"
    project = PROJECT
    filterset_fields = ["workflow", "step", "institution", "enabled", "auto_approve"]
    search_fields = ["workflow", "step", "institution__name"]
    ordering_fields = ["workflow", "step", "institution", "updated_at"]


class WorkflowDefinitionViewSet(viewsets.ViewSet):
    """The declared workflows with their states, transitions and approval steps (read-only)."""

    permission_classes = [ActionPermission]
    action_codes = {"list": "workflow.approval_setting.view"}

    @extend_schema(summary="已声明的流程", responses={200: WorkflowDefinitionSerializer(many=True)})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows = [
            {
                "code": flow.code,
                "label": flow.label or flow.code,
                "states": [{"code": s.code, "label": s.label, "final": s.final} for s in flow.states],
                "transitions": [
                    {
                        "name": t.name,
                        "label": t.label,
                        "source": list(t.source),
                        "target": t.target,
                        "approval_step": t.approval_step,
                        "requires_comment": t.requires_comment,
                        "system_only": t.system_only,
                    }
                    for t in flow.transitions
                ],
                "approval_steps": [{"code": s.code, "label": s.label, "state": s.state} for s in flow.approval_steps],
            }
            for flow in workflows()
        ]
        return Response(WorkflowDefinitionSerializer(rows, many=True).data)
