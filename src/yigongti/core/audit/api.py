"""The auditor's view of the three logs and the login log: query and Excel export (PLAT-06)."""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yigongti.core.api.viewsets import ReadOnlyResourceViewSet
from yigongti.core.audit.choices import Category, LogType
from yigongti.core.audit.models import AuditLog
from yigongti.core.audit.services import audit_verify

LOGIN_CATEGORIES = [
    Category.LOGIN,
    Category.LOGIN_FAILED,
    Category.LOGOUT,
    Category.LOCKED,
    Category.OTP,
    Category.FORCED_LOGOUT,
    Category.PASSWORD,
]


class AuditLogSerializer(serializers.ModelSerializer[AuditLog]):
    log_type_display = serializers.CharField(source="get_log_type_display", label="日志类别名称", read_only=True)
    category_display = serializers.CharField(source="get_category_display", label="审计类型名称", read_only=True)

    class Meta:
        model = AuditLog
        fields = [
            "id", "created_at", "log_type", "log_type_display", "category", "category_display", "action", "project",
            "user_code", "user_name", "role_names", "ip", "institution_name", "department_name", "object_type",
            "object_id", "object_repr", "content", "before", "after", "success",
        ]  # fmt: skip
        read_only_fields = fields


class AuditLogFilter(django_filters.FilterSet):
    start = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte", label="开始时间")
    end = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt", label="结束时间")
    content = django_filters.CharFilter(lookup_expr="icontains", label="内容")
    user_code = django_filters.CharFilter(label="用户编码")
    institution_name = django_filters.CharFilter(lookup_expr="icontains", label="机构")
    department_name = django_filters.CharFilter(lookup_expr="icontains", label="部门")

    class Meta:
        model = AuditLog
        fields = ["log_type", "category", "project", "user_code", "ip", "object_type", "object_id", "success"]


class AuditLogViewSet(ReadOnlyResourceViewSet):
    queryset = AuditLog.objects.all()
    serializer_class = AuditLogSerializer
    filterset_class = AuditLogFilter
    permission_base = "audit.log"
    action_codes = {"verify": "audit.log.verify"}
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer(
                "AuditVerify",
                {
                    "ok": serializers.BooleanField(),
                    "rows": serializers.IntegerField(),
                    "problems": serializers.ListField(child=serializers.CharField()),
                },
            )
        },
    )
    @action(detail=False, methods=["post"])
    def verify(self, request: Request) -> Response:
        report = audit_verify()
        return Response({"ok": report.ok, "rows": report.rows, "problems": report.problems[:200]})


class LoginLogViewSet(AuditLogViewSet):
    permission_base = "audit.login"
    action_codes: dict[str, str] = {}

    def base_queryset(self) -> Any:
        return AuditLog.objects.filter(log_type=LogType.USER, category__in=LOGIN_CATEGORIES)
