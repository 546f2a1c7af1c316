"""RX-05 AI审方配置 API: rule configs, severity levels, check-type settings, check types, trial run."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yigongti.centers.prescription_review.engine import services
from yigongti.centers.prescription_review.engine.api import serializers as s
from yigongti.centers.prescription_review.engine.checktypes import CHECK_TYPES
from yigongti.centers.prescription_review.engine.core import run
from yigongti.centers.prescription_review.engine.knowledge_cache import current_knowledge
from yigongti.centers.prescription_review.engine.models import CheckTypeSetting, RuleConfig, SeverityLevel
from yigongti.centers.prescription_review.engine.payload import input_from_payload
from yigongti.centers.prescription_review.engine.permissions import RULE_CONFIG
from yigongti.centers.prescription_review.engine.selectors import settings_from_config
from yigongti.centers.prescription_review.engine.settings_cache import invalidate_settings
from yigongti.core.api.permissions import ActionPermission
from yigongti.core.api.viewsets import ResourceViewSet
from yigongti.core.errors import BusinessError

PROJECT = "AI审方配置"


class _InvalidatingViewSet(ResourceViewSet):
    """Every write drops the cached engine settings once the transaction commits."""

    permission_base = RULE_CONFIG
    project = PROJECT

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        super().perform_create(serializer)
        transaction.on_commit(invalidate_settings)

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        super().perform_update(serializer)
        transaction.on_commit(invalidate_settings)

    def perform_destroy(self, instance: Any) -> None:
        super().perform_destroy(instance)
        transaction.on_commit(invalidate_settings)


class RuleConfigViewSet(_InvalidatingViewSet):
    """AI审方配置（按机构、按生效日期分版本；机构为空为医共体默认）。新建时复制当前生效的级别与审核类型设置。"""

    queryset = RuleConfig.objects.select_related("institution").order_by(
        "community_id", "institution_id", "-effective_from"
    )
    serializer_class = s.RuleConfigSerializer
    action_codes = {"trial": f"{RULE_CONFIG}.view"}
    import_enabled = False  # a new version is created one at a time (it copies the current rules)
    filterset_fields = ["community", "institution", "effective_from"]
    search_fields = ["name", "note"]
    ordering_fields = ["effective_from", "name", "updated_at"]

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        with transaction.atomic():
            super().perform_create(serializer)
            assert isinstance(serializer.instance, RuleConfig)
            services.rule_config_populate(config=serializer.instance, actor=self.request.user)

    @extend_schema(request=s.TrialSerializer, responses=s.CheckResultSerializer, summary="按该配置试审一张处方")
    @action(detail=True, methods=["post"], url_path="trial", renderer_classes=[JSONRenderer])
    def trial(self, request: Request, pk: str | None = None) -> Response:
        config = self.get_object()
        body = s.TrialSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            rx = input_from_payload(body.validated_data["payload"])
        except ValueError as exc:
            raise BusinessError("RX_INVALID_PAYLOAD", str(exc)) from exc
        result = run(current_knowledge(), rx, settings_from_config(config))
        return Response(s.CheckResultSerializer(result.as_dict()).data)


class SeverityLevelViewSet(_InvalidatingViewSet):
    """审方警示级别（有序，可改名称与处理方式：自动拦截/转药师/医生双签/仅提示）。"""

    queryset = SeverityLevel.objects.select_related("config").order_by("config_id", "-rank")
    serializer_class = s.SeverityLevelSerializer
    filterset_fields = ["config", "code", "action"]
    search_fields = ["code", "name"]
    ordering_fields = ["rank", "code"]


class CheckTypeSettingViewSet(_InvalidatingViewSet):
    """审核类型设置（启用/停用、统一警示级别）。"""

    queryset = CheckTypeSetting.objects.select_related("config").order_by("config_id", "check_type")
    serializer_class = s.CheckTypeSettingSerializer
    filterset_fields = ["config", "check_type", "enabled"]
    search_fields = ["check_type"]
    ordering_fields = ["check_type"]


class CheckTypeListView(APIView):
    """审核类型字典（指南 §3.6.2.1 用药质检 + 处方审核规范2018 规范性）。"""

    permission_classes = [ActionPermission]
    action_codes = {"get": f"{RULE_CONFIG}.view"}
    renderer_classes = [JSONRenderer]

    @property
    def action(self) -> str:
        return "get"

    @extend_schema(responses=s.CheckTypeInfoSerializer(many=True), summary="审核类型列表")
    def get(self, request: Request) -> Response:
        rows = [{"code": c.code, "name": c.name, "group": c.group, "source": c.source} for c in CHECK_TYPES]
        return Response(s.CheckTypeInfoSerializer(rows, many=True).data)
