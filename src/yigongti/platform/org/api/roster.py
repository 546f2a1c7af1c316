"""GET institutions/{id}/roster.pdf — 打印机构花名册 (reads the org models; see ``roster.py``)."""

from __future__ import annotations

from typing import cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from yigongti.core.audit.choices import Category
from yigongti.core.audit.services import audit_read
from yigongti.core.documents.api import serializers as s
from yigongti.core.documents.api.views import (
    ERRORS,
    NO_FORMAT_PARAM,
    PDF_MEDIA_TYPE,
    TAGS,
    BinaryRenderer,
    HasPermissionCode,
    file_response,
)
from yigongti.core.scope import ScopedUser
from yigongti.platform.org.roster import access_roster_institution, institution_roster_pdf

PROJECT = "文档打印"


class InstitutionRosterView(APIView):
    permission_classes = [HasPermissionCode]
    permission_code = "org.staff.view"
    renderer_classes = [JSONRenderer, BinaryRenderer]

    @extend_schema(
        operation_id="documents_institution_roster",
        summary="打印机构花名册（PDF）",
        description="机构的科室与在职人员（含职称），按数据权限过滤。需要 org.staff.view；机构不在数据权限内返回 404。",
        parameters=[s.PdfOptionsSerializer, NO_FORMAT_PARAM],
        responses={
            (200, PDF_MEDIA_TYPE): OpenApiTypes.BINARY,
            400: OpenApiResponse(description="VALIDATION_ERROR：page_size 只能是 A4、A5、B5"),
            **ERRORS,
            403: OpenApiResponse(description="PERMISSION_DENIED：没有 org.staff.view 权限"),
            404: OpenApiResponse(description="NOT_FOUND：机构不存在或不在数据权限内"),
        },
        tags=TAGS,
    )
    def get(self, request: Request, institution_id: int) -> object:
        options = s.PdfOptionsSerializer(data=request.query_params)
        options.is_valid(raise_exception=True)
        page_size, landscape = options.validated_data["page_size"], options.validated_data["landscape"]
        user = cast(ScopedUser, request.user)  # HasPermissionCode let only logged-in users through
        institution = access_roster_institution(user, institution_id)
        content = institution_roster_pdf(institution=institution, user=user, page_size=page_size, landscape=landscape)
        audit_read(
            instance_type="org.institution",
            ids=[institution.pk],
            category=Category.EXPORT,
            project=PROJECT,
            content=f"打印机构花名册：{institution.name}（{page_size}）",
        )
        return file_response(content, PDF_MEDIA_TYPE, f"{institution.name}机构花名册.pdf")
