"""Response shapes of ``GET /api/v1/workbench`` (documented for the OpenAPI contract)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class TodoCounterSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(label="待办编码")
    label = serializers.CharField(label="待办名称")  # type: ignore[assignment]
    path = serializers.CharField(label="控制台页面")
    count = serializers.IntegerField(label="待办数")
    urgent = serializers.IntegerField(label="其中超时/紧急")
    available = serializers.BooleanField(label="计数可用")


class TodoCenterSerializer(serializers.Serializer[Any]):
    center = serializers.CharField(label="中心")
    total = serializers.IntegerField(label="待办合计")
    todos = TodoCounterSerializer(many=True)


class WorkbenchMessageSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(label="收件箱记录")
    title = serializers.CharField(label="主题")
    type_name = serializers.CharField(label="消息类型")
    sender_name = serializers.CharField(label="发件人", allow_blank=True)
    sent_at = serializers.DateTimeField(label="发送时间")
    urgent = serializers.BooleanField(label="紧急")
    must_handle = serializers.BooleanField(label="须处理")


class WorkbenchAnnouncementSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField(label="标题")
    publisher_name = serializers.CharField(label="发布人", allow_blank=True)
    institution_name = serializers.CharField(label="发布机构", allow_blank=True)
    publish_at = serializers.DateTimeField(label="发布时间")
    is_read = serializers.BooleanField(label="已读")


class WorkbenchSerializer(serializers.Serializer[Any]):
    centers = TodoCenterSerializer(many=True, label="各中心待办")
    todo_total = serializers.IntegerField(label="待办合计")
    unread_count = serializers.IntegerField(label="未读消息数")
    messages = WorkbenchMessageSerializer(many=True, label="最近未读消息")
    announcements = WorkbenchAnnouncementSerializer(many=True, label="最近公告")
