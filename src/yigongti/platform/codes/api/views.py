"""Dictionaries (with the recycle bin), entries, parameters, parameter values and data elements."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from yigongti.core.api.permissions import ActionPermission
from yigongti.core.api.viewsets import ResourceViewSet
from yigongti.core.errors import BusinessError
from yigongti.core.scope import apply_scope, model_scope
from yigongti.platform.codes import models, selectors, services
from yigongti.platform.codes.api import filters
from yigongti.platform.codes.api import serializers as s
from yigongti.platform.codes.choices import ValueSource
from yigongti.platform.codes.permissions import DATA_ELEMENT, DICTIONARY, ENTRY, PARAMETER, PARAMETER_VALUE
from yigongti.platform.org.models import Institution

PROJECT = services.PROJECT


class DictionaryPermission(ActionPermission):
    """The recycle bin is open to whoever may restore or purge."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if getattr(view, "action", None) == "recycle_bin":
            user = request.user
            return bool(
                user
                and user.is_authenticated
                and (user.has_code(f"{DICTIONARY}.restore") or user.has_code(f"{DICTIONARY}.purge"))
            )
        return super().has_permission(request, view)


class DictionaryViewSet(ResourceViewSet):
    """字典配置。删除的字典进入回收站，可还原或彻底删除。"""

    # entry_count is annotated in base_queryset; an aggregate drops Meta.ordering, so order explicitly
    queryset = models.Dictionary.objects.select_related("institution").order_by("sort", "code")
    serializer_class = s.DictionarySerializer
    brief_serializer_class = s.CodeNameBriefSerializer
    permission_classes = [DictionaryPermission]
    permission_base = DICTIONARY
    action_codes = {"restore": f"{DICTIONARY}.restore", "purge": f"{DICTIONARY}.purge"}
    WRITE_ACTIONS = ResourceViewSet.WRITE_ACTIONS | {"restore", "purge"}
    project = PROJECT
    filterset_class = filters.DictionaryFilter
    search_fields = ["code", "name", "source"]
    ordering_fields = ["sort", "code", "name", "type", "updated_at"]

    def base_queryset(self) -> QuerySet[Any]:
        if self.action == "recycle_bin":
            qs = (
                models.Dictionary.all_objects.filter(deleted_at__isnull=False)
                .select_related("institution", "deleted_by")
                .order_by("-deleted_at")
            )
        elif self.action in ("restore", "purge"):
            qs = models.Dictionary.all_objects.select_related("institution")
        else:
            qs = super().base_queryset()
        if self.action in self.WRITE_ACTIONS:
            return qs  # PostgreSQL cannot lock (SELECT ... FOR UPDATE) a grouped query
        return qs.annotate(entry_count=Count("entries"))

    def perform_destroy(self, instance: Any) -> None:
        services.dictionary_delete(dictionary=instance, actor=self.request.user)

    @extend_schema(responses=s.RecycleBinSerializer(many=True))
    @action(detail=False, methods=["get"], url_path="recycle-bin", renderer_classes=[JSONRenderer])
    def recycle_bin(self, request: Request) -> Response:
        """字典回收站：已删除的字典（需要还原或彻底删除权限）。"""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.RecycleBinSerializer(page, many=True).data)

    @extend_schema(request=None, responses=s.DictionarySerializer)
    @action(detail=True, methods=["post"], renderer_classes=[JSONRenderer])
    def restore(self, request: Request, pk: str | None = None) -> Response:
        """从回收站还原字典（连同其字典项）。"""
        restored = services.dictionary_restore(dictionary=self.get_object(), actor=request.user)
        return Response(s.DictionarySerializer(restored, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], renderer_classes=[JSONRenderer])
    def purge(self, request: Request, pk: str | None = None) -> Response:
        """彻底删除回收站中的字典及其全部字典项，不可恢复。"""
        services.dictionary_purge(dictionary=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DictionaryEntryViewSet(ResourceViewSet):
    """字典项（字典内的树，深度不超过字典层级）。"""

    queryset = models.DictionaryEntry.objects.select_related("dictionary", "parent")
    serializer_class = s.DictionaryEntrySerializer
    brief_serializer_class = s.CodeNameBriefSerializer
    permission_base = ENTRY
    project = PROJECT
    filterset_class = filters.DictionaryEntryFilter
    search_fields = ["code", "name", "description"]
    ordering_fields = ["sort", "code", "name"]


def parse_instant(raw: str | None) -> dt.datetime | dt.date | None:
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    if "T" in text and " " in text:  # an unencoded "+08:00" arrives as " 08:00"
        text = text.replace(" ", "+")
    try:
        value: dt.datetime | dt.date | None = parse_datetime(text) or parse_date(text)
    except ValueError:
        value = None
    if value is None:
        raise BusinessError(
            "VALIDATION_ERROR",
            "时间格式无效，请使用 ISO 8601 格式（如 2025-01-01 或 2025-01-01T08:00:00+08:00）。",
            fields={"at": ["时间格式无效。"]},
        )
    return value


class ParameterViewSet(ResourceViewSet):
    """参数限定配置：参数的类型、默认值与取值限定。"""

    queryset = models.Parameter.objects.select_related("choice_dictionary")
    serializer_class = s.ParameterSerializer
    brief_serializer_class = s.CodeNameBriefSerializer
    permission_base = PARAMETER
    action_codes = {"lookup": f"{PARAMETER}.view"}
    project = PROJECT
    filterset_class = filters.ParameterFilter
    search_fields = ["code", "name", "group", "description"]
    ordering_fields = ["group", "sort", "code", "name"]

    def _institution(self, raw: str | None) -> Institution | None:
        if raw is None or not raw.strip():
            return None
        user: Any = self.request.user
        visible = apply_scope(Institution.objects.all(), model_scope(Institution), user.scope_context())
        text = raw.strip()
        found = visible.filter(pk=int(text)).first() if text.isdigit() else None
        found = found or visible.filter(code=text).first()
        if found is None:
            raise BusinessError(
                "NOT_FOUND",
                "机构不存在或无权访问。",
                fields={"institution": ["机构不存在或无权访问。"]},
                status_code=404,
            )
        return found

    @extend_schema(
        parameters=[
            OpenApiParameter("code", str, required=True, description="参数编码"),
            OpenApiParameter("at", str, description="查询时间（ISO 8601），默认当前时间"),
            OpenApiParameter("institution", str, description="机构编号或编码；为空表示全平台"),
        ],
        responses=s.ParameterLookupSerializer,
    )
    @action(detail=False, methods=["get"], renderer_classes=[JSONRenderer])
    def lookup(self, request: Request) -> Response:
        """某一时刻生效的参数值：机构覆盖值 → 全平台值 → 默认值。"""
        code = str(request.query_params.get("code", "")).strip()
        if not code:
            raise BusinessError("VALIDATION_ERROR", "请提供参数编码（code）。", fields={"code": ["该字段为必填项。"]})
        at = parse_instant(request.query_params.get("at"))
        institution = self._institution(request.query_params.get("institution"))
        found = selectors.param_resolve(code, at=at, institution=institution)
        record = found.record
        value = found.value
        payload = {
            "code": found.parameter.code,
            "name": found.parameter.name,
            "value_type": found.parameter.value_type,
            "value": str(value) if found.parameter.value_type == "decimal" else value,
            "text": found.text,
            "source": found.source,
            "source_display": ValueSource(found.source).label,
            "value_id": record.pk if record else None,
            "institution": record.institution_id if record else None,
            "effective_from": record.effective_from if record else None,
            "expires_at": record.expires_at if record else None,
            "at": found.at,
        }
        return Response(s.ParameterLookupSerializer(payload).data)


class ParameterValueViewSet(ResourceViewSet):
    """参数配置：带生效/失效时间的参数值（全平台或机构覆盖）。写入经由参数值服务（加锁、有效期重叠检查、规范化）。"""

    queryset = models.ParameterValue.objects.select_related("parameter", "institution")
    serializer_class = s.ParameterValueSerializer
    permission_base = PARAMETER_VALUE
    action_codes = {"override": f"{PARAMETER_VALUE}.add"}
    WRITE_ACTIONS = ResourceViewSet.WRITE_ACTIONS | {"override"}
    project = PROJECT
    # no Excel import: the generic import would bypass the services below
    import_enabled = False
    import_rows = None  # type: ignore[assignment]
    import_template = None  # type: ignore[assignment]
    filterset_class = filters.ParameterValueFilter
    search_fields = ["parameter__code", "parameter__name", "value", "note"]
    ordering_fields = ["effective_from", "expires_at", "parameter__code"]

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        serializer.instance = services.parameter_value_create(
            actor=self.request.user, visible=self.get_queryset(), **serializer.validated_data
        )

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        serializer.instance = services.parameter_value_update(
            record=serializer.instance,  # type: ignore[arg-type]  # an update always has its instance
            actor=self.request.user,
            visible=self.get_queryset(),
            **serializer.validated_data,
        )

    def perform_destroy(self, instance: Any) -> None:
        services.parameter_value_delete(record=instance, actor=self.request.user)

    @extend_schema(request=s.ParameterOverrideSerializer, responses={201: s.ParameterValueSerializer})
    @action(detail=False, methods=["post"], renderer_classes=[JSONRenderer])
    def override(self, request: Request) -> Response:
        """覆盖：在生效时间处结束当前长期有效的参数值，并使新值自该时间起生效（需要新增和修改权限）。"""
        user: Any = request.user
        if not user.has_code(f"{PARAMETER_VALUE}.change"):
            raise exceptions.PermissionDenied()
        form = s.ParameterOverrideSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        row = services.parameter_value_override(actor=request.user, visible=self.get_queryset(), **form.validated_data)
        return Response(
            s.ParameterValueSerializer(row, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )


class DataElementViewSet(ResourceViewSet):
    """数据元（WS/T 363）：标识符、数据类型、表示格式与值域。"""

    queryset = models.DataElement.objects.select_related("value_domain")
    serializer_class = s.DataElementSerializer
    permission_base = DATA_ELEMENT
    action_codes = {"validate_value": f"{DATA_ELEMENT}.view"}
    project = PROJECT
    filterset_class = filters.DataElementFilter
    search_fields = ["identifier", "internal_id", "name", "definition"]
    ordering_fields = ["identifier", "internal_id", "name", "data_type"]

    @extend_schema(request=s.ValueCheckSerializer, responses=s.ValueCheckResultSerializer)
    @action(detail=True, methods=["post"], url_path="validate", renderer_classes=[JSONRenderer])
    def validate_value(self, request: Request, pk: str | None = None) -> Response:
        """按数据元的表示格式和值域校验一个值。"""
        element = self.get_object()
        form = s.ValueCheckSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        result = selectors.validate_value(element, form.validated_data["value"])
        return Response({"valid": result.valid, "message": result.message})
