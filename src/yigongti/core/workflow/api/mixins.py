"""``WorkflowActionsMixin``: a center's viewset gets its workflow endpoints from the declaration.

    class ReferralViewSet(WorkflowActionsMixin, ResourceViewSet):
        workflow = ReferralFlow
        queryset = ...; serializer_class = ReferralSerializer; permission_base = "referral.referral"

adds, next to the resource routes:

* ``GET  {id}/actions``  — the transitions the current user may perform now (``{base}.view``);
* ``GET  {id}/timeline`` — the record's timeline rows (``{base}.view``);
* ``POST {id}/{transition-name}`` for every transition a person may perform (``submit``,
  ``receiver-approve``…), body ``{comment, attachments, data}``, answering the record as the
  viewset serializes it. Each is a real ``@action`` generated when the class is defined, so the
  router, the permission check (the transition's code) and the OpenAPI document all see it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from yigongti.core.errors import not_found
from yigongti.core.workflow.api.serializers import (
    AvailableActionSerializer,
    TimelineEntrySerializer,
    TransitionInputSerializer,
    request_serializer,
)
from yigongti.core.workflow.declarations import Transition, Workflow
from yigongti.core.workflow.selectors import available_transitions, timeline
from yigongti.core.workflow.services import workflow_transition


def _describe(flow: type[Workflow], transition: Transition) -> str:
    sources = "、".join(flow.state_label(s) for s in transition.source)
    parts = [f"{sources} → {flow.state_label(transition.target)}。需要权限 `{transition.permission}`。"]
    if transition.requires_comment:
        parts.append("必须填写意见（comment）。")
    if transition.approval_step:
        parts.append(f"属于审批环节“{flow.step(transition.approval_step).label}”，机构可设置审批角色或免审。")
    parts.append("状态不符返回 409 INVALID_STATE；不满足条件返回 400 WORKFLOW_REFUSED。")
    return "".join(parts)


def _make_action(flow: type[Workflow], transition: Transition, attr: str, response: Any) -> Any:
    def handler(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.perform_transition(request, transition.name)

    handler.__name__ = handler.__qualname__ = attr
    handler.__doc__ = transition.label
    routed = action(detail=True, methods=["post"], url_path=transition.path, url_name=f"wf-{transition.path}")(handler)
    return extend_schema(
        summary=transition.label,
        description=_describe(flow, transition),
        request=request_serializer(flow, transition),
        responses={200: response},
    )(routed)


class WorkflowActionsMixin:
    workflow: ClassVar[type[Workflow] | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        flow = cls.workflow
        if flow is None:
            return
        codes: dict[str, str] = dict(getattr(cls, "action_codes", {}) or {})
        base = getattr(cls, "permission_base", "")
        if base:
            codes.setdefault("workflow_actions", f"{base}.view")
            codes.setdefault("workflow_timeline", f"{base}.view")
        response = getattr(cls, "serializer_class", None) or OpenApiTypes.OBJECT
        for transition in flow.transitions:
            if transition.system_only:
                continue
            attr = f"wf_{transition.name}"
            setattr(cls, attr, _make_action(flow, transition, attr, response))
            codes[attr] = str(transition.permission)
        cls.action_codes = codes  # type: ignore[attr-defined]

    # -- helpers a center may call or override ---------------------------------------------
    def workflow_object(self) -> Any:
        """The record through the viewset's scoped queryset; outsiders get the same 404 as a
        missing id ("记录不存在或无权访问。")."""
        try:
            return self.get_object()  # type: ignore[attr-defined]
        except Http404:
            raise not_found() from None

    def perform_transition(self, request: Request, name: str) -> Response:
        view: Any = self
        obj = self.workflow_object()
        body = TransitionInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        result = workflow_transition(
            obj,
            name,
            actor=request.user,
            comment=values["comment"],
            attachments=values["attachments"],
            data=values["data"],
            workflow=self.workflow,
        )
        # The record may have left the actor's list (e.g. handed to the other institution).
        fresh = view.get_queryset().filter(pk=result.pk).first() or result
        return Response(view.get_serializer(fresh).data)

    @extend_schema(summary="当前可执行的操作", responses={200: AvailableActionSerializer(many=True)})
    @action(
        detail=True,
        methods=["get"],
        url_path="actions",
        pagination_class=None,
        filter_backends=[],
        renderer_classes=[JSONRenderer],
    )
    def workflow_actions(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.workflow_object()
        rows = [
            {
                "name": t.name,
                "path": t.path,
                "label": t.label,
                "requires_comment": t.requires_comment,
                "has_data": t.data_serializer is not None,
            }
            for t in available_transitions(obj, request.user, workflow=self.workflow)
        ]
        return Response(AvailableActionSerializer(rows, many=True).data)

    @extend_schema(summary="流转记录", responses={200: TimelineEntrySerializer(many=True)})
    @action(
        detail=True,
        methods=["get"],
        url_path="timeline",
        pagination_class=None,
        filter_backends=[],
        renderer_classes=[JSONRenderer],
    )
    def workflow_timeline(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.workflow_object()
        rows = timeline(obj, workflow=self.workflow)
        return Response(TimelineEntrySerializer(rows, many=True).data)
