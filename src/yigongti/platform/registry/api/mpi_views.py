"""Master patient index API (PLAT-02): registrations, the review queue, merges, identifiers and
manual link rules. One endpoint per action, each calling one service."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yigongti.core.api.permissions import ActionPermission
from yigongti.core.api.viewsets import ReadOnlyResourceViewSet
from yigongti.core.errors import BusinessError
from yigongti.platform.registry import models
from yigongti.platform.registry.access import access_resident
from yigongti.platform.registry.api import mpi_serializers as s
from yigongti.platform.registry.mpi import merge as merge_services
from yigongti.platform.registry.mpi import selectors
from yigongti.platform.registry.mpi import services as mpi
from yigongti.platform.registry.mpi.choices import CandidateStatus

VIEW, REGISTER, REVIEW, MERGE, LINK = (f"registry.mpi.{a}" for a in ("view", "register", "review", "merge", "link"))


def user_institution(request: Request) -> Any:
    institution = getattr(request.user, "institution", None)
    if institution is None:
        raise BusinessError("MPI_NO_INSTITUTION", "当前账号未归属任何机构，不能登记患者。", status_code=403)
    return institution


class RegistrationViewSet(ReadOnlyResourceViewSet):
    """患者登记: ``POST`` registers a patient of the user's institution and answers the outcome
    (匹配/疑似匹配/未匹配) with the linked resident when there is one."""

    queryset = models.PatientRegistration.objects.all()
    serializer_class = s.RegistrationSerializer
    permission_base = "registry.mpi"
    action_codes = {"list": VIEW, "retrieve": VIEW, "create": REGISTER}
    audit_reads = True
    project = mpi.PROJECT
    filterset_fields = ["status", "outcome", "source", "local_id", "method"]
    search_fields = ["name", "local_id"]
    ordering_fields = ["id", "created_at"]

    def base_queryset(self) -> Any:
        return selectors.registration_queryset()

    @extend_schema(request=s.RegistrationCreateSerializer, responses={201: s.RegistrationSerializer})
    def create(self, request: Request) -> Response:
        """登记患者并匹配主索引（身份证号 → 其他证件 → 概率匹配）。"""
        serializer = s.RegistrationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        external_ref = data.pop("external_ref", "")
        registration = mpi.registration_submit(
            institution=user_institution(request), data=data, actor=request.user, external_ref=external_ref
        )
        return Response(s.RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)


STATUS_PARAM = OpenApiParameter(
    "status", str, enum=["pending", "linked", "rejected", "all"], description="默认 pending（待审核）"
)


class ReviewQueueViewSet(ReadOnlyResourceViewSet):
    """主索引审核队列: candidates of the registrations of the reviewer's institutions."""

    queryset = models.MatchCandidate.objects.all()
    serializer_class = s.CandidateSerializer
    permission_base = "registry.mpi"
    action_codes = {"list": REVIEW, "retrieve": REVIEW, "link": REVIEW, "reject": REVIEW, "export": REVIEW}
    audit_reads = True
    project = mpi.PROJECT
    ordering_fields = ["id", "score", "created_at"]

    def base_queryset(self) -> Any:
        return selectors.review_queue_queryset()

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        wanted = self.request.query_params.get("status") or CandidateStatus.PENDING
        if self.action == "list" and wanted != "all":
            qs = qs.filter(status=wanted)
        return qs

    @extend_schema(parameters=[STATUS_PARAM])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return super().list(request, *args, **kwargs)

    def _candidate(self) -> models.MatchCandidate:
        return selectors.access_candidate(self.request.user, self.kwargs["pk"], for_update=True)  # type: ignore[arg-type]

    @extend_schema(request=None, responses={200: s.RegistrationSerializer})
    @action(detail=True, methods=["post"])
    def link(self, request: Request, pk: str | None = None) -> Response:
        """确认为同一人：登记关联到该候选居民，其余候选自动排除。"""
        registration = mpi.review_link(candidate=self._candidate(), actor=request.user)
        return Response(s.RegistrationSerializer(registration).data)

    @extend_schema(request=None, responses={200: s.RegistrationSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """排除该候选；全部候选被排除时为患者新建居民档案。"""
        registration = mpi.review_reject(candidate=self._candidate(), actor=request.user)
        return Response(s.RegistrationSerializer(registration).data)


class MergeViewSet(ReadOnlyResourceViewSet):
    """档案合并记录; ``POST merges/{id}/reverse`` undoes a merge exactly."""

    queryset = models.ResidentMerge.objects.all()
    serializer_class = s.MergeSerializer
    permission_base = "registry.mpi"
    action_codes = {"list": MERGE, "retrieve": MERGE, "reverse": MERGE, "export": MERGE}
    project = mpi.PROJECT
    filterset_fields = ["survivor", "merged"]

    def base_queryset(self) -> Any:
        return selectors.merge_queryset()

    @extend_schema(request=None, responses={200: s.MergeSerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request: Request, pk: str | None = None) -> Response:
        """撤销合并：迁移的标识与登记移回，被合并档案恢复有效。"""
        merge = selectors.access_merge(request.user, pk, for_update=True)  # type: ignore[arg-type]
        access_resident(request.user, merge.merged_id, for_update=True)  # type: ignore[arg-type]
        return Response(s.MergeSerializer(merge_services.merge_reverse(merge=merge, actor=request.user)).data)


class IdentifierViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """居民标识: ``POST identifiers/{id}/unlink`` detaches a wrongly linked identifier."""

    queryset = models.ResidentIdentifier.objects.all()
    serializer_class = s.IdentifierSerializer
    permission_classes = [ActionPermission]
    action_codes = {"unlink": LINK}

    @extend_schema(request=s.ReasonSerializer, responses={200: s.UnlinkResultSerializer})
    @action(detail=True, methods=["post"])
    def unlink(self, request: Request, pk: str | None = None) -> Response:
        """解除关联：该标识不属于此居民；登记重新匹配，且今后不再关联到此居民。"""
        body = s.ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        identifier = selectors.access_identifier(request.user, pk, for_update=True)  # type: ignore[arg-type]
        registrations = merge_services.identifier_unlink(
            identifier=identifier, actor=request.user, reason=body.validated_data.get("reason", "")
        )
        return Response({"registrations": s.RegistrationSerializer(registrations, many=True).data})


class LinkRuleViewSet(ReadOnlyResourceViewSet):
    """人工关联规则: force-link / never-link an identifier to a resident; always wins."""

    queryset = models.ManualLinkRule.objects.all()
    serializer_class = s.LinkRuleSerializer
    permission_base = "registry.mpi"
    action_codes = {"list": LINK, "retrieve": LINK, "create": LINK, "export": LINK}
    project = mpi.PROJECT
    filterset_fields = ["kind", "resident", "is_active"]

    def base_queryset(self) -> Any:
        return selectors.link_rule_queryset()

    @extend_schema(request=s.LinkRuleCreateSerializer, responses={201: s.LinkRuleSerializer})
    def create(self, request: Request) -> Response:
        body = s.LinkRuleCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        resident = access_resident(request.user, data["resident"], for_update=True)  # type: ignore[arg-type]
        key = mpi.identifier_key(
            data["identifier_type"], data["value"], data.get("issuer"), default_issuer=user_institution(request)
        )
        rule = mpi.link_rule_create(
            kind=data["kind"], key=key, resident=resident, actor=request.user, reason=data.get("reason", "")
        )
        return Response(s.LinkRuleSerializer(rule).data, status=status.HTTP_201_CREATED)
