"""Settings, 预约接口, schedules and slots (REF-12 … REF-16). Thin: every write is a service."""

from __future__ import annotations

from typing import Any

from django.db import models as dj
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yigongti.centers.referral.config import choices, models, selectors, services
from yigongti.centers.referral.config.api import serializers as s
from yigongti.core.api.permissions import ActionPermission
from yigongti.core.api.viewsets import ResourceViewSet
from yigongti.core.scope import apply_scope, model_scope
from yigongti.platform.org.models import Institution

PROJECT = "双向转诊"


class ReferralSettingsViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """转诊设置 per institution: ``GET settings`` (institutions in scope, effective values),
    ``GET/PUT settings/{institution_id}``. An institution without a saved row shows the defaults."""

    permission_classes = [ActionPermission]
    action_codes = {
        "list": "referral.settings.view",
        "retrieve": "referral.settings.view",
        "update": "referral.settings.change",
    }
    serializer_class = s.ReferralSettingsSerializer
    queryset = Institution.objects.filter(is_active=True).order_by("sort", "code")
    lookup_url_kwarg = "institution_id"
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> dj.QuerySet[Institution]:
        assert self.queryset is not None
        return apply_scope(self.queryset.all(), model_scope(Institution), self.request.user.scope_context())  # type: ignore[union-attr]

    def _context(self, institutions: list[Institution]) -> dict[str, Any]:
        return {**self.get_serializer_context(), "institution_names": {i.pk: i.name for i in institutions}}

    @extend_schema(responses=s.ReferralSettingsSerializer(many=True))
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        institutions = list(page if page is not None else self.get_queryset())
        effective = selectors.settings_map([i.pk for i in institutions])
        data = s.ReferralSettingsSerializer(
            [effective[i.pk] for i in institutions], many=True, context=self._context(institutions)
        ).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(responses=s.ReferralSettingsSerializer)
    def retrieve(self, request: Request, institution_id: str) -> Response:
        institution = selectors.access_institution(request.user, institution_id)
        row = services.institution_settings(institution.pk)
        return Response(s.ReferralSettingsSerializer(row, context=self._context([institution])).data)

    @extend_schema(request=s.ReferralSettingsSerializer, responses=s.ReferralSettingsSerializer)
    def update(self, request: Request, institution_id: str) -> Response:
        institution = selectors.access_institution(request.user, institution_id, for_write=True)
        context = self._context([institution]) | {"institution_id": institution.pk}
        serializer = s.ReferralSettingsSerializer(data=request.data, context=context, partial=True)
        serializer.is_valid(raise_exception=True)
        row = services.referral_settings_save(
            institution_id=institution.pk, data=dict(serializer.validated_data), actor=request.user
        )
        return Response(s.ReferralSettingsSerializer(row, context=context).data)


class BookingAdapterConfigViewSet(ResourceViewSet):
    queryset = models.BookingAdapterConfig.objects.select_related("institution")
    serializer_class = s.BookingAdapterConfigSerializer
    permission_base = "referral.settings"
    action_codes = {
        "list": "referral.settings.view",
        "retrieve": "referral.settings.view",
        "create": "referral.settings.change",
        "update": "referral.settings.change",
        "partial_update": "referral.settings.change",
        "destroy": "referral.settings.change",
        "export": "referral.settings.view",
        "import_rows": "referral.settings.change",
    }
    project = PROJECT
    import_enabled = False
    filterset_fields = ["institution", "kind", "is_active"]
    ordering_fields = ["institution", "created_at"]


