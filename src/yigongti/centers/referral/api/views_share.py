"""Shared clinical data of a referral (REF-19 … REF-21): the package, attachments, the applicant's
lab/exam reports, images and the health-record link. The receiving side reads them while the
referral is active and for the share window after it ended (403 in Chinese afterwards); every read
writes a 业务日志 row (``audit_read``)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from yigongti.centers.referral.access import access_shared
from yigongti.centers.referral.clinical import referral_attachments, shared_view
from yigongti.core.audit.services import audit_read
from yigongti.core.errors import not_found


class SharedAttachmentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    category = serializers.CharField()
    category_display = serializers.CharField()
    mime_type = serializers.CharField()
    size = serializers.IntegerField()
    uploaded_at = serializers.CharField()
    url = serializers.CharField()


class ReferralSharedSerializer(serializers.Serializer[Any]):
    referral = serializers.IntegerField(label="转诊单")
    number = serializers.CharField(label="转诊单号")
    package = serializers.DictField(label="首诊信息包")
    attachments = SharedAttachmentSerializer(label="附件", many=True)
    lab_reports = serializers.ListField(label="检验报告", child=serializers.DictField())
    exam_reports = serializers.ListField(label="检查报告", child=serializers.DictField())
    images = serializers.ListField(label="影像", child=serializers.DictField())
    health_record = serializers.DictField(label="居民健康档案")


class ReferralShareMixin:
    @extend_schema(summary="查看共享诊疗资料", responses={200: ReferralSharedSerializer})
    @action(
        detail=True,
        methods=["get"],
        url_path="shared",
        filter_backends=[],
        pagination_class=None,
        renderer_classes=[JSONRenderer],
    )
    def shared(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        referral = access_shared(request.user, kwargs.get("pk"))
        body = shared_view(referral)
        audit_read(
            instance_type="referral.referral",
            ids=[referral.pk],
            project="双向转诊",
            content=f"查看转诊单 {referral.number}（{referral.patient_name}）的共享诊疗资料",
        )
        return Response(ReferralSharedSerializer(body).data)

    @extend_schema(
        summary="下载共享附件",
        parameters=[OpenApiParameter("attachment_id", int, OpenApiParameter.PATH, description="附件编号")],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"shared/attachments/(?P<attachment_id>[0-9]+)",
        filter_backends=[],
        pagination_class=None,
    )
    def shared_download(self, request: Request, *args: Any, **kwargs: Any) -> FileResponse:
        from yigongti.platform.files.access import OwnerRef
        from yigongti.platform.files.api.views import content_disposition
        from yigongti.platform.files.attachables import get_attachable
        from yigongti.platform.files.services import attachment_open

        referral = access_shared(request.user, kwargs.get("pk"))
        attachment = referral_attachments(referral).filter(pk=int(kwargs["attachment_id"])).first()
        attachable = get_attachable("referral.referral")
        if attachment is None or attachable is None:
            raise not_found()
        audit_read(
            instance_type="referral.referral",
            ids=[referral.pk],
            project="双向转诊",
            content=f"查看转诊单 {referral.number} 的共享附件“{attachment.original_name}”",
        )
        data = attachment_open(attachment=attachment, owner=OwnerRef(attachable, referral), purpose="转诊共享查看")
        content_type = attachment.mime_type + ("; charset=utf-8" if attachment.mime_type.startswith("text/") else "")
        response = FileResponse(data, content_type=content_type)
        response["Content-Length"] = str(attachment.size)
        response["Content-Disposition"] = content_disposition(attachment.original_name)
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
