"""统计分析 API (REF-03): one endpoint per breakdown, plus the Excel workbook of all of them."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yigongti.centers.referral import stats
from yigongti.centers.referral.choices import Direction, Kind
from yigongti.core.api.permissions import ActionPermission
from yigongti.core.errors import not_found
from yigongti.platform.org.models import Institution

STATS_VIEW = "referral.stats.view"
STATS_EXPORT = "referral.stats.export"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class StatsQuerySerializer(serializers.Serializer[Any]):
    start = serializers.DateField(label="开始日期（提交时间）", required=False, allow_null=True)
    end = serializers.DateField(label="结束日期（含）", required=False, allow_null=True)
    direction = serializers.ChoiceField(label="转诊方向", choices=Direction.choices, required=False, allow_blank=True)
    kind = serializers.ChoiceField(label="转诊类型", choices=Kind.choices, required=False, allow_blank=True)
    institution = serializers.IntegerField(label="统计机构", required=False, allow_null=True, min_value=1)
    period = serializers.ChoiceField(
        label="统计周期", choices=[("day", "日"), ("week", "周"), ("month", "月")], required=False, default="month"
    )


class SeriesSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    key = serializers.CharField()
    type = serializers.CharField()
    data = serializers.ListField(child=serializers.JSONField())  # type: ignore[assignment]  # ECharts' name


class ChartSerializer(serializers.Serializer[Any]):
    categories = serializers.ListField(child=serializers.CharField())
    series = SeriesSerializer(many=True)


class StatsResultSerializer(serializers.Serializer[Any]):
    dimension = serializers.CharField(help_text="summary / institution / region / doctor / period")
    period = serializers.CharField(required=False)
    rows = serializers.ListField(child=serializers.DictField(), help_text="每行一个分组（机构、区域、医生或周期）")
    totals = serializers.DictField(help_text="合计")
    quality = serializers.DictField(required=False, help_text="时效指标（仅 summary）")
    chart = ChartSerializer(help_text="ECharts：categories 为横轴，series 为数据系列")


def _filter(request: Request) -> stats.StatsFilter:
    query = StatsQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    data = query.validated_data
    institution = data.get("institution")
    if institution is not None:
        ctx = request.user.scope_context()  # type: ignore[union-attr]
        if (
            not (ctx.all or institution in ctx.institution_ids)
            or not Institution.objects.filter(pk=institution).exists()
        ):
            raise not_found()
    return stats.StatsFilter(
        start=data.get("start"),
        end=data.get("end"),
        direction=data.get("direction") or "",
        kind=data.get("kind") or "",
        institution_id=institution,
        period=data.get("period") or "month",
    )


PARAMS = [
    OpenApiParameter("start", OpenApiTypes.DATE, description="开始日期（按提交时间）"),
    OpenApiParameter("end", OpenApiTypes.DATE, description="结束日期（含）"),
    OpenApiParameter("direction", str, enum=["up", "down"], description="上转/下转"),
    OpenApiParameter("kind", str, enum=["outpatient", "inpatient", "exam"], description="门诊/住院/检查"),
    OpenApiParameter("institution", int, description="只统计该机构（须在数据权限内）"),
    OpenApiParameter("period", str, enum=["day", "week", "month"], description="按时间统计的周期"),
]


class ReferralStatsView(APIView):
    """转诊统计：按维度汇总（数据权限内），返回表格行、合计和 ECharts 数据。"""

    permission_classes = [ActionPermission]
    dimension = "summary"

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.action = "read"
        self.action_codes = {"read": STATS_VIEW}
        super().initial(request, *args, **kwargs)

    def get(self, request: Request) -> Response:
        return Response(stats.BREAKDOWNS[self.dimension](request.user, _filter(request)))


def stats_view(dimension: str, summary_text: str) -> type[ReferralStatsView]:
    schema = extend_schema(
        operation_id=f"referral_stats_{dimension}",
        summary=summary_text,
        parameters=PARAMS,
        responses=StatsResultSerializer,
        tags=["referral"],
    )
    view: type[ReferralStatsView] = extend_schema_view(get=schema)(
        type(f"ReferralStats{dimension.title()}View", (ReferralStatsView,), {"dimension": dimension})
    )
    return view


class ReferralStatsExportView(APIView):
    """导出全部统计（汇总、按机构、按区域、按医生、按时间）为 Excel。"""

    permission_classes = [ActionPermission]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.action = "export"
        self.action_codes = {"export": STATS_EXPORT}
        super().initial(request, *args, **kwargs)

    @extend_schema(
        operation_id="referral_stats_export",
        summary="导出转诊统计 Excel",
        parameters=PARAMS,
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="Excel 工作簿")},
        tags=["referral"],
    )
    def get(self, request: Request) -> HttpResponse:
        content = stats.stats_workbook(request.user, _filter(request))
        name = f"referral-stats-{timezone.localdate():%Y%m%d}.xlsx"
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
