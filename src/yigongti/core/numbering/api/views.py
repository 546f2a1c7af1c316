"""Number rules: a platform-wide resource, plus a preview of the next number."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from yigongti.core.api.viewsets import ResourceViewSet
from yigongti.core.numbering import models
from yigongti.core.numbering.api import serializers as s
from yigongti.core.numbering.permissions import RULE
from yigongti.core.numbering.services import preview_number


class NumberRuleViewSet(ResourceViewSet):
    """编号规则（转诊单号、条码、批次号等）。全平台共用；修改需要“全部”数据权限。"""

    queryset = models.NumberRule.objects.all()
    serializer_class = s.NumberRuleSerializer
    brief_serializer_class = s.NumberRuleBriefSerializer
    permission_base = RULE
    action_codes = {"preview": f"{RULE}.view"}
    project = "编号规则"
    filterset_fields = ["is_active", "reset", "date_part", "include_institution_code"]
    search_fields = ["code", "name", "prefix"]
    ordering_fields = ["code", "name", "created_at"]

    @extend_schema(request=s.NumberPreviewRequestSerializer, responses=s.NumberPreviewSerializer)
    @action(detail=True, methods=["post"], renderer_classes=[JSONRenderer])
    def preview(self, request: Request, pk: str | None = None) -> Response:
        """预览该规则的下一个编号（不占用流水号；实际生成时可能已被占用）。"""
        rule = self.get_object()
        params = s.NumberPreviewRequestSerializer(data=request.data, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        institution: Any = params.validated_data.get("institution")
        if institution is None and rule.include_institution_code:
            institution = getattr(request.user, "institution", None)
        result = preview_number(rule, institution=institution, at=params.validated_data.get("at"))
        return Response(s.NumberPreviewSerializer(result).data)
