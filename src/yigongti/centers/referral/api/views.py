"""The referral API (``/api/v1/referral/referrals``): scoped list/detail with filters and Excel
export, the draft form, one endpoint per workflow action (``WorkflowActionsMixin``), 转回, the
printed 转诊单 and the shared clinical data (``views_share.py``)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from yigongti.centers.referral import services
from yigongti.centers.referral.access import access_referral
from yigongti.centers.referral.api.filters import ReferralFilter
from yigongti.centers.referral.api.serializers import (
    ReferralDetailSerializer,
    ReferralListSerializer,
    ReferralReturnSerializer,
    ReferralUpdateSerializer,
    ReferralWriteSerializer,
)
from yigongti.centers.referral.api.views_share import ReferralShareMixin
from yigongti.centers.referral.flows import ReferralFlow
from yigongti.centers.referral.models import Referral
from yigongti.centers.referral.selectors import detail_queryset, referral_queryset, referral_visible
from yigongti.core.api.pagination_capped import CappedPagePagination
from yigongti.core.api.viewsets import ReadOnlyResourceViewSet
from yigongti.core.workflow.api.mixins import WorkflowActionsMixin
from yigongti.core.workflow.api.serializers import AvailableActionSerializer

BASE = "referral.referral"


class ReferralViewSet(WorkflowActionsMixin, ReferralShareMixin, ReadOnlyResourceViewSet):
    workflow = ReferralFlow
    queryset = Referral.objects.all()
    serializer_class = ReferralDetailSerializer
    # the list's COUNT(*) dominated large lists: count up to 10 000, then say so (count_capped)
    pagination_class = CappedPagePagination
    permission_base = BASE
    project = "双向转诊"
    audit_reads = True
    filterset_class = ReferralFilter
    search_fields = ["number", "patient_name", "diagnosis_name"]
    ordering_fields = ["id", "created_at", "submitted_at", "planned_at"]
    ordering = ["-id"]
    action_codes = {
        "create": f"{BASE}.add",
        "update": f"{BASE}.change",
        "partial_update": f"{BASE}.change",
        "return_referral": f"{BASE}.return",
        "print_slip": f"{BASE}.view",
        "shared": f"{BASE}.view",
        "shared_download": f"{BASE}.view",
    }

    def get_queryset(self) -> models.QuerySet[Any]:
        qs = referral_queryset() if self.action == "list" else detail_queryset()
        return referral_visible(qs, self.request.user)

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "list":
            return ReferralListSerializer
        if self.action == "create":
            return ReferralWriteSerializer
        if self.action in ("update", "partial_update"):
            return ReferralUpdateSerializer
        return ReferralDetailSerializer

    def _detail(self, referral: Referral, code: int = status.HTTP_200_OK) -> Response:
        fresh = detail_queryset().get(pk=referral.pk)
        return Response(ReferralDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=ReferralWriteSerializer, responses={201: ReferralDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ReferralWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        patient = data.pop("patient", None)
        resident = data.pop("resident", None)
        if resident is None:
            institution_id, _ = services.applicant_of(request.user)
            resident = services.patient_resolve(institution=institution_id, data=patient or {}, actor=request.user)
        referral, _ = services.referral_create(resident=resident, data=data, actor=request.user)
        return self._detail(referral, status.HTTP_201_CREATED)

    @extend_schema(request=ReferralUpdateSerializer, responses={200: ReferralDetailSerializer})
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        referral = access_referral(request.user, kwargs.get("pk"))
        partial = bool(kwargs.get("partial", False))
        serializer = ReferralUpdateSerializer(
            referral, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        updated = services.referral_update(referral=referral, data=serializer.validated_data, actor=request.user)
        return self._detail(updated)

    @extend_schema(request=ReferralUpdateSerializer, responses={200: ReferralDetailSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    @extend_schema(
        summary="转回",
        description="已接诊/已反馈的上转单，由接诊机构发起下转（转回原转出机构或患者建档的基层机构），生成关联的下转草稿。",
        request=ReferralReturnSerializer,
        responses={201: ReferralDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_referral(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        referral = self.workflow_object()
        body = ReferralReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        child = services.referral_return(referral=referral, data=body.validated_data, actor=request.user)
        return self._detail(child, status.HTTP_201_CREATED)

    @extend_schema(
        summary="打印转诊单",
        parameters=[],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @extend_schema(summary="当前可执行的操作（含转回）", responses={200: AvailableActionSerializer(many=True)})
    @action(
        detail=True,
        methods=["get"],
        url_path="actions",
        pagination_class=None,
        filter_backends=[],
        renderer_classes=[JSONRenderer],
    )
    def workflow_actions(self, request: Request, *args: Any, **kwargs: Any) -> Response:  # type: ignore[override]
        """Same rows as the detail's ``actions`` field: the workflow's transitions plus 转回."""
        from yigongti.centers.referral.api.actions import actions_for

        obj = self.workflow_object()
        return Response(AvailableActionSerializer(actions_for(obj, request.user), many=True).data)

    @action(detail=True, methods=["get"], url_path="print", filter_backends=[], pagination_class=None)
    def print_slip(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        from yigongti.centers.referral.documents import referral_slip_pdf
        from yigongti.core.documents.api.views import file_response

        referral = self.workflow_object()
        content = referral_slip_pdf(referral=referral, user=request.user)
        return file_response(content, "application/pdf", f"转诊单{referral.number}.pdf")
