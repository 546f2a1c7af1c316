"""附件 API: list a record's attachments, upload, download, preview, delete (PLAT-11).

Every action first accesses the owning record (``access.py``): the caller needs the files code of
the action *and* the owner's view code, and the owner must lie in the caller's data scope.
"""

from __future__ import annotations

import urllib.parse
from typing import IO, Any, BinaryIO, cast

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from yigongti.core.api.viewsets import ReadOnlyResourceViewSet
from yigongti.platform.files import permissions, preview, services
from yigongti.platform.files.access import OwnerRef, access_attachment, access_owner
from yigongti.platform.files.api import serializers as s
from yigongti.platform.files.models import Attachment
from yigongti.platform.files.selectors import attachment_queryset, attachments_of

OWNER_PARAMS = [
    OpenApiParameter(
        "owner_type", str, required=True, description="所属记录类型（app_label.model，如 registry.resident）"
    ),
    OpenApiParameter("owner_id", str, required=True, description="所属记录ID"),
]
ERRORS = {
    404: OpenApiResponse(description="记录不存在或无权访问"),
    409: OpenApiResponse(
        description="FILE_INTEGRITY_ERROR：文件校验失败，可能已被篡改；FILE_MISSING：存储中找不到文件"
    ),
}


class AnyMediaRenderer(BaseRenderer):
    """Lets a client ask for the file's own type (``Accept: image/png``…) without a 406."""

    media_type = "*/*"
    format = "file"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> Any:
        return data


def content_disposition(name: str) -> str:
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\' else "_" for ch in name) or "attachment"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{urllib.parse.quote(name, safe='')}"


def _protect(response: HttpResponse | FileResponse) -> None:
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"


class AttachmentViewSet(ReadOnlyResourceViewSet):
    queryset = Attachment.objects.filter(is_deleted=False)
    serializer_class = s.AttachmentSerializer
    permission_base = permissions.ATTACHMENT
    action_codes = {
        "create": permissions.ADD,
        "destroy": permissions.DELETE,
        "download": permissions.VIEW,
        "preview": permissions.VIEW,
    }
    audit_reads = True
    project = services.PROJECT
    renderer_classes = [JSONRenderer]
    parser_classes = [MultiPartParser, FormParser]
    filterset_fields = ["category"]
    search_fields = ["original_name", "description"]
    ordering_fields = ["created_at", "original_name", "size"]
    owner: OwnerRef | None = None

    def get_queryset(self) -> QuerySet[Attachment]:
        user = self.request.user
        if not user.is_authenticated:
            return Attachment.objects.none()
        if self.action == "list":
            query = s.AttachmentListQuerySerializer(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            owner = access_owner(user, query.validated_data["owner_type"], query.validated_data["owner_id"])  # type: ignore[arg-type]
            return attachments_of(owner)
        return attachment_queryset().filter(is_deleted=False)

    def get_object(self) -> Attachment:
        attachment, self.owner = access_attachment(
            self.request.user,  # type: ignore[arg-type]
            self.kwargs[self.lookup_field],
            for_write=self.action == "destroy",
        )
        self.check_object_permissions(self.request, attachment)
        return attachment

    @extend_schema(parameters=OWNER_PARAMS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        """某条记录的附件列表（owner_type + owner_id 必填），按上传时间倒序。"""
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """附件详情（不含文件内容；文件用 download 取得）。"""
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": s.AttachmentUploadSerializer},
        responses={201: s.AttachmentSerializer, 413: OpenApiResponse(description="FILE_TOO_LARGE")},
    )
    def create(self, request: Request) -> Response:
        """上传附件：按内容识别类型（扩展名不符则拒绝），按类别限制大小，记录 MD5 与 SM3。"""
        form = s.AttachmentUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        owner = access_owner(request.user, data["owner_type"], data["owner_id"], for_write=True)  # type: ignore[arg-type]
        upload = data["file"]
        attachment = services.attachment_upload(
            owner=owner,
            category=data["category"],
            filename=upload.name,
            stream=cast(BinaryIO, upload.file),
            description=data.get("description", ""),
            actor=request.user,
        )
        body = s.AttachmentSerializer(attachment, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None, **ERRORS})
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        """删除附件（逻辑删除，文件保留），记数据日志。"""
        attachment = self.get_object()
        assert self.owner is not None
        services.attachment_delete(attachment=attachment, owner=self.owner, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY, **ERRORS})
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, AnyMediaRenderer])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        """下载附件：先核对 MD5 与 SM3，一致才返回文件（Content-Type 为识别出的类型）；每次下载记业务日志。"""
        attachment = self.get_object()
        assert self.owner is not None
        data: IO[bytes] = services.attachment_open(attachment=attachment, owner=self.owner, purpose="下载")
        content_type = attachment.mime_type
        if content_type.startswith("text/"):
            content_type += "; charset=utf-8"
        response = FileResponse(data, content_type=content_type)
        response["Content-Length"] = str(attachment.size)
        response["Content-Disposition"] = content_disposition(attachment.original_name)
        _protect(response)
        return response

    @extend_schema(
        responses={
            (200, "image/png"): OpenApiTypes.BINARY,
            415: OpenApiResponse(description="PREVIEW_NOT_SUPPORTED / PREVIEW_UNAVAILABLE：该文件不能预览"),
            **ERRORS,
        }
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, AnyMediaRenderer])
    def preview(self, request: Request, pk: str | None = None) -> HttpResponse:
        """预览：图片缩略图或 PDF 第一页，PNG，最长边不超过 512 像素。"""
        attachment = self.get_object()
        assert self.owner is not None
        preview.ensure_previewable(attachment)
        with services.attachment_open(attachment=attachment, owner=self.owner, purpose="预览") as data:
            png = preview.render_preview(attachment, data)
        response = HttpResponse(png, content_type="image/png")
        _protect(response)
        return response
