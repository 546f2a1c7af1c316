"""Console API of the review center: prescriptions and checks (RX-04), the pharmacist workstation
(RX-06…RX-08), roster and schemes, quick replies, configuration (RX-05)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yigongti.centers.prescription_review import models as m
from yigongti.centers.prescription_review.api import serializers as s
from yigongti.centers.prescription_review.flows import ReviewTaskFlow
from yigongti.centers.prescription_review.selectors import task_counters
from yigongti.centers.prescription_review.services_config import forget_config
from yigongti.centers.prescription_review.services_roster import duty_set, quick_reply_reorder
from yigongti.centers.prescription_review.services_tasks import task_claim_next, task_decide, task_release
from yigongti.core.api.viewsets import ReadOnlyResourceViewSet, ResourceViewSet
from yigongti.core.errors import BusinessError
from yigongti.core.workflow.api.mixins import WorkflowActionsMixin
from yigongti.core.workflow.api.serializers import TransitionInputSerializer

PROJECT = "县域审方中心"


class PrescriptionViewSet(ReadOnlyResourceViewSet):
    queryset = m.Prescription.objects.select_related("institution")
    serializer_class = s.RxPrescriptionSerializer
    permission_base = "rx.prescription"
    project = PROJECT
    audit_reads = True
    filterset_fields = ["status", "institution", "his_id", "kind", "department_code", "prescriber_code",
                        "first_verdict", "last_verdict"]  # fmt: skip
    search_fields = ["his_id", "prescriber_name", "department_name"]
    ordering_fields = ["id", "submitted_at", "last_submitted_at"]

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return s.RxPrescriptionDetailSerializer
        return super().get_serializer_class()

    def base_queryset(self) -> QuerySet[Any]:
        qs = super().base_queryset()
        if self.action == "retrieve":
            qs = qs.prefetch_related("versions__checks")
        return qs


class CheckRecordViewSet(ReadOnlyResourceViewSet):
    queryset = m.CheckRecord.objects.select_related("prescription", "version")
    serializer_class = s.RxCheckRecordSerializer
    permission_base = "rx.check"
    project = PROJECT
    audit_reads = True
    filterset_fields = ["prescription", "institution", "verdict", "max_severity", "prescriber_code"]
    ordering_fields = ["id", "checked_at"]


PERIOD = [
    OpenApiParameter("since", str, description="开始日期（含），默认今天"),
    OpenApiParameter("until", str, description="结束日期（含），默认今天"),
]


def _day(value: str | None, default: dt.date, name: str) -> dt.date:
    if not value:
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BusinessError(
            "VALIDATION_ERROR", "日期格式应为 YYYY-MM-DD。", fields={name: ["日期格式错误。"]}
        ) from None


class ReviewTaskViewSet(WorkflowActionsMixin, ReadOnlyResourceViewSet):
    """药师审方工作台: the queue (list), the task view (detail), 抢单, 放弃, decisions, counters."""

    workflow = ReviewTaskFlow
    queryset = m.ReviewTask.objects.select_related("prescription", "institution", "claimed_by", "reviewer")
    serializer_class = s.RxReviewTaskSerializer
    permission_base = "rx.task"
    project = PROJECT
    audit_reads = True
    action_codes = {"claim": "rx.task.review", "release": "rx.task.review", "counters": "rx.task.counters"}
    filterset_fields = ["status", "institution", "claimed_by", "reviewer", "requires_second", "max_severity"]
    ordering_fields = ["id", "created_at", "due_at"]

    def get_serializer_class(self) -> Any:
        if self.action in ("retrieve", "claim", "release") or self.action.startswith("wf_"):
            return s.RxReviewTaskDetailSerializer
        return super().get_serializer_class()

    def base_queryset(self) -> QuerySet[Any]:
        qs = super().base_queryset()
        if self.action != "list":
            qs = qs.select_related("version", "check_record")
        return qs

    def perform_transition(self, request: Request, name: str) -> Response:
        """Every decision goes through the center's service (workflow + prescription + HIS callback)."""
        task = self.workflow_object()
        body = TransitionInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        task_decide(
            task=task, action=name, actor=request.user, comment=values["comment"],
            attachments=values["attachments"], data=values["data"],
        )  # fmt: skip
        fresh = self.get_queryset().filter(pk=task.pk).first() or task
        return Response(self.get_serializer(fresh).data)

    @extend_schema(
        summary="领取下一张处方（先进先出抢单）",
        request=None,
        responses={200: s.RxReviewTaskDetailSerializer, 204: None},
    )
    @action(detail=False, methods=["post"], url_path="claim")
    def claim(self, request: Request) -> Response:
        task = task_claim_next(actor=request.user)
        if task is None:
            return Response(status=204)
        fresh = self.get_queryset().get(pk=task.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(
        summary="放弃已领取的处方（退回队列）", request=None, responses={200: s.RxReviewTaskDetailSerializer}
    )
    @action(detail=True, methods=["post"], url_path="release")
    def release(self, request: Request, pk: str) -> Response:
        task = self.workflow_object()
        task_release(task=task, actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=task.pk)).data)

    @extend_schema(
        summary="审方统计（待审/已审/驳回/双签）", parameters=PERIOD, responses={200: s.RxCountersSerializer}
    )
    @action(detail=False, methods=["get"], url_path="counters", pagination_class=None, filter_backends=[])
    def counters(self, request: Request) -> Response:
        today = timezone.localdate()
        since = _day(request.query_params.get("since"), today, "since")
        until = _day(request.query_params.get("until"), today, "until")
        if until < since:
            raise BusinessError("VALIDATION_ERROR", "结束日期不能早于开始日期。", fields={"until": ["早于开始日期。"]})
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(since, dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return Response(s.RxCountersSerializer(task_counters(user=request.user, since=start, until=end)).data)


class RxCenterConfigViewSet(ResourceViewSet):
    queryset = m.RxCenterConfig.objects.select_related("institution")
    serializer_class = s.RxCenterConfigSerializer
    permission_base = "rx.config"
    project = PROJECT
    filterset_fields = ["institution"]

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        super().perform_create(serializer)
        forget_config()

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        super().perform_update(serializer)
        forget_config()

    def perform_destroy(self, instance: Any) -> None:
        super().perform_destroy(instance)
        forget_config()


class ReviewSchemeViewSet(ResourceViewSet):
    queryset = m.ReviewScheme.objects.all()
    serializer_class = s.RxReviewSchemeSerializer
    permission_base = "rx.scheme"
    project = PROJECT
    filterset_fields = ["institution", "enabled"]
    search_fields = ["name"]


class ReviewSchemeItemViewSet(ResourceViewSet):
    queryset = m.ReviewSchemeItem.objects.select_related("scheme", "served_institution", "department")
    serializer_class = s.RxReviewSchemeItemSerializer
    permission_base = "rx.scheme"
    project = PROJECT
    filterset_fields = ["scheme", "served_institution"]


class PharmacistDutyViewSet(ResourceViewSet):
    queryset = m.PharmacistDuty.objects.select_related("pharmacist", "scheme")
    serializer_class = s.RxPharmacistDutySerializer
    permission_base = "rx.roster"
    project = PROJECT
    action_codes = {"me": "rx.roster.duty", "on_duty": "rx.roster.duty", "off_duty": "rx.roster.duty"}
    filterset_fields = ["scheme", "on_duty", "institution"]

    def _mine(self, request: Request) -> Any:
        duty = (
            m.PharmacistDuty.objects.select_related("pharmacist", "scheme")
            .filter(pharmacist_id=request.user.pk)
            .first()
        )
        if duty is None:
            raise BusinessError("RX_NOT_ROSTERED", "您未被编入审方排班，请联系管理员。", status_code=404)
        return duty

    @extend_schema(summary="我的排班", responses={200: s.RxPharmacistDutySerializer})
    @action(detail=False, methods=["get"], url_path="me", pagination_class=None, filter_backends=[])
    def me(self, request: Request) -> Response:
        return Response(s.RxPharmacistDutySerializer(self._mine(request), context={"request": request}).data)

    @extend_schema(summary="上岗", request=None, responses={200: s.RxPharmacistDutySerializer})
    @action(detail=False, methods=["post"], url_path="on-duty")
    def on_duty(self, request: Request) -> Response:
        duty_set(actor=request.user, on_duty=True)
        return Response(s.RxPharmacistDutySerializer(self._mine(request), context={"request": request}).data)

    @extend_schema(summary="下岗", request=None, responses={200: s.RxPharmacistDutySerializer})
    @action(detail=False, methods=["post"], url_path="off-duty")
    def off_duty(self, request: Request) -> Response:
        duty_set(actor=request.user, on_duty=False)
        return Response(s.RxPharmacistDutySerializer(self._mine(request), context={"request": request}).data)


class QuickReplyViewSet(ResourceViewSet):
    """快捷回复: the institution's shared replies plus the user's own; CRUD and 排序."""

    queryset = m.QuickReply.objects.all()
    serializer_class = s.RxQuickReplySerializer
    permission_base = "rx.quick_reply"
    project = PROJECT
    action_codes = {"reorder": "rx.quick_reply.reorder"}
    filterset_fields = ["kind", "owner"]
    search_fields = ["text"]
    import_enabled = False

    def get_queryset(self) -> QuerySet[Any]:
        qs = super().get_queryset()
        user = self.request.user
        return qs.filter(Q(owner__isnull=True) | Q(owner_id=user.pk)) if user.is_authenticated else qs

    @extend_schema(
        summary="调整顺序", request=s.RxReorderSerializer, responses={200: s.RxQuickReplySerializer(many=True)}
    )
    @action(detail=False, methods=["post"], url_path="reorder", pagination_class=None, filter_backends=[])
    def reorder(self, request: Request) -> Response:
        body = s.RxReorderSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        visible = m.QuickReply.objects.filter(pk__in=self.get_queryset().values("pk"))
        rows = quick_reply_reorder(visible=visible, ids=body.validated_data["ids"], actor=request.user)
        return Response(s.RxQuickReplySerializer(rows, many=True, context={"request": request}).data)