class ReferralScheduleViewSet(ResourceViewSet):
    queryset = models.ReferralSchedule.objects.select_related("institution", "department", "doctor")
    serializer_class = s.ReferralScheduleSerializer
    permission_base = "referral.schedule"
    action_codes = {"generate": "referral.schedule.generate"}
    project = PROJECT
    import_enabled = False
    filterset_fields = ["institution", "department", "doctor", "kind", "period", "is_active"]
    search_fields = ["department__name", "doctor__name", "remark"]
    ordering_fields = ["start_date", "period", "created_at"]

    @extend_schema(request=s.ScheduleGenerateSerializer, responses={201: s.ScheduleGenerateResultSerializer})
    @action(detail=True, methods=["post"])
    def generate(self, request: Request, pk: str) -> Response:
        """按排班生成号源（至指定日期，已生成的日期跳过）。"""
        schedule = self.get_object()
        body = s.ScheduleGenerateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        created = services.schedule_generate_slots(
            schedule=schedule, until=body.validated_data["until"], actor=request.user
        )
        return Response({"created": created}, status=status.HTTP_201_CREATED)


DATE_FROM = OpenApiParameter("date_from", str, description="起始日期 YYYY-MM-DD（默认今天）")
DATE_TO = OpenApiParameter("date_to", str, description="截止日期 YYYY-MM-DD（默认 60 天后）")


class _AvailableQuery(serializers.Serializer[Any]):
    institution = serializers.IntegerField(required=False)
    department = serializers.IntegerField(required=False)
    doctor = serializers.IntegerField(required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    kind = serializers.ChoiceField(choices=choices.SlotKind.choices, required=False)


class ReferralSlotViewSet(ResourceViewSet):
    """号源 of the user's own institutions (manage), plus ``slots/available`` (book, 医共体-wide)."""

    queryset = models.ReferralSlot.objects.select_related("institution", "department", "doctor")
    serializer_class = s.ReferralSlotSerializer
    permission_base = "referral.schedule"
    action_codes = {
        "available": "referral.schedule.view",
        "open": "referral.schedule.slot",
        "close": "referral.schedule.slot",
        "capacity": "referral.schedule.slot",
    }
    http_method_names = ["get", "post", "delete", "head", "options"]
    project = PROJECT
    import_enabled = False
    filterset_fields = ["institution", "department", "doctor", "date", "kind", "period", "status", "schedule"]
    ordering_fields = ["date", "start_time", "created_at"]

    def perform_destroy(self, instance: dj.Model) -> None:
        assert isinstance(instance, models.ReferralSlot)
        services.slot_delete(slot=instance, actor=self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter("institution", int, description="接诊机构"),
            OpenApiParameter("department", int, description="科室（按接诊机构的精确到设置生效）"),
            OpenApiParameter("doctor", int, description="医生（仅“精确到医生”的机构生效）"),
            DATE_FROM,
            DATE_TO,
            OpenApiParameter("kind", str, enum=[c for c, _ in choices.SlotKind.choices], description="号源类别"),
        ],
        responses=s.AvailableSlotSerializer(many=True),
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def available(self, request: Request) -> Response:
        """可预约号源：本医共体内开通配额模式的机构发布的、未约满未结束的号源（最多 500 条）。"""
        query = _AvailableQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        slots = selectors.slots_available(user=request.user, filters=selectors.SlotFilters(**query.validated_data))
        return Response(s.AvailableSlotSerializer(slots, many=True).data)

    def _status(self, request: Request, value: str) -> Response:
        slot = services.slot_set_status(slot=self.get_object(), status=value, actor=request.user)
        return Response(s.ReferralSlotSerializer(slot, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=s.ReferralSlotSerializer)
    @action(detail=True, methods=["post"])
    def open(self, request: Request, pk: str) -> Response:
        """开放号源。"""
        return self._status(request, choices.SlotStatus.OPEN)

    @extend_schema(request=None, responses=s.ReferralSlotSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """关闭号源（已有预约保留，不再接受新预约）。"""
        return self._status(request, choices.SlotStatus.CLOSED)

    @extend_schema(request=s.SlotCapacitySerializer, responses=s.ReferralSlotSerializer)
    @action(detail=True, methods=["post"])
    def capacity(self, request: Request, pk: str) -> Response:
        """调整号源数（不能少于已预约数）。"""
        slot = self.get_object()
        body = s.SlotCapacitySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        slot = services.slot_set_capacity(slot=slot, capacity=body.validated_data["capacity"], actor=request.user)
        return Response(s.ReferralSlotSerializer(slot, context=self.get_serializer_context()).data)
