"""Serializers of announcements, the address book and SMS records."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from yigongti.core.api.serializers import ResourceSerializer, ScopedRelatedField
from yigongti.core.masking import mask_phone
from yigongti.platform.accounts.models import Role, User
from yigongti.platform.notify.models import Announcement, AnnouncementRead, ContactGroup, SmsMessage
from yigongti.platform.notify.sanitize import plain_text, sanitize_html
from yigongti.platform.org.models import Institution, Staff


class AttachmentRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    mime_type = serializers.CharField()


def _name(user: Any) -> str:
    return (user.name or user.username) if user is not None else ""


class AnnouncementSerializer(ResourceSerializer):
    audience_users = ScopedRelatedField(
        label="收件人", queryset=User.objects.all(), many=True, required=False, lookup_fields=("username",)
    )
    audience_roles = ScopedRelatedField(label="收件角色", queryset=Role.objects.all(), many=True, required=False)
    audience_institutions = ScopedRelatedField(
        label="收件机构", queryset=Institution.objects.all(), many=True, required=False
    )
    attachment_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), label="附件", required=False)
    publish_at = serializers.DateTimeField(label="发布时间", required=False)
    institution_name = serializers.CharField(source="institution.name", label="发布机构", read_only=True, default="")
    published_by_name = serializers.SerializerMethodField(label="发布人")
    read_count = serializers.IntegerField(label="已读人数", read_only=True, default=0)

    class Meta:
        model = Announcement
        fields = [
            "id", "title", "content", "audience_all", "audience_users", "audience_roles", "audience_institutions",
            "publish_at", "expires_at", "attachment_ids", "institution", "institution_name", "published_by",
            "published_by_name", "reach_all", "notified_at", "read_count", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["institution", "published_by", "reach_all", "notified_at", "created_at", "updated_at"]

    def get_published_by_name(self, obj: Announcement) -> str:
        return _name(obj.published_by)

    def validate_content(self, value: str) -> str:
        cleaned = sanitize_html(value)
        if not plain_text(cleaned):
            raise serializers.ValidationError("公告内容不能为空。")
        return cleaned

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None:
            attrs.setdefault("publish_at", timezone.now())
        return super().validate(attrs)


class VisibleAnnouncementSerializer(serializers.ModelSerializer[Announcement]):
    institution_name = serializers.CharField(source="institution.name", label="发布机构", read_only=True, default="")
    published_by_name = serializers.SerializerMethodField(label="发布人")
    attachments = serializers.SerializerMethodField(label="附件")
    is_read = serializers.BooleanField(label="已读", read_only=True, default=False)

    class Meta:
        model = Announcement
        fields = [
            "id", "title", "content", "publish_at", "expires_at", "institution_name", "published_by_name",
            "attachments", "is_read",
        ]  # fmt: skip
        read_only_fields = fields

    def get_published_by_name(self, obj: Announcement) -> str:
        return _name(obj.published_by)

    @extend_schema_field(AttachmentRefSerializer(many=True))
    def get_attachments(self, obj: Announcement) -> list[dict[str, Any]]:
        found: dict[int, dict[str, Any]] = self.context.get("attachments", {})
        return [found[i] for i in obj.attachment_ids or [] if i in found]


class AnnouncementReceiptSerializer(serializers.ModelSerializer[AnnouncementRead]):
    user_name = serializers.SerializerMethodField(label="姓名")
    institution_name = serializers.CharField(
        source="user.institution.name", label="所属机构", read_only=True, default=""
    )

    class Meta:
        model = AnnouncementRead
        fields = ["id", "user", "user_name", "institution_name", "read_at"]
        read_only_fields = fields

    def get_user_name(self, obj: AnnouncementRead) -> str:
        return _name(obj.user)


class ReceiptSerializer(serializers.Serializer[Any]):
    announcement = serializers.IntegerField()
    read_at = serializers.DateTimeField()


class ContactSerializer(serializers.ModelSerializer[Staff]):
    institution_name = serializers.CharField(source="institution.name", label="机构", read_only=True)
    department_name = serializers.CharField(source="department.name", label="科室", read_only=True, default="")
    title_name = serializers.CharField(source="title.name", label="职称", read_only=True, default="")
    post_name = serializers.CharField(source="post.name", label="岗位", read_only=True, default="")
    mobile = serializers.SerializerMethodField(label="手机号（脱敏）")

    class Meta:
        model = Staff
        fields = [
            "id", "code", "name", "institution", "institution_name", "department", "department_name", "title_name",
            "post_name", "phone", "mobile",
        ]  # fmt: skip
        read_only_fields = fields

    def get_mobile(self, obj: Staff) -> str:
        user = getattr(obj, "user", None)
        return (mask_phone(user.phone) or "") if user is not None else ""


class ContactGroupSerializer(ResourceSerializer):
    owner = serializers.HiddenField(default=serializers.CurrentUserDefault())
    members = ScopedRelatedField(label="联系人", queryset=Staff.objects.all(), many=True, required=False)
    member_names = serializers.SerializerMethodField(label="联系人姓名")

    class Meta:
        model = ContactGroup
        fields = ["id", "owner", "name", "description", "sort", "members", "member_names", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def get_member_names(self, obj: ContactGroup) -> list[str]:
        return [m.name for m in obj.members.all()]


class SmsMessageSerializer(serializers.ModelSerializer[SmsMessage]):
    phone = serializers.SerializerMethodField(label="手机号（脱敏）")
    status_display = serializers.CharField(source="get_status_display", label="状态名称", read_only=True)
    user_name = serializers.SerializerMethodField(label="接收人")
    institution_name = serializers.CharField(source="institution.name", label="所属机构", read_only=True, default="")

    class Meta:
        model = SmsMessage
        fields = [
            "id", "phone", "text", "template_code", "provider", "provider_message_id", "status", "status_display",
            "attempts", "error", "scheduled_at", "sent_at", "delivered_at", "created_at", "user", "user_name",
            "message", "institution", "institution_name", "sent_by",
        ]  # fmt: skip
        read_only_fields = fields

    def get_phone(self, obj: SmsMessage) -> str:
        return mask_phone(obj.phone) or ""

    def get_user_name(self, obj: SmsMessage) -> str:
        return _name(obj.user)


class SmsSendSerializer(serializers.Serializer[Any]):
    users = ScopedRelatedField(
        label="接收人",
        queryset=User.objects.filter(is_active=True),
        many=True,
        required=False,
        lookup_fields=("username",),
    )
    phones = serializers.ListField(
        child=serializers.RegexField(r"^1[3-9]\d{9}$", error_messages={"invalid": "手机号格式不正确。"}),
        label="手机号",
        required=False,
        max_length=200,
    )
    text = serializers.CharField(label="短信内容", max_length=500)
    template_code = serializers.CharField(label="短信平台模板编号", max_length=64, required=False, allow_blank=True)
    params = serializers.DictField(child=serializers.CharField(max_length=100), label="模板参数", required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("users") and not attrs.get("phones"):
            raise serializers.ValidationError({"users": "请选择接收人或填写手机号。"})
        return attrs


class SmsSendResultSerializer(serializers.Serializer[Any]):
    queued = serializers.IntegerField(label="已排队条数")
    skipped = serializers.ListField(child=serializers.CharField(), label="未发送（无有效手机号）的接收人")


class SmsStatusCountSerializer(serializers.Serializer[Any]):
    status = serializers.CharField()
    status_display = serializers.CharField()
    count = serializers.IntegerField()


class SmsSummarySerializer(serializers.Serializer[Any]):
    total = serializers.IntegerField(label="合计")
    by_status = SmsStatusCountSerializer(many=True, label="按状态")
