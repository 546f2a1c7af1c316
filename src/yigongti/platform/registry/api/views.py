"""Resident registry API: masked answers, blind-index search, audited reveal (PLAT-02, SEC-02)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from yigongti.core.api.viewsets import (
    ReadOnlyResourceViewSet,
    ResourceViewSet,
)
from yigongti.platform.registry import models, services
from yigongti.platform.registry.access import access_resident
from yigongti.platform.registry.api import filters
from yigongti.platform.registry.api import mpi_serializers as mpi_s
from yigongti.platform.registry.api import serializers as s
from yigongti.platform.registry.mpi.merge import resident_merge
from yigongti.platform.registry.mpi.selectors import identifiers_of
from yigongti.platform.registry.selectors import resident_queryset


class ResidentViewSet(ResourceViewSet):
    """居民档案. ID number, phone and address are always masked here; the full values only come
    from ``POST residents/{id}/reveal`` with 查看敏感信息, and every reveal is logged."""

    queryset = models.Resident.objects.all()
    serializer_class = s.ResidentSerializer
    brief_serializer_class = s.ResidentBriefSerializer
    permission_base = "registry.resident"
    action_codes = {
        "reveal": "registry.resident.view_sensitive",
        "merge": "registry.mpi.merge",
        "identifiers": "registry.mpi.view",
    }
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

    @extend_schema(request=mpi_s.MergeRequestSerializer, responses={201: mpi_s.MergeSerializer})
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str | None = None) -> Response:
        """合并档案：``other`` 的标识与登记并入本档案，``other`` 停用；可撤销（merges/{id}/reverse）。"""
        body = mpi_s.MergeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        survivor = access_resident(request.user, pk, for_update=True)  # type: ignore[arg-type]
        merged = access_resident(request.user, body.validated_data["other"], for_update=True)  # type: ignore[arg-type]
        merge = resident_merge(
            survivor=survivor, merged=merged, actor=request.user, reason=body.validated_data.get("reason", "")
        )
        return Response(mpi_s.MergeSerializer(merge).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: mpi_s.IdentifierSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[], renderer_classes=[JSONRenderer])
    def identifiers(self, request: Request, pk: str | None = None) -> Response:
        """居民的全部标识（医保卡、居民健康卡、各机构患者ID/病案号…，号码脱敏）。"""
        resident = access_resident(request.user, pk)  # type: ignore[arg-type]
        return Response(mpi_s.IdentifierSerializer(identifiers_of(resident), many=True).data)

    def import_save(self, rows: list[tuple[int, Any]]) -> list[Any]:
        """Excel import through the resident services (normalisation, duplicates, masked audit)."""
        return services.resident_import(
            rows=[(number, serializer.validated_data) for number, serializer in rows], actor=self.request.user
        )


class ChronicDiseaseViewSet(ReadOnlyResourceViewSet):
    """慢性病种 (read-only reference list; readable by whoever may view residents)."""

    queryset = models.ChronicDisease.objects.all()
    serializer_class = s.ChronicDiseaseSerializer
    permission_base = "registry.resident"
    project = services.PROJECT
    filterset_fields = ["code"]
    search_fields = ["code", "name", "icd10"]
