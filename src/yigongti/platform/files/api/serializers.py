from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from yigongti.platform.files.choices import AttachmentCategory
from yigongti.platform.files.models import Attachment
from yigongti.platform.files.preview import can_preview


class AttachmentSerializer(serializers.ModelSerializer[Attachment]):
    owner_type = serializers.CharField(label="所属记录类型", read_only=True, help_text="app_label.model")
    owner_id = serializers.CharField(source="object_id", label="所属记录ID", read_only=True)
    institution_name = serializers.CharField(source="institution.name", label="机构名称", read_only=True)
    category_display = serializers.CharField(source="get_category_display", label="类别名称", read_only=True)
    uploaded_by_name = serializers.SerializerMethodField(label="上传人姓名")
    preview_available = serializers.SerializerMethodField(label="可预览")

    class Meta:
        model = Attachment
        fields = [
            "id", "owner_type", "owner_id", "institution", "institution_name", "category", "category_display",
            "original_name", "mime_type", "kind", "size", "md5", "sm3", "description", "uploaded_by",
            "uploaded_by_name", "created_at", "preview_available",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_uploaded_by_name(self, obj: Attachment) -> str | None:
        user: Any = obj.uploaded_by
        return (user.name or user.username) if user is not None else None

    @extend_schema_field(serializers.BooleanField())
    def get_preview_available(self, obj: Attachment) -> bool:
        return can_preview(obj)


class AttachmentUploadSerializer(serializers.Serializer[Any]):
    owner_type = serializers.CharField(
        label="所属记录类型", max_length=100, help_text="app_label.model，如 registry.resident"
    )
    owner_id = serializers.CharField(label="所属记录ID", max_length=64)
    category = serializers.ChoiceField(label="类别", choices=AttachmentCategory.choices)
    description = serializers.CharField(label="说明", max_length=500, required=False, allow_blank=True, default="")
    file = serializers.FileField(label="文件", allow_empty_file=True, use_url=False)


class AttachmentListQuerySerializer(serializers.Serializer[Any]):
    owner_type = serializers.CharField(label="所属记录类型", max_length=100)
    owner_id = serializers.CharField(label="所属记录ID", max_length=64)
