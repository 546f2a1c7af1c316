"""Document endpoints that need no business data: barcode/QR images and label sheets (PLAT-12).

Binary answers (PDF, PNG, SVG) come back as files; every error is the usual JSON
``{"code", "message", "fields"}`` because JSON is the first renderer of each view.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from yigongti.core.documents import labels
from yigongti.core.documents.api import serializers as s

PDF_MEDIA_TYPE = "application/pdf"
SVG_MEDIA_TYPE = "image/svg+xml"
PNG_MEDIA_TYPE = "image/png"
TAGS = ["documents"]

ERRORS = {
    401: OpenApiResponse(description="NOT_AUTHENTICATED：未登录"),
    503: OpenApiResponse(description="DOCUMENT_RENDERER_UNAVAILABLE：服务器未安装 PDF 生成组件"),
}
# The PDF endpoints have no use for DRF's ?format= renderer switch; keep it out of the document.
NO_FORMAT_PARAM = OpenApiParameter("format", exclude=True)


class BinaryRenderer(BaseRenderer):
    """Lets a client ask for the file type (``Accept: application/pdf``, ``image/png``…) without a
    406; the views return finished ``HttpResponse`` objects, so nothing is rendered here."""

    media_type = "*/*"
    format = "file"
    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> Any:
        return data


class _NoFormatOverride:
    URL_FORMAT_OVERRIDE = None


class FormatParamIsImageFormat(DefaultContentNegotiation):
    """``?format=png|svg`` names the image format on the barcode endpoint, not a DRF renderer."""

    settings = _NoFormatOverride()  # type: ignore[assignment]


class HasPermissionCode(BasePermission):
    """Logged in and holding ``view.permission_code`` (the same codes as the menus and CRUD APIs)."""

    message = "没有执行该操作的权限。"

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        code = getattr(view, "permission_code", "")
        return bool(code) and bool(user.has_code(code))


def file_response(content: bytes, content_type: str, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\;' else "_" for ch in filename) or "document"
    disposition = "inline" if inline else "attachment"
    quoted = urllib.parse.quote(filename, safe="")
    response["Content-Disposition"] = f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quoted}"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    if content_type == SVG_MEDIA_TYPE:
        # An SVG opened directly must not run anything; PDFs are left alone (Chromium refuses to
        # show a PDF under a sandbox CSP).
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


class BarcodeView(APIView):
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer, BinaryRenderer]
    content_negotiation_class = FormatParamIsImageFormat

    @extend_schema(
        operation_id="documents_barcode",
        summary="生成条码 / 二维码图片",
        description="Code 128 条码（仅英文字母、数字、常用符号）或二维码（任意文字，≤1000 字节），PNG 或 SVG。",
        parameters=[s.BarcodeQuerySerializer],
        responses={
            (200, PNG_MEDIA_TYPE): OpenApiTypes.BINARY,
            (200, SVG_MEDIA_TYPE): OpenApiTypes.BINARY,
            400: OpenApiResponse(description="VALIDATION_ERROR / BARCODE_TEXT_INVALID / QR_TEXT_INVALID：参数有误"),
            **ERRORS,
        },
        tags=TAGS,
    )
    def get(self, request: Request) -> HttpResponse:
        query = s.BarcodeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        text, kind, fmt = query.validated_data["text"], query.validated_data["kind"], query.validated_data["format"]
        if kind == "qr":
            content = labels.qr_png(text) if fmt == "png" else labels.qr_svg(text)
        else:
            content = labels.barcode_png(text) if fmt == "png" else labels.barcode_svg(text)
        content_type = PNG_MEDIA_TYPE if fmt == "png" else SVG_MEDIA_TYPE
        return file_response(content, content_type, f"{kind}.{fmt}")


class LabelSheetView(APIView):
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer, BinaryRenderer]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="documents_label_sheet",
        summary="打印标签页（PDF）",
        description=(
            "按版式把标签排在 A4 纸上（a4-3x8：70×37 mm，每页 24 枚；a4-2x7：99.1×38.1 mm，每页 14 枚），"
            f"每枚含标题行、Code 128 条码、条码文字，可选二维码与备注。一次 1–{labels.MAX_LABELS} 枚。"
        ),
        parameters=[NO_FORMAT_PARAM],
        request=s.LabelSheetSerializer,
        responses={
            (200, PDF_MEDIA_TYPE): OpenApiTypes.BINARY,
            400: OpenApiResponse(description="VALIDATION_ERROR（逐枚标出的字段错误）/ LABEL_CODE_TOO_LONG"),
            **ERRORS,
        },
        tags=TAGS,
    )
    def post(self, request: Request) -> HttpResponse:
        body = s.LabelSheetSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        items = [labels.Label(**item) for item in data["labels"]]
        content = labels.label_sheet_pdf(items, labels.LAYOUTS[data["layout"]], title=data["title"])
        return file_response(content, PDF_MEDIA_TYPE, f"{data['title']}.pdf")
