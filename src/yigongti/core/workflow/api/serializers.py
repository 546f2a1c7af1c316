from __future__ import annotations

from typing import Any

from django.apps import apps
from rest_framework import serializers

from yigongti.core.api.serializers import ResourceSerializer, ScopedRelatedField
from yigongti.core.workflow.declarations import Transition, Workflow
from yigongti.core.workflow.models import ApprovalSetting, TimelineEntry


class TransitionInputSerializer(serializers.Serializer[Any]):
    """The body of every action endpoint; ``data`` is validated by the transition itself."""

    comment = serializers.CharField(label="意见", required=False, allow_blank=True, default="", max_length=2000)
    attachments = serializers.ListField(
        label="附件", child=serializers.IntegerField(min_value=1), required=False, default=list, max_length=50
    )
    data = serializers.JSONField(label="数据", required=False, allow_null=True, default=None)  # type: ignore[assignment]


_REQUESTS: dict[tuple[str, str], type[serializers.Serializer[Any]]] = {}


def request_serializer(flow: type[Workflow], transition: Transition) -> type[serializers.Serializer[Any]]:
    """The documented request body of one action: ``data`` takes the transition's serializer."""
    key = (flow.code, transition.name)
    if key not in _REQUESTS:
        if transition.data_serializer is None:
            _REQUESTS[key] = TransitionInputSerializer
        else:
            camel = "".join(part.title() for part in transition.name.split("_"))
            # A data form with no required field may be left out of the request altogether.
            required = any(f.required for f in transition.data_serializer().fields.values())
            attrs = {"data": transition.data_serializer(label="数据", required=required)}
            name = f"{flow.__name__.removesuffix('Flow')}{camel}TransitionSerializer"
            _REQUESTS[key] = type(name, (TransitionInputSerializer,), attrs)
    return _REQUESTS[key]


class AvailableActionSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(label="操作编码")
    path = serializers.CharField(label="接口路径段")
    label = serializers.CharField(label="操作名称")  # type: ignore[assignment]
    requires_comment = serializers.BooleanField(label="须填写意见")
    has_data = serializers.BooleanField(label="须提交数据")


class TimelineEntrySerializer(serializers.ModelSerializer[TimelineEntry]):
    from_state_label = serializers.CharField(label="原状态名称", read_only=True)
    to_state_label = serializers.CharField(label="新状态名称", read_only=True)
    is_system = serializers.BooleanField(label="系统自动", read_only=True)
    attachments = serializers.ListField(label="附件", child=serializers.IntegerField(), read_only=True)
    data = serializers.DictField(label="数据", read_only=True)  # type: ignore[assignment]

    class Meta:
        model = TimelineEntry
        fields = [
            "id", "transition", "transition_label", "from_state", "from_state_label", "to_state", "to_state_label",
            "actor_id", "actor_name", "actor_institution_name", "is_system", "at", "comment", "attachments", "data",
        ]  # fmt: skip
        read_only_fields = fields


class ApprovalSettingSerializer(ResourceSerializer):
    institution = ScopedRelatedField(label="机构", queryset=apps.get_model("org", "Institution").objects.all())
    approver_role = ScopedRelatedField(
        label="审批角色", queryset=apps.get_model("accounts", "Role").objects.all(), required=False, allow_null=True
    )
    workflow_label = serializers.CharField(label="流程名称", read_only=True)
    step_label = serializers.CharField(label="审批环节名称", read_only=True)
    institution_name = serializers.CharField(source="institution.name", label="机构名称", read_only=True)
    approver_role_name = serializers.CharField(label="审批角色名称", read_only=True, allow_null=True)

    class Meta:
        model = ApprovalSetting
        fields = [
            "id", "workflow", "workflow_label", "step", "step_label", "institution", "institution_name", "enabled",
            "approver_role", "approver_role_name", "auto_approve", "remark", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]


class StateDefinitionSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(label="状态编码")
    label = serializers.CharField(label="状态名称")  # type: ignore[assignment]
    final = serializers.BooleanField(label="终止状态")


class TransitionDefinitionSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(label="操作编码")
    label = serializers.CharField(label="操作名称")  # type: ignore[assignment]
    source = serializers.ListField(label="允许的原状态", child=serializers.CharField())  # type: ignore[assignment]
    target = serializers.CharField(label="新状态")
    approval_step = serializers.CharField(label="审批环节", allow_null=True)
    requires_comment = serializers.BooleanField(label="须填写意见")
    system_only = serializers.BooleanField(label="仅系统执行")


class StepDefinitionSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(label="环节编码")
    label = serializers.CharField(label="环节名称")  # type: ignore[assignment]
    state = serializers.CharField(label="待审状态")


class WorkflowDefinitionSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(label="流程编码")
    label = serializers.CharField(label="流程名称")  # type: ignore[assignment]
    states = StateDefinitionSerializer(many=True)
    transitions = TransitionDefinitionSerializer(many=True)
    approval_steps = StepDefinitionSerializer(many=True)
