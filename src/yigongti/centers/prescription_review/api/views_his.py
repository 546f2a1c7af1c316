"""The real-time interface for HIS clients (RX-01, RX-02, INT-01 row 6), OAuth2 scope ``rx.review``.

``POST his/prescriptions`` answers synchronously with the verdict; ``GET his/prescriptions/{his_id}``
is the poll; ``…/cancel`` cancels; ``…/double-sign`` is the doctor's double signature sent by the HIS.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yigongti.centers.prescription_review.access import access_prescription_by_his_id
from yigongti.centers.prescription_review.api import serializers as s
from yigongti.centers.prescription_review.choices import CheckSource, TaskStatus
from yigongti.centers.prescription_review.models import CheckRecord, ReviewTask
from yigongti.centers.prescription_review.services_submit import prescription_cancel, prescription_submit
from yigongti.centers.prescription_review.services_tasks import task_decide
from yigongti.core.api.permissions import ActionPermission
from yigongti.core.audit.services import audit_read
from yigongti.core.errors import BusinessError, ConflictError

HIS = "rx.his"


def _institution_id(user: Any) -> int:
    found = getattr(user, "institution_pk", None) or getattr(user, "institution_id", None)
    if not found:
        raise BusinessError("RX_NO_INSTITUTION", "调用方没有所属机构，不能提交处方。", status_code=403)
    return int(found)


class HisPrescriptionViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    permission_classes = [ActionPermission]
    action_codes = {
        "create": f"{HIS}.submit",
        "retrieve": f"{HIS}.view",
        "cancel": f"{HIS}.submit",
        "double_sign": "rx.prescription.double_sign",
    }
    lookup_field = "his_id"
    lookup_value_regex = r"[^/]+"
    serializer_class = s.RxVerdictSerializer
    pagination_class = None

    @extend_schema(
        summary="提交处方（实时审方）",
        request=s.RxHisPrescriptionSerializer,
        responses={200: s.RxVerdictSerializer, 201: s.RxVerdictSerializer},
        description=(
            "同一 HIS 处方号再次提交且内容有变化即为新版本（保留每个版本及每次审核）；内容相同的重复提交返回已保存的结果"
            "（200，resent=true）。verdict：pass 通过 / inform 通过并提示 / review 转药师审核 / double_sign 医生双签后可通过 /"
            " intercept 拦截。final=false 时请轮询 GET 或等待回调。"
        ),
    )
    def create(self, request: Request) -> Response:
        user = request.user
        source = CheckSource.HIS if getattr(user, "is_api_client", False) else CheckSource.CONSOLE
        result = prescription_submit(
            institution_id=_institution_id(user), payload=request.data, actor=user, source=source
        )
        data = s.verdict_data(
            result.prescription, result.version.number, result.check, result.task, resent=not result.created
        )
        return Response(
            s.RxVerdictSerializer(data).data, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        )

    @extend_schema(summary="查询处方审核结果（轮询）", responses={200: s.RxVerdictSerializer})
    def retrieve(self, request: Request, his_id: str) -> Response:
        rx = access_prescription_by_his_id(request.user, his_id)
        checks = list(CheckRecord.objects.filter(prescription=rx).select_related("version").order_by("sequence"))
        latest = checks[-1]
        task = ReviewTask.objects.filter(version_id=latest.version_id).order_by("-id").first()
        data = s.verdict_data(rx, latest.version.number, latest, task, resent=False)
        data["history"] = [
            {
                "version": c.version.number,
                "status": c.version.status,
                "verdict": c.verdict,
                "max_severity": c.max_severity,
                "finding_count": c.finding_count,
                "checked_at": c.checked_at,
            }
            for c in checks
        ]
        audit_read(
            instance_type="prescription_review.prescription", ids=[rx.pk], project="县域审方中心",
            content=f"HIS 查询处方 {his_id} 审核结果",
        )  # fmt: skip
        return Response(s.RxVerdictSerializer(data).data)

    @extend_schema(summary="撤销处方", request=s.RxCancelSerializer, responses={200: s.RxVerdictSerializer})
    @action(detail=True, methods=["post"], url_path="cancel", url_name="his-cancel")
    def cancel(self, request: Request, his_id: str) -> Response:
        body = s.RxCancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        access_prescription_by_his_id(request.user, his_id)
        rx = prescription_cancel(
            institution_id=_institution_id(request.user), his_id=his_id, reason=body.validated_data["reason"],
            actor=request.user,
        )  # fmt: skip
        return self.retrieve(request, rx.his_id)

    @extend_schema(
        summary="医生双签（HIS 代提交）", request=s.RxHisDoubleSignSerializer, responses={200: s.RxVerdictSerializer}
    )
    @action(detail=True, methods=["post"], url_path="double-sign", url_name="his-double-sign")
    def double_sign(self, request: Request, his_id: str) -> Response:
        body = s.RxHisDoubleSignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rx = access_prescription_by_his_id(request.user, his_id)
        task = (
            ReviewTask.objects.filter(prescription=rx, status=TaskStatus.REJECTED_DOUBLE_SIGN).order_by("-id").first()
        )
        if task is None:
            raise ConflictError(
                "RX_NOT_DOUBLE_SIGNABLE", f"处方 {his_id} 当前不允许双签（仅“驳回（可双签）”的处方可以双签）。"
            )
        task_decide(
            task=task, action="double_sign", actor=request.user, comment=body.validated_data["reason"],
            data={"doctor_name": body.validated_data["doctor_name"]},
        )  # fmt: skip
        return self.retrieve(request, his_id)
