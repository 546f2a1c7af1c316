"""Resident registry API: masked answers, blind-index search, audited reveal (PLAT-02, SEC-02)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from yigongti.core.api.export import read_workbook
from yigongti.core.api.viewsets import (
    ImportResultSerializer,
    ImportSerializer,
    ReadOnlyResourceViewSet,
    ResourceViewSet,
)
from yigongti.core.errors import BusinessError
from yigongti.platform.registry import models, services
from yigongti.platform.registry.access import access_resident
from yigongti.platform.registry.api import filters
from yigongti.platform.registry.api import serializers as s
from yigongti.platform.registry.selectors import resident_queryset


class ResidentViewSet(ResourceViewSet):
    """居民档案. ID number, phone and address are always masked here; the full values only come
    from ``POST residents/{id}/reveal`` with 查看敏感信息, and every reveal is logged."""

    queryset = models.Resident.objects.all()
    serializer_class = s.ResidentSerializer
    brief_serializer_class = s.ResidentBriefSerializer
    permission_base = "registry.resident"
    action_codes = {"reveal": "registry.resident.view_sensitive"}
    audit_reads = True
    project = services.PROJECT
    filterset_class = filters.ResidentFilter
    search_fields = ["name"]
    ordering_fields = ["id", "name", "birth_date", "created_at"]

    def base_queryset(self) -> Any:
        return resident_queryset()

    def get_object(self) -> models.Resident:
        for_update = self.action in self.WRITE_ACTIONS
        resident = access_resident(self.request.user, self.kwargs[self.lookup_field], for_update=for_update)  # type: ignore[arg-type]
        self.check_object_permissions(self.request, resident)
        return resident

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        serializer.instance = services.resident_create(data=serializer.validated_data, actor=self.request.user)

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        assert serializer.instance is not None
        serializer.instance = services.resident_update(
            resident=serializer.instance, data=serializer.validated_data, actor=self.request.user
        )

    def perform_destroy(self, instance: models.Resident) -> None:  # type: ignore[override]
        services.resident_delete(resident=instance, actor=self.request.user)

    @extend_schema(request=None, responses={200: s.RevealSerializer})
    @action(detail=True, methods=["post"])
    def reveal(self, request: Request, pk: str | None = None) -> Response:
        """查看完整的身份证号、联系电话、现住址：需要“查看敏感信息”权限，每次调用记一条业务日志。"""
        resident = self.get_object()
        return Response(services.resident_reveal(resident=resident, actor=request.user))

    @extend_schema(request={"multipart/form-data": ImportSerializer}, responses={201: ImportResultSerializer})
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_rows(self, request: Request) -> Response:  # type: ignore[override]
        """Excel import through the resident services (normalisation, duplicates, masked audit)."""
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
            if isinstance(data.get("chronic_diseases"), (str, int)):
                text = str(data["chronic_diseases"]).replace("、", ",")
                data["chronic_diseases"] = [v.strip() for v in text.split(",") if v.strip()]
            for key in ("id_number", "phone"):
                if isinstance(data.get(key), int):  # Excel keeps long digit strings as numbers
                    data[key] = str(data[key])
            serializer = self.get_serializer(data=data)
            if serializer.is_valid():
                valid.append((number, serializer.validated_data))
            else:
                errors[f"第{number}行"] = serializer.errors
        if errors:
            raise services.import_failed(errors)
        created = services.resident_import(rows=valid, actor=request.user)
        return Response({"created": len(created)}, status=status.HTTP_201_CREATED)


class ChronicDiseaseViewSet(ReadOnlyResourceViewSet):
    """慢性病种 (read-only reference list; readable by whoever may view residents)."""

    queryset = models.ChronicDisease.objects.all()
    serializer_class = s.ChronicDiseaseSerializer
    permission_base = "registry.resident"
    project = services.PROJECT
    filterset_fields = ["code"]
    search_fields = ["code", "name", "icd10"]
