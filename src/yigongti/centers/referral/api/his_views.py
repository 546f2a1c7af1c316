"""HIS interface (hospital systems with OAuth2 client-credentials tokens) and the FHIR views of a
referral. Thin: validation in ``his_serializers``, writes in ``integration`` (stored raw first,
processed through A's services), reads through ``access_referral`` (another institution's referral
answers 404)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yigongti.centers.referral import fhir, integration, webhooks
from yigongti.centers.referral.access import access_referral
from yigongti.centers.referral.api import his_serializers as s
from yigongti.core.api.permissions import ActionPermission
from yigongti.core.audit.choices import Category
from yigongti.core.audit.services import audit_read
from yigongti.core.errors import BusinessError
from yigongti.platform.integration.fhir.transport import FhirNegotiation, FhirRenderer, operation_outcome

PROJECT = "双向转诊"
TAGS = ["referral-his"]
ERRORS = {
    (400, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT, description="数据有误（统一错误格式）"),
    (409, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT, description="幂等键冲突或状态不允许"),
    (422, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT, description="业务拒绝"),
}


class HisView(APIView):
    permission_classes = [ActionPermission]
    code = integration.HIS_SUBMIT

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.action = "his"
        self.action_codes = {"his": self.code}
        super().initial(request, *args, **kwargs)


def _answer(status: int, data: Any) -> Response:
    return Response(data, status=status)


class HisReferralCreateView(HisView):
    @extend_schema(
        operation_id="referral_his_create",
        summary="HIS 创建转诊单（幂等）",
        description="幂等键：请求头 Idempotency-Key 或字段 external_key。同一键同一内容重放返回同一结果；"
        "同一键不同内容返回 409。默认创建后立即提交（submit=true），可同时占用号源（slot）。",
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
        request=s.HisReferralCreateSerializer,
        responses={201: s.HisReferralSerializer, 200: s.HisReferralSerializer, **ERRORS},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        integration.client_of(request.user)
        body = request.data if isinstance(request.data, dict) else {}
        if not isinstance(request.data, dict):
            raise BusinessError("VALIDATION_ERROR", "请求体必须是 JSON 对象。")
        key = integration.idempotency_key(request.headers.get("Idempotency-Key"), body.get("external_key"))
        status, data = integration.his_receive(
            principal=request.user,  # type: ignore[arg-type]
            message_type=integration.MSG_CREATE,
            body=body,
            key=key,
        )
        return _answer(status, data)


class HisReferralDetailView(HisView):
    code = integration.REFERRAL_VIEW

    @extend_schema(
        operation_id="referral_his_status", summary="HIS 查询转诊单状态", responses=s.HisReferralSerializer, tags=TAGS
    )
    def get(self, request: Request, pk: int) -> Response:
        referral = access_referral(request.user, pk)
        audit_read(
            instance_type="referral.referral",
            ids=[referral.pk],
            project=PROJECT,
            content=f"接口查询转诊单 {referral.number}",
        )
        return Response(s.HisReferralSerializer(referral).data)


class HisPackageView(HisView):
    @extend_schema(
        operation_id="referral_his_package",
        summary="HIS 推送患者及诊疗资料到转诊单（草稿）",
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
        request=s.HisPackagePushSerializer,
        responses={200: s.HisReferralSerializer, **ERRORS},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        integration.client_of(request.user)
        referral = access_referral(request.user, pk)
        body = request.data if isinstance(request.data, dict) else {}
        key = (request.headers.get("Idempotency-Key") or "").strip()
        if key:
            key = integration.idempotency_key(key, None)
        status, data = integration.his_receive(
            principal=request.user,  # type: ignore[arg-type]
            message_type=integration.MSG_PACKAGE,
            body={**body, "referral": referral.pk},
            key=key,
        )
        return _answer(status, data)


class HisSubmitView(HisView):
    @extend_schema(
        operation_id="referral_his_submit",
        summary="HIS 提交转诊单草稿（可占用号源）",
        request=s.HisSubmitSerializer,
        responses={200: s.HisReferralSerializer, **ERRORS},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        integration.client_of(request.user)
        referral = access_referral(request.user, pk)
        body = request.data if isinstance(request.data, dict) else {}
        status, data = integration.his_receive(
            principal=request.user,  # type: ignore[arg-type]
            message_type=integration.MSG_SUBMIT,
            body={**body, "referral": referral.pk},
            key="",
        )
        return _answer(status, data)


class HisSlotsView(HisView):
    @extend_schema(
        operation_id="referral_his_slots",
        summary="HIS 查询转入机构的转诊号源",
        parameters=[
            OpenApiParameter("institution", int, required=True, description="转入机构（本医共体内）"),
            OpenApiParameter("kind", str, enum=["outpatient", "inpatient", "exam"]),
            OpenApiParameter("department", int),
            OpenApiParameter("days", int, description="查询天数（1–60，默认 14）"),
        ],
        responses=s.HisSlotSerializer(many=True),
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        client = integration.client_of(request.user)
        params = integration.read_params(request.query_params, required=("institution",))
        institution = integration.target_institution(client, int(params["institution"] or 0))
        days = min(max(params.get("days") or 14, 1), 60)
        slots = integration.open_slots(
            principal=request.user,
            institution=institution,
            kind=str(request.query_params.get("kind", "")),
            department_id=params.get("department"),
            days=days,
        )
        return Response(s.HisSlotSerializer(slots, many=True).data)


class HisBedsView(HisView):
    @extend_schema(
        operation_id="referral_his_beds",
        summary="HIS 查询转入机构各科室床位",
        parameters=[
            OpenApiParameter("institution", int, required=True, description="转入机构（本医共体内）"),
            OpenApiParameter("department", int),
        ],
        responses=s.HisBedSerializer(many=True),
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        client = integration.client_of(request.user)
        params = integration.read_params(request.query_params, required=("institution",))
        institution = integration.target_institution(client, int(params["institution"] or 0))
        rows = integration.bed_availability(institution=institution, department_id=params.get("department"))
        return Response(s.HisBedSerializer(rows, many=True).data)


def _webhook_state(client: Any, *, with_secret: bool) -> dict[str, Any]:
    destination = webhooks.webhook_destination(client)
    state: dict[str, Any] = {
        "url": destination.url if destination else "",
        "enabled": bool(destination and destination.enabled),
        "destination": webhooks.destination_code(client.pk),
        "signature_alg": webhooks.SIGNATURE_ALG,
    }
    if with_secret:
        state["signing_secret"] = webhooks.signing_secret(client)
    return state


class HisWebhookView(HisView):
    @extend_schema(
        operation_id="referral_his_webhook_get",
        summary="HIS 查看状态回调登记",
        responses=s.HisWebhookStateSerializer,
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        return Response(_webhook_state(integration.client_of(request.user), with_secret=False))

    @extend_schema(
        operation_id="referral_his_webhook_put",
        summary="HIS 登记状态回调地址（返回签名密钥）",
        request=s.HisWebhookSerializer,
        responses=s.HisWebhookStateSerializer,
        tags=TAGS,
    )
    def put(self, request: Request) -> Response:
        client = integration.client_of(request.user)
        serializer = s.HisWebhookSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        webhooks.webhook_register(client=client, url=serializer.validated_data["url"], actor=request.user)
        return Response(_webhook_state(client, with_secret=True))

    @extend_schema(
        operation_id="referral_his_webhook_delete",
        summary="HIS 停用状态回调",
        responses=s.HisWebhookStateSerializer,
        tags=TAGS,
    )
    def delete(self, request: Request) -> Response:
        client = integration.client_of(request.user)
        with transaction.atomic():
            webhooks.webhook_unregister(client=client, actor=request.user)
        return Response(_webhook_state(client, with_secret=False))


# -- FHIR R4B: ServiceRequest + Task -------------------------------------------------------------------
FHIR_RESPONSES = {(200, "application/fhir+json"): OpenApiResponse(OpenApiTypes.OBJECT, description="FHIR R4B JSON")}


class FhirReferralView(APIView):
    """``/fhir/ServiceRequest/{id}`` and ``/fhir/Task/{id}``: errors are OperationOutcome."""

    renderer_classes = [FhirRenderer]
    content_negotiation_class = FhirNegotiation
    permission_classes = [ActionPermission]
    resource = "ServiceRequest"

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.action = "read"
        self.action_codes = {"read": integration.REFERRAL_VIEW}
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        data = response.data if isinstance(response.data, dict) else {}
        response.data = operation_outcome(response.status_code, str(data.get("message") or "请求无法处理。"))
        return response

    def get(self, request: Request, pk: str) -> Response:
        referral = access_referral(request.user, pk)
        audit_read(
            instance_type="referral.referral",
            ids=[referral.pk],
            category=Category.READ,
            project=PROJECT,
            content=f"FHIR 读取转诊单 {self.resource} {referral.number}",
        )
        return Response(fhir.RESOURCES[self.resource](referral))


def fhir_view(resource: str) -> type[FhirReferralView]:
    schema = extend_schema(
        operation_id=f"referral_fhir_{resource.lower()}_read",
        summary=f"FHIR 读取转诊单（{resource}）",
        responses=FHIR_RESPONSES,
        tags=["fhir"],
    )
    view: type[FhirReferralView] = extend_schema_view(get=schema)(
        type(f"Fhir{resource}ReferralView", (FhirReferralView,), {"resource": resource})
    )
    return view
