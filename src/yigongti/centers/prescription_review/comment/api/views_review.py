"""药师点评 (samples, judgments), 申诉, 统计报表 (§3.6.4.5) and 前置审方成效监管 (§3.6.5.1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yigongti.centers.prescription_review.comment import error_codes, statistics, supervision
from yigongti.centers.prescription_review.comment.api import serializers as s
from yigongti.centers.prescription_review.comment.models import Appeal, CommentSample, ReplyTemplate
from yigongti.centers.prescription_review.comment.permissions import APPEAL, SAMPLE, STATISTICS, SUPERVISION
from yigongti.centers.prescription_review.comment.services import judgments
from yigongti.centers.prescription_review.comment.services.upload import PROJECT as AUDIT_PROJECT
from yigongti.core.api.export import XLSX_MEDIA_TYPE, build_workbook
from yigongti.core.api.permissions import ActionPermission
from yigongti.core.api.viewsets import FORMAT_PARAM, ReadOnlyResourceViewSet, xlsx_response
from yigongti.core.audit.choices import Category
from yigongti.core.audit.services import audit_read
from yigongti.core.errors import BusinessError
from yigongti.core.scope import apply_scope, model_scope


class SampleViewSet(ReadOnlyResourceViewSet):
    """点评样本: the pharmacist's 我的任务 (``?mine=1``), details with pre-review findings, judgment."""

    queryset = CommentSample.objects.all()
    serializer_class = s.SampleListSerializer
    permission_base = SAMPLE
    action_codes = {"judge": f"{SAMPLE}.judge", "appeal": f"{APPEAL}.submit"}
    audit_reads = True
    project = AUDIT_PROJECT
    filterset_fields = ["task", "status", "result", "precheck_risk", "assignee"]
    search_fields = ["prescription__rx_no", "prescription__doctor_name"]
    ordering_fields = ["seq", "judged_at"]

    def base_queryset(self) -> QuerySet[Any]:
        qs = CommentSample.objects.select_related(
            "prescription__institution", "prescription__visit", "assignee"
        ).order_by("task_id", "seq")
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                "reasons", "appeals__doctor", "appeals__sample__prescription", "prescription__items",
                "prescription__visit__diagnoses", "prescription__visit__prescriptions__items",
                "prescription__visit__labs__results", "prescription__visit__exams",
            )  # fmt: skip
        return qs

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = super().filter_queryset(queryset)
        if self._flag("mine"):
            queryset = queryset.filter(assignee=self.request.user)
        return queryset

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "retrieve":
            return s.SampleDetailSerializer
        return super().get_serializer_class()

    @extend_schema(request=s.JudgeSerializer, responses={200: s.SampleListSerializer}, summary="点评：合理/不合理")
    @action(detail=True, methods=["post"], renderer_classes=[JSONRenderer])
    def judge(self, request: Request, pk: str | None = None) -> Response:
        sample = self.get_object()
        body = s.JudgeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        judged = judgments.sample_judge(
            sample=sample, result=data["result"], reasons=[dict(r) for r in data["reasons"]], remark=data["remark"],
            actor=request.user,
        )  # fmt: skip
        return Response(s.SampleListSerializer(self.base_queryset().get(pk=judged.pk)).data)

    @extend_schema(request=s.AppealSubmitSerializer, responses={201: s.AppealOut}, summary="医生申诉")
    @action(detail=True, methods=["post"], renderer_classes=[JSONRenderer])
    def appeal(self, request: Request, pk: str | None = None) -> Response:
        sample = self.get_object()
        body = s.AppealSubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        text = body.validated_data["text"]
        template_id = body.validated_data.get("template")
        if template_id:
            template = ReplyTemplate.objects.filter(pk=template_id, owner_id=request.user.pk).first()
            if template is None:
                raise BusinessError(
                    error_codes.APPEAL_NOT_ALLOWED, "回复模板不存在。", fields={"template": ["不存在。"]}
                )
            text = f"{template.text}{('；' + text) if text else ''}"
        created = judgments.appeal_submit(sample=sample, text=text, actor=request.user)
        return Response(s.AppealOut(created).data, status=201)


