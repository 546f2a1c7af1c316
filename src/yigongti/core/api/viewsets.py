"""The generic resource viewset: scoped queryset, permission codes, filters, brief form,
Excel export (``?format=xlsx``) and import, audit of every write and of patient-data reads."""

from __future__ import annotations

import urllib.parse
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from yigongti.core.api.export import XLSX_MEDIA_TYPE, build_workbook, export_columns, read_workbook, serializer_fields
from yigongti.core.api.permissions import ActionPermission
from yigongti.core.api.schema import ResourceAutoSchema
from yigongti.core.audit.choices import Category
from yigongti.core.audit.services import audit_read
from yigongti.core.crud import resource_create, resource_delete, resource_import, resource_update
from yigongti.core.errors import BusinessError
from yigongti.core.scope import apply_scope, model_scope

FORMAT_PARAM = OpenApiParameter("format", str, enum=["json", "xlsx"], description="xlsx 导出 Excel")
BRIEF_PARAM = OpenApiParameter("brief", bool, description="只返回简要字段（下拉选择用）")


class ImportSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(label="Excel 文件")


class ImportResultSerializer(serializers.Serializer[Any]):
    created = serializers.IntegerField()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_MEDIA_TYPE)
    quoted = urllib.parse.quote(f"{filename}.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quoted}"
    return response


class ReadOnlyResourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Declare ``queryset``, ``serializer_class``, ``permission_base`` and filters; nothing else.

    * ``brief_serializer_class``: the form returned for ``?brief=1`` (pickers).
    * ``audit_reads``: patient data; every detail, list page and export writes a 业务日志 row.
    * ``project``: the 项目 column of the audit log.
    """

    schema = ResourceAutoSchema()
    permission_classes = [ActionPermission]
    permission_base = ""
    action_codes: dict[str, str] = {}
    brief_serializer_class: type[serializers.Serializer[Any]] | None = None
    audit_reads = False
    project = ""
    import_enabled = True
    max_import_rows = 5000

    # -- reads -------------------------------------------------------------------------------
    def base_queryset(self) -> models.QuerySet[Any]:
        assert self.queryset is not None
        return self.queryset.all()

    WRITE_ACTIONS = frozenset({"create", "update", "partial_update", "destroy", "import_rows"})

    def get_queryset(self) -> models.QuerySet[Any]:
        qs = self.base_queryset()
        user = self.request.user
        if not user.is_authenticated:
            return qs.none()
        for_write = self.action in self.WRITE_ACTIONS
        return apply_scope(qs, model_scope(qs.model), user.scope_context(), for_write=for_write)

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "list" and self.brief_serializer_class and self._flag("brief"):
            return self.brief_serializer_class
        return super().get_serializer_class()

    def _flag(self, name: str) -> bool:
        return str(self.request.query_params.get(name, "")).lower() in {"1", "true", "yes"}

    def _label(self) -> str:
        model = self.base_queryset().model
        return str(model._meta.verbose_name)

    def _object_type(self) -> str:
        meta = self.base_queryset().model._meta
        return f"{meta.app_label}.{meta.model_name}"

    @extend_schema(parameters=[FORMAT_PARAM, BRIEF_PARAM])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        if request.accepted_renderer.format == "xlsx":
            return self.export(request)
        response = super().list(request, *args, **kwargs)
        if self.audit_reads:
            ids = [row.get("id") for row in response.data.get("results", [])]
            if ids:
                audit_read(
                    instance_type=self._object_type(),
                    ids=ids,
                    category=Category.LIST,
                    project=self.project,
                    content=f"查询{self._label()}列表，返回 {len(ids)} 条",
                )
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        if self.audit_reads:
            audit_read(
                instance_type=self._object_type(),
                ids=[kwargs.get(self.lookup_field, "")],
                project=self.project,
                content=f"查看{self._label()}详情",
            )
        return response

    def export(self, request: Request) -> HttpResponse:
        limit = int(getattr(settings, "EXPORT_MAX_ROWS", 50000))
        queryset = self.filter_queryset(self.get_queryset())
        count = queryset.count()
        if count > limit:
            raise BusinessError("EXPORT_TOO_LARGE", f"导出数据共 {count} 条，超过上限 {limit} 条，请缩小查询范围。")
        serializer = self.get_serializer(queryset, many=True)
        rows = serializer.data
        columns = export_columns(self.get_serializer())
        label = self._label()
        audit_read(
            instance_type=self._object_type(),
            ids=[r.get("id") for r in rows][:1000] if self.audit_reads else [],
            category=Category.EXPORT,
            project=self.project,
            content=f"导出{label} {len(rows)} 条",
        )
        return xlsx_response(build_workbook(label, columns, rows), label)


class ResourceViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, ReadOnlyResourceViewSet
):
    """A read-write resource: every write goes through the generic services in ``core.crud``."""

    # -- writes: one generic service each ----------------------------------------------------
    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        resource_create(
            serializer=serializer, user=self.request.user, visible=self.get_queryset(), project=self.project
        )

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        resource_update(
            serializer=serializer, user=self.request.user, visible=self.get_queryset(), project=self.project
        )

    def perform_destroy(self, instance: models.Model) -> None:
        resource_delete(instance=instance, user=self.request.user, project=self.project)

    # -- Excel import ------------------------------------------------------------------------
    def _import_columns(self) -> list[tuple[str, str]]:
        fields = serializer_fields(self.get_serializer())
        return [(n, str(f.label or n)) for n, f in fields.items() if not f.read_only]

    @extend_schema(request={"multipart/form-data": ImportSerializer}, responses={201: ImportResultSerializer})
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_rows(self, request: Request) -> Response:
        if not self.import_enabled:
            raise BusinessError("IMPORT_DISABLED", "该资源不支持 Excel 导入。", status_code=405)
        upload = request.FILES.get("file")
        if upload is None:
            raise BusinessError(
                "IMPORT_NO_FILE", "请上传 Excel 文件（字段名 file）。", fields={"file": ["请选择文件。"]}
            )
        try:
            rows = read_workbook(upload.read(), self._import_columns())
        except Exception:
            raise BusinessError("IMPORT_BAD_FILE", "无法读取该文件，请使用导入模板（.xlsx）。") from None
        if not rows:
            raise BusinessError("IMPORT_EMPTY", "文件中没有数据行。")
        if len(rows) > self.max_import_rows:
            raise BusinessError("IMPORT_TOO_LARGE", f"一次最多导入 {self.max_import_rows} 行。")
        valid, errors = [], {}
        for number, data in rows:
            serializer = self.get_serializer(data=self.import_prepare(data))
            if serializer.is_valid():
                valid.append((number, serializer))
            else:
                errors[f"第{number}行"] = serializer.errors
        if errors:
            raise BusinessError(
                "IMPORT_INVALID", f"共 {len(errors)} 行数据有误，未导入任何数据，请修改后重新上传。", fields=errors
            )
        created = self.import_save(valid)
        return Response({"created": len(created)}, status=status.HTTP_201_CREATED)

    def import_prepare(self, data: dict[str, Any]) -> dict[str, Any]:
        """Turn one spreadsheet row into request data: multi-value cells ("1、2" or "1, 2") become
        lists, and digit strings Excel stored as numbers (ID numbers, phones, codes) become text."""
        fields = serializer_fields(self.get_serializer())
        for name, value in list(data.items()):
            f = fields.get(name)
            if isinstance(f, serializers.ManyRelatedField | serializers.ListField) and isinstance(value, (str, int)):
                data[name] = [v.strip() for v in str(value).replace("、", ",").split(",") if v.strip()]
            elif isinstance(f, serializers.CharField) and isinstance(value, int) and not isinstance(value, bool):
                data[name] = str(value)
        return data

    def import_save(self, rows: list[tuple[int, serializers.BaseSerializer[Any]]]) -> list[Any]:
        """Create every validated row in one transaction (override to route through own services)."""
        return resource_import(
            serializers_=[s for _, s in rows], user=self.request.user, visible=self.get_queryset(), project=self.project
        )

    @extend_schema(responses={(200, XLSX_MEDIA_TYPE): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"], url_path="import-template")
    def import_template(self, request: Request) -> HttpResponse:
        label = self._label()
        return xlsx_response(build_workbook(label, self._import_columns(), []), f"{label}导入模板")
