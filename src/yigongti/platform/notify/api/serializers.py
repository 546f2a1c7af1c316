"""Serializers of the message-type configuration, inbox/outbox and subscriptions."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from yigongti.core.api.serializers import ResourceSerializer, ScopedRelatedField
from yigongti.platform.accounts.models import User
from yigongti.platform.notify.choices import Channel, DisplayMode, Party
from yigongti.platform.notify.models import Message, MessageRecipient, MessageType, MessageTypeGroup, Subscription

CODES = serializers.ListField(child=serializers.CharField(max_length=50), required=False)


class MessageTypeGroupSerializer(ResourceSerializer):
    class Meta:
        model = MessageTypeGroup
        fields = ["id", "code", "name", "mnemonic", "description", "sort", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class MessageTypeSerializer(ResourceSerializer):
    group = ScopedRelatedField(label="分组", queryset=MessageTypeGroup.objects.all())
    group_name = serializers.CharField(source="group.name", label="分组名称", read_only=True)
    recipient_roles = serializers.ListField(
        child=serializers.CharField(max_length=50), label="接收角色", required=False
    )
    recipient_parties = serializers.ListField(
        child=serializers.ChoiceField(choices=Party.choices), label="接收方", required=False
    )
    sender_roles = serializers.ListField(child=serializers.CharField(max_length=50), label="发送角色", required=False)
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=Channel.choices), label="发送方式", allow_empty=False
    )
    variables = serializers.DictField(child=serializers.CharField(max_length=100), label="模板变量", required=False)
    display_mode_display = serializers.CharField(
        source="get_display_mode_display", label="展示方式名称", read_only=True
    )
    handling_mode_display = serializers.CharField(
        source="get_handling_mode_display", label="处理方式名称", read_only=True
    )

    class Meta:
        model = MessageType
        fields = [
            "id", "code", "name", "group", "group_name", "mnemonic", "description", "recipient_roles",
            "recipient_parties", "sender_roles", "persisted", "display_mode", "display_mode_display", "handling_mode",
            "handling_mode_display", "unique_handling", "sound", "sound_name", "channels", "variables",
            "title_template", "body_template", "sms_template", "sms_template_code", "topic", "urgent", "enabled",
            "is_builtin", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["is_builtin", "created_at", "updated_at"]

    def validate_code(self, value: str) -> str:
        if self.instance is not None and self.instance.is_builtin and value != self.instance.code:
            raise serializers.ValidationError("内置消息类型的编码不能修改。")
        return value


class MessageTypeBriefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


def _related_type(message: Message) -> str:
    ct = message.content_type
    return f"{ct.app_label}.{ct.model}" if ct is not None else ""


class InboxItemSerializer(serializers.ModelSerializer[MessageRecipient]):
    message_id = serializers.IntegerField(source="message.id", label="消息编号", read_only=True)
    type = serializers.CharField(source="message.type.code", label="消息类型", read_only=True)
    type_name = serializers.CharField(source="message.type.name", label="消息类型名称", read_only=True)
    group = serializers.CharField(source="message.type.group.code", label="分组", read_only=True)
    group_name = serializers.CharField(source="message.type.group.name", label="分组名称", read_only=True)
    title = serializers.CharField(source="message.title", label="主题", read_only=True)
    body = serializers.CharField(source="message.body", label="内容", read_only=True)
    # DRF's metaclass moves declared fields off the class, so ``Serializer.data`` is not shadowed
    data = serializers.JSONField(source="message.data", label="附加数据", read_only=True)  # type: ignore[assignment]
    sender = serializers.IntegerField(source="message.sender_id", label="发件人", read_only=True, allow_null=True)
    sender_name = serializers.CharField(source="message.sender_name", label="发件人姓名", read_only=True)
    channels = serializers.ListField(
        source="message.channels", child=serializers.CharField(), label="发送方式", read_only=True
    )
    display_mode = serializers.CharField(source="message.display_mode", label="展示方式", read_only=True)
    urgent = serializers.BooleanField(source="message.urgent", label="紧急", read_only=True)
    must_handle = serializers.BooleanField(source="message.must_handle", label="需要处理", read_only=True)
    unique_handling = serializers.BooleanField(source="message.unique_handling", label="唯一处理", read_only=True)
    related_type = serializers.SerializerMethodField(label="关联记录类型")
    related_id = serializers.CharField(source="message.object_id", label="关联记录ID", read_only=True)
    sent_at = serializers.DateTimeField(source="message.created_at", label="发送时间", read_only=True)
    handled_by_name = serializers.SerializerMethodField(label="处理人姓名")
    is_read = serializers.SerializerMethodField(label="已读")

    class Meta:
        model = MessageRecipient
        fields = [
            "id", "message_id", "type", "type_name", "group", "group_name", "title", "body", "data", "sender",
            "sender_name", "channels", "display_mode", "urgent", "must_handle", "unique_handling", "related_type",
            "related_id", "sent_at", "read_at", "is_read", "handled_at", "handled_by", "handled_by_name",
        ]  # fmt: skip
        read_only_fields = fields

    def get_related_type(self, obj: MessageRecipient) -> str:
        return _related_type(obj.message)

    def get_handled_by_name(self, obj: MessageRecipient) -> str:
        user = obj.handled_by
        return (user.name or user.username) if user is not None else ""

    def get_is_read(self, obj: MessageRecipient) -> bool:
        return obj.read_at is not None or obj.handled_at is not None


class MessageSerializer(serializers.ModelSerializer[Message]):
    type = serializers.CharField(source="type.code", label="消息类型", read_only=True)
    type_name = serializers.CharField(source="type.name", label="消息类型名称", read_only=True)
    group = serializers.CharField(source="type.group.code", label="分组", read_only=True)
    group_name = serializers.CharField(source="type.group.name", label="分组名称", read_only=True)
    related_type = serializers.SerializerMethodField(label="关联记录类型")
    related_id = serializers.CharField(source="object_id", label="关联记录ID", read_only=True)
    channels = serializers.ListField(child=serializers.CharField(), label="发送方式", read_only=True)
    recipient_count = serializers.IntegerField(label="收件人数", read_only=True)
    read_count = serializers.IntegerField(label="已读人数", read_only=True)
    handled_count = serializers.IntegerField(label="已处理人数", read_only=True)

    class Meta:
        model = Message
        fields = [
            "id", "type", "type_name", "group", "group_name", "title", "body", "data", "sender", "sender_name",
            "created_at", "channels", "display_mode", "urgent", "must_handle", "unique_handling", "related_type",
            "related_id", "institution", "recipient_count", "read_count", "handled_count",
        ]  # fmt: skip
        read_only_fields = fields

    def get_related_type(self, obj: Message) -> str:
        return _related_type(obj)


class MessageSendSerializer(serializers.Serializer[Any]):
    type = ScopedRelatedField(label="消息类型", queryset=MessageType.objects.all())
    recipients = ScopedRelatedField(
        label="收件人", queryset=User.objects.filter(is_active=True), many=True, lookup_fields=("username",)
    )
    # declared fields leave the class (DRF metaclass): ``Field.context`` keeps working
    context = serializers.DictField(label="模板变量", required=False, default=dict)  # type: ignore[assignment]


class UnreadCountSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField(label="未读数")


class UpdatedCountSerializer(serializers.Serializer[Any]):
    updated = serializers.IntegerField(label="更新条数")


class SubscriptionSerializer(ResourceSerializer):
    user = serializers.HiddenField(default=serializers.CurrentUserDefault())
    message_type = ScopedRelatedField(
        label="消息类型", queryset=MessageType.objects.all(), required=False, allow_null=True
    )
    message_type_code = serializers.CharField(source="message_type.code", label="类型编码", read_only=True, default="")
    message_type_name = serializers.CharField(source="message_type.name", label="类型名称", read_only=True, default="")
    group_name = serializers.CharField(source="message_type.group.name", label="分组名称", read_only=True, default="")
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=[Channel.REALTIME.value, Channel.SMS.value]),
        label="接收方式",
        required=False,
    )
    display_mode = serializers.ChoiceField(
        choices=[("", "按消息类型"), *DisplayMode.choices], label="展示方式", required=False, allow_blank=True
    )

    class Meta:
        model = Subscription
        fields = [
            "id", "user", "message_type", "message_type_code", "message_type_name", "group_name", "topic",
            "channels", "display_mode", "sound", "silent_start", "silent_end", "enabled", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