class AppealViewSet(ReadOnlyResourceViewSet):
    queryset = Appeal.objects.select_related("doctor", "sample__prescription")
    serializer_class = s.AppealOut
    permission_base = APPEAL
    action_codes = {"reply": f"{APPEAL}.reply"}
    project = AUDIT_PROJECT
    filterset_fields = ["status", "sample", "doctor"]
    ordering_fields = ["created_at"]

    @extend_schema(request=s.AppealReplySerializer, responses={200: s.AppealOut}, summary="处理申诉")
    @action(detail=True, methods=["post"], renderer_classes=[JSONRenderer])
    def reply(self, request: Request, pk: str | None = None) -> Response:
        appeal = self.get_object()
        body = s.AppealReplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = judgments.appeal_reply(
            appeal=appeal, upheld=body.validated_data["upheld"], reply=body.validated_data["reply"], actor=request.user
        )
        return Response(s.AppealOut(done).data)


# -- reports ---------------------------------------------------------------------------------------
def _date(request: Request, name: str) -> dt.date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        value = parse_date(raw)
    except ValueError:
        value = None
    if value is None:
        raise BusinessError(
            "RX_COMMENT_BAD_DATE", f"日期格式应为 YYYY-MM-DD（{name}）。", fields={name: ["格式错误。"]}
        )
    return value


def _int_list(request: Request, name: str) -> list[int]:
    out = []
    for raw in request.query_params.getlist(name):
        for part in raw.split(","):
            if part.strip():
                if not part.strip().isdigit():
                    raise BusinessError(
                        "RX_COMMENT_BAD_FILTER", f"参数 {name} 应为编号。", fields={name: ["应为整数。"]}
                    )
                out.append(int(part))
    return out


class IndicatorSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    name = serializers.CharField()
    definition = serializers.CharField()
    number = serializers.IntegerField(required=False)


class StatisticsResponse(serializers.Serializer[Any]):
    breakdown = serializers.CharField()
    indicators = IndicatorSerializer(many=True)
    rows = serializers.ListField(child=serializers.DictField())


STAT_PARAMS = [
    OpenApiParameter("breakdown", str, enum=list(statistics.BREAKDOWNS), description="分组维度"),
    OpenApiParameter("task", int, description="点评任务（可多个，逗号分隔）"),
    OpenApiParameter("project", int, description="点评项目"),
    OpenApiParameter("institution", int, description="机构"),
    OpenApiParameter("doctor", str, description="医生工号"),
    OpenApiParameter("since", OpenApiTypes.DATE, description="处方开具日期起"),
    OpenApiParameter("until", OpenApiTypes.DATE, description="处方开具日期止"),
    FORMAT_PARAM,
]


class StatisticsView(APIView):
    """统计报表 (guide §3.6.4.5) over the commented samples in the user's scope; ``?format=xlsx`` exports."""

    permission_classes = [ActionPermission]
    action_codes: dict[str, str] = {}

    @property
    def action(self) -> str:
        return "report"

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.action_codes = {"report": f"{STATISTICS}.export" if request.query_params.get("format") == "xlsx"
                             else f"{STATISTICS}.view"}  # fmt: skip
        super().initial(request, *args, **kwargs)

    @extend_schema(
        parameters=STAT_PARAMS,
        responses={200: StatisticsResponse, (200, XLSX_MEDIA_TYPE): OpenApiTypes.BINARY},
        summary="点评统计报表",
    )
    def get(self, request: Request) -> Any:
        breakdown = request.query_params.get("breakdown", "institution")
        if breakdown not in statistics.BREAKDOWNS:
            raise BusinessError(
                "RX_COMMENT_BAD_FILTER", "不支持的分组维度。", fields={"breakdown": list(statistics.BREAKDOWNS)}
            )
        user: Any = request.user
        samples = apply_scope(CommentSample.objects.all(), model_scope(CommentSample), user.scope_context())
        tasks = _int_list(request, "task")
        if tasks:
            samples = samples.filter(task_id__in=tasks)
        projects = _int_list(request, "project")
        if projects:
            samples = samples.filter(task__project_id__in=projects)
        institutions = _int_list(request, "institution")
        if institutions:
            samples = samples.filter(prescription__institution_id__in=institutions)
        if request.query_params.get("doctor"):
            samples = samples.filter(prescription__doctor_code=request.query_params["doctor"])
        since, until = _date(request, "since"), _date(request, "until")
        if since:
            samples = samples.filter(prescription__prescribed_at__date__gte=since)
        if until:
            samples = samples.filter(prescription__prescribed_at__date__lte=until)
        rows = statistics.report(samples, breakdown)
        if request.query_params.get("format") == "xlsx":
            audit_read(
                instance_type="rx_comment.statistics", ids=[], category=Category.EXPORT, project=AUDIT_PROJECT,
                content=f"导出点评统计报表（{breakdown}，{len(rows)} 行）",
            )  # fmt: skip
            return xlsx_response(build_workbook("点评统计", statistics.export_columns(breakdown), rows), "点评统计报表")
        return Response(
            {
                "breakdown": breakdown,
                "indicators": [
                    {"key": i.key, "name": i.name, "definition": i.definition} for i in statistics.INDICATORS
                ],
                "rows": rows,
            }
        )


