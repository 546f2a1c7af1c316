"""The example's API: a generic resource plus the workflow mixin — nothing else."""

from __future__ import annotations

from django.apps import apps
from rest_framework import serializers

from tests.workflow_example.flows import LeaveFlow
from tests.workflow_example.models import LeaveRequest
from yigongti.core.api.serializers import ResourceSerializer, ScopedRelatedField
from yigongti.core.api.viewsets import ResourceViewSet
from yigongti.core.workflow.api.mixins import WorkflowActionsMixin


class LeaveRequestSerializer(ResourceSerializer):
    institution = ScopedRelatedField(label="机构", queryset=apps.get_model("org", "Institution").objects.all())
    owner = serializers.HiddenField(default=serializers.CurrentUserDefault())
    owner_name = serializers.CharField(source="owner.name", label="申请人", read_only=True)
    status_display = serializers.CharField(source="get_status_display", label="状态名称", read_only=True)

    class Meta:
        model = LeaveRequest
        fields = [
            "id", "institution", "owner", "owner_name", "title", "days", "status", "status_display", "start_at",
            "handover_to", "submitted_at", "reviewed_at", "arranged_at", "closed_at",
        ]  # fmt: skip
        read_only_fields = [
            "status", "start_at", "handover_to", "submitted_at", "reviewed_at", "arranged_at", "closed_at",
        ]  # fmt: skip


class LeaveRequestViewSet(WorkflowActionsMixin, ResourceViewSet):
    workflow = LeaveFlow
    queryset = LeaveRequest.objects.select_related("institution", "owner")
    serializer_class = LeaveRequestSerializer
    permission_base = "workflow_example.leave"
    project = "流程示例"
    import_enabled = False
