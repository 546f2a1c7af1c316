"""Visits upload, reference data, projects and tasks of 处方点评."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from yigongti.centers.prescription_review.comment import error_codes, payload
from yigongti.centers.prescription_review.comment.api import serializers as s
from yigongti.centers.prescription_review.comment.choices import SampleStatus, TaskStatus
from yigongti.centers.prescription_review.comment.models import (
    CommentProject,
    CommentTask,
    ConditionTemplate,
    PharmacistGroup,
    ReasonTemplate,
    ReplyTemplate,
    SamplingPolicy,
    Visit,
)
from yigongti.centers.prescription_review.comment.permissions import (
    GROUP_CODE,
    POLICY,
    PROJECT,
    REASON,
    REPLY,
    TASK,
    TEMPLATE,
    VISIT,
)
from yigongti.centers.prescription_review.comment.services import tasks as task_services
from yigongti.centers.prescription_review.comment.services.upload import (
    PROJECT as AUDIT_PROJECT,
)
from yigongti.centers.prescription_review.comment.services.upload import (
    validate_visit_payload,
    visit_upload,
    visit_upload_batch,
)
from yigongti.core.api.export import XLSX_MEDIA_TYPE, build_workbook, read_workbook
from yigongti.core.api.viewsets import ReadOnlyResourceViewSet, ResourceViewSet, xlsx_response
from yigongti.core.errors import BusinessError, ConflictError
from yigongti.core.scope import apply_scope, model_scope
from yigongti.platform.org.models import Institution


def upload_institution(request: Request, requested: Any = None) -> Institution:
    """A hospital system uploads for its own institution; a console user for the given institution
    (within scope) or the current one."""
    user: Any = request.user
    client_institution = getattr(user, "institution_pk", None) if getattr(user, "is_api_client", False) else None
    if client_institution is not None:
        return Institution.objects.get(pk=client_institution)
    wanted = requested or getattr(user, "current_institution_id", None) or getattr(user, "institution_id", None)
    qs = apply_scope(Institution.objects.all(), model_scope(Institution), user.scope_context(), for_write=True)
    found = qs.filter(pk=wanted).first() if wanted and str(wanted).isdigit() else None
    if found is None:
        raise BusinessError(
            error_codes.VISIT_NO_INSTITUTION,
            "请选择上报机构（须在您的数据权限内）。",
            fields={"institution": ["无效。"]},
        )
    return found


class VisitViewSet(ReadOnlyResourceViewSet):
    """数据上报: finished visits (patient data — every read is audited)."""

    queryset = Visit.objects.select_related("institution")
    serializer_class = s.VisitListSerializer
    permission_base = VISIT
    action_codes = {
        "upload": f"{VISIT}.upload",
        "upload_batch": f"{VISIT}.import",
        "import_template": f"{VISIT}.import",
    }
    audit_reads = True
    project = AUDIT_PROJECT
    filterset_fields = ["institution", "visit_type", "source", "doctor_code"]
    search_fields = ["visit_no", "patient_name", "doctor_name"]
    ordering_fields = ["visit_time", "updated_at"]

    def base_queryset(self) -> QuerySet[Any]:
        qs = Visit.objects.select_related("institution").annotate(prescription_count=Count("prescriptions"))
        if self.action == "retrieve":
            qs = qs.prefetch_related("diagnoses", "prescriptions__items", "labs__results", "exams")
        return qs.order_by("-visit_time", "-id")

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "retrieve":
            return s.VisitDetailSerializer
        return super().get_serializer_class()

    @extend_schema(
        request=OpenApiTypes.OBJECT, responses={200: s.UploadResultSerializer, 201: s.UploadResultSerializer},
        summary="上报一次已完成就诊（按就诊ID新增或更新）",
    )  # fmt: skip
    @action(detail=False, methods=["post"], parser_classes=[JSONParser], renderer_classes=[JSONRenderer])
    def upload(self, request: Request) -> Response:
        body = request.data if isinstance(request.data, dict) else {}
        institution = upload_institution(request, body.get("institution"))
        data = validate_visit_payload(body)
        visit, created = visit_upload(institution=institution, data=data, actor=request.user)
        return Response(
            {
                "id": visit.pk,
                "visit_id": visit.visit_no,
                "created": created,
                "prescriptions": len(data["prescriptions"]),
            },
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        request={"multipart/form-data": s.BatchUploadSerializer}, responses={201: s.BatchResultSerializer},
        summary="批量上报（JSON Lines 每行一次就诊，或按导入模板填写的 Excel）",
    )  # fmt: skip
    @action(
        detail=False, methods=["post"], url_path="upload-batch", parser_classes=[MultiPartParser],
        renderer_classes=[JSONRenderer],
    )  # fmt: skip
    def upload_batch(self, request: Request) -> Response:
        upload = request.FILES.get("file")
        if upload is None:
            raise BusinessError(
                error_codes.BATCH_INVALID, "请上传文件（字段名 file）。", fields={"file": ["请选择文件。"]}
            )
        institution = upload_institution(request, request.data.get("institution"))
        content = upload.read()
        name = (upload.name or "").lower()
        if name.endswith(".xlsx"):
            try:
                rows = read_workbook(content, payload.FLAT_COLUMNS)
            except Exception:
                raise BusinessError(error_codes.BATCH_INVALID, "无法读取该 Excel 文件，请使用导入模板。") from None
            grouped = payload.flat_rows_to_payloads(rows)
            items = [(f"第{'、'.join(map(str, numbers))}行", data) for numbers, data in grouped]
        else:
            items = []
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise BusinessError(error_codes.BATCH_INVALID, "JSON Lines 文件须为 UTF-8 编码。") from None
            for number, line in enumerate(text.splitlines(), start=1):
                if not line.strip():
                    continue
                try:
                    items.append((f"第{number}行", json.loads(line)))
                except json.JSONDecodeError:
                    raise BusinessError(
                        error_codes.BATCH_INVALID,
                        f"第{number}行不是有效的 JSON。",
                        fields={f"第{number}行": ["JSON 格式错误。"]},
                    ) from None
        if not items:
            raise BusinessError(error_codes.BATCH_INVALID, "文件中没有就诊数据。")
        if len(items) > 5000:
            raise BusinessError(error_codes.BATCH_INVALID, "一次最多上报 5000 次就诊。")
        result = visit_upload_batch(institution=institution, payloads=items, actor=request.user)
        return Response(result, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, XLSX_MEDIA_TYPE): OpenApiTypes.BINARY}, summary="批量上报 Excel 模板")
    @action(detail=False, methods=["get"], url_path="import-template")
    def import_template(self, request: Request) -> HttpResponse:
        return xlsx_response(build_workbook("就诊数据", payload.FLAT_COLUMNS, []), "点评就诊数据导入模板")


class SamplingPolicyViewSet(ResourceViewSet):
    queryset = SamplingPolicy.objects.select_related("institution")
    serializer_class = s.SamplingPolicySerializer
    permission_base = POLICY
    project = AUDIT_PROJECT
    filterset_fields = ["institution"]


class ConditionTemplateViewSet(ResourceViewSet):
    queryset = ConditionTemplate.objects.select_related("institution")
    serializer_class = s.ConditionTemplateSerializer
    permission_base = TEMPLATE
    project = AUDIT_PROJECT
    import_enabled = False
    filterset_fields = ["institution"]
    search_fields = ["name"]


class PharmacistGroupViewSet(ResourceViewSet):
    queryset = PharmacistGroup.objects.select_related("institution").prefetch_related("members")
    serializer_class = s.PharmacistGroupSerializer
    permission_base = GROUP_CODE
    project = AUDIT_PROJECT
    import_enabled = False
    filterset_fields = ["institution"]
    search_fields = ["name"]


class ReasonTemplateViewSet(ResourceViewSet):
    """不合理理由模板: the built-in 15/9/4 items are read-only; institutions add their own."""

    queryset = ReasonTemplate.objects.select_related("institution")
    serializer_class = s.ReasonTemplateSerializer
    permission_base = REASON
    project = AUDIT_PROJECT
    filterset_fields = ["category", "is_builtin", "institution"]
    search_fields = ["code", "text"]
    ordering_fields = ["category", "order", "code"]

    def _refuse_builtin(self, instance: Any) -> None:
        if instance is not None and instance.is_builtin:
            raise ConflictError(error_codes.BUILTIN_REASON, "规范内置的不合理理由不能修改或删除，请新增自定义理由。")

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        self._refuse_builtin(serializer.instance)
        super().perform_update(serializer)

    def perform_destroy(self, instance: Any) -> None:
        self._refuse_builtin(instance)
        super().perform_destroy(instance)


class ReplyTemplateViewSet(ResourceViewSet):
    """医师常用申诉回复模板 (private to each doctor)."""

    queryset = ReplyTemplate.objects.all()
    serializer_class = s.ReplyTemplateSerializer
    permission_base = REPLY
    project = AUDIT_PROJECT
    import_enabled = False
    ordering_fields = ["order", "id"]

    def base_queryset(self) -> QuerySet[Any]:
        return ReplyTemplate.objects.filter(owner_id=self.request.user.pk)


class CommentProjectViewSet(ResourceViewSet):
    queryset = CommentProject.objects.select_related("institution")
    serializer_class = s.CommentProjectSerializer
    permission_base = PROJECT
    project = AUDIT_PROJECT
    import_enabled = False
    filterset_fields = ["institution"]
    search_fields = ["name"]
    ordering_fields = ["period_start", "id"]

    def base_queryset(self) -> QuerySet[Any]:
        return (
            CommentProject.objects.select_related("institution")
            .annotate(
                task_count=Count("tasks", distinct=True),
                started_task_count=Count("tasks", filter=~Q(tasks__status=TaskStatus.DRAFT), distinct=True),
                sample_total=Count("tasks__samples", distinct=True),
                judged_total=Count(
                    "tasks__samples", filter=Q(tasks__samples__status=SampleStatus.JUDGED), distinct=True
                ),
            )
            .order_by("-period_start", "-id")
        )

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        task_services.project_update(serializer=serializer, user=self.request.user, visible=self.get_queryset())

    def perform_destroy(self, instance: Any) -> None:
        task_services.project_delete(project=instance, user=self.request.user)


class TaskActionResult(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    status = serializers.CharField()
    seed = serializers.IntegerField(allow_null=True)
    population_count = serializers.IntegerField()
    sample_count = serializers.IntegerField()


class CommentTaskViewSet(ResourceViewSet):
    """点评任务: editable and deletable only while 未开始; ``start`` samples, pre-reviews and allocates."""

    queryset = CommentTask.objects.select_related("project", "institution", "group")
    serializer_class = s.CommentTaskSerializer
    permission_base = TASK
    action_codes = {"start": f"{TASK}.start", "finish": f"{TASK}.finish"}
    project = AUDIT_PROJECT
    import_enabled = False
    filterset_fields = ["project", "status", "institution"]
    search_fields = ["name"]
    ordering_fields = ["id", "period_start"]

    def base_queryset(self) -> QuerySet[Any]:
        return (
            CommentTask.objects.select_related("project", "institution", "group")
            .annotate(judged_count=Count("samples", filter=Q(samples__status=SampleStatus.JUDGED)))
            .order_by("-id")
        )

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        task_services.task_update(serializer=serializer, user=self.request.user, visible=self.get_queryset())

    def perform_destroy(self, instance: Any) -> None:
        task_services.task_delete(task=instance, user=self.request.user)

    def _result(self, task: CommentTask) -> Response:
        return Response(
            {
                "id": task.pk,
                "status": task.status,
                "seed": task.seed,
                "population_count": task.population_count,
                "sample_count": task.sample_count,
            }
        )

    @extend_schema(request=None, responses={200: TaskActionResult}, summary="开始点评（抽样、自动预审、分配药师）")
    @action(detail=True, methods=["post"], renderer_classes=[JSONRenderer])
    def start(self, request: Request, pk: str | None = None) -> Response:
        task = self.get_object()
        return self._result(task_services.task_start(task=task, actor=request.user))

    @extend_schema(request=None, responses={200: TaskActionResult}, summary="完成点评任务")
    @action(detail=True, methods=["post"], renderer_classes=[JSONRenderer])
    def finish(self, request: Request, pk: str | None = None) -> Response:
        task = self.get_object()
        return self._result(task_services.task_finish(task=task, actor=request.user))