class SupervisionResponse(serializers.Serializer[Any]):
    dimension = serializers.CharField()
    since = serializers.DateField(allow_null=True)
    until = serializers.DateField(allow_null=True)
    indicators = IndicatorSerializer(many=True)
    rates = IndicatorSerializer(many=True)
    rows = serializers.ListField(child=serializers.DictField())
    chart = serializers.DictField()
    rankings = serializers.DictField()
    risk_matrix = serializers.ListField(child=serializers.DictField())
    modified = serializers.ListField(child=serializers.DictField())


class SupervisionView(APIView):
    """前置审方成效统计 (guide §3.6.5.1): the 23 indicators by time, region, institution, department or doctor."""

    permission_classes = [ActionPermission]
    action_codes: dict[str, str] = {}

    @property
    def action(self) -> str:
        return "report"

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.action_codes = {"report": f"{SUPERVISION}.export" if request.query_params.get("format") == "xlsx"
                             else f"{SUPERVISION}.view"}  # fmt: skip
        super().initial(request, *args, **kwargs)

    @extend_schema(
        parameters=[
            OpenApiParameter("dimension", str, enum=list(supervision.DIMENSIONS), description="统计维度"),
            OpenApiParameter("since", OpenApiTypes.DATE, description="处方首次提交日期起"),
            OpenApiParameter("until", OpenApiTypes.DATE, description="处方首次提交日期止（含）"),
            FORMAT_PARAM,
        ],
        responses={200: SupervisionResponse, (200, XLSX_MEDIA_TYPE): OpenApiTypes.BINARY},
        summary="前置审方成效统计",
    )
    def get(self, request: Request) -> Any:
        dimension = request.query_params.get("dimension", "month")
        if dimension not in supervision.DIMENSIONS:
            raise BusinessError(
                "RX_COMMENT_BAD_FILTER", "不支持的统计维度。", fields={"dimension": list(supervision.DIMENSIONS)}
            )
        since_d, until_d = _date(request, "since"), _date(request, "until")
        tz = timezone.get_current_timezone()
        since = dt.datetime.combine(since_d, dt.time.min, tzinfo=tz) if since_d else None
        until = dt.datetime.combine(until_d + dt.timedelta(days=1), dt.time.min, tzinfo=tz) if until_d else None
        rows = supervision.counts(user=request.user, dimension=dimension, since=since, until=until)
        if request.query_params.get("format") == "xlsx":
            columns = (
                [("label", "维度")] + [(i.key, i.name) for i in supervision.INDICATORS if i.key in rows[0]]
                if rows
                else []
            )
            columns += [(k, n) for k, n, _ in supervision.RATES]
            return xlsx_response(build_workbook("前置审方成效", columns, rows), "前置审方成效统计")
        keys = [i.key for i in supervision.INDICATORS if 9 <= i.number <= 23]
        return Response(
            {
                "dimension": dimension,
                "since": since_d,
                "until": until_d,
                "indicators": [
                    {"number": i.number, "key": i.key, "name": i.name, "definition": i.definition}
                    for i in supervision.INDICATORS
                ],
                "rates": [{"key": k, "name": n, "definition": d} for k, n, d in supervision.RATES],
                "rows": rows,
                "chart": supervision.echarts(rows, keys),
                "rankings": supervision.rankings(user=request.user, since=since, until=until),
                "risk_matrix": supervision.risk_matrix(user=request.user, since=since, until=until),
                "modified": supervision.modified_list(user=request.user, since=since, until=until),
            }
        )
