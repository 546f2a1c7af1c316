from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from rest_framework import serializers

from yigongti.core.api.serializers import ResourceSerializer, ScopedRelatedField
from yigongti.core.numbering import models
from yigongti.core.numbering.services import format_number


class NumberRuleSerializer(ResourceSerializer):
    date_part_display = serializers.CharField(source="get_date_part_display", label="日期部分名称", read_only=True)
    reset_display = serializers.CharField(source="get_reset_display", label="重置周期名称", read_only=True)
    example = serializers.SerializerMethodField(label="编号示例")

    class Meta:
        model = models.NumberRule
        fields = [
            "id", "code", "name", "prefix", "include_institution_code", "date_part", "date_part_display", "width",
            "reset", "reset_display", "separator", "description", "is_active", "example", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]

    def get_example(self, obj: models.NumberRule) -> str:
        """The look of the first number of 2026-11-25 for an institution coded 3209230001."""
        return format_number(obj, value=1, day=dt.date(2026, 11, 25), institution_code="3209230001")


class NumberRuleBriefSerializer(serializers.ModelSerializer[Any]):
    class Meta:
        model = models.NumberRule
        fields = ["id", "code", "name"]


class NumberPreviewRequestSerializer(serializers.Serializer[Any]):
    institution = ScopedRelatedField(
        label="机构",
        queryset=apps.get_model("org", "Institution").objects.all(),  # core does not import platform code
        required=False,
        allow_null=True,
        help_text="规则包含机构编码时必填；省略时使用当前用户所在机构。",
    )
    at = serializers.DateTimeField(label="时间", required=False, help_text="按该时刻（北京时间日期）预览；默认当前。")


class NumberPreviewSerializer(serializers.Serializer[Any]):
    number = serializers.CharField(label="下一个编号")
    period = serializers.CharField(label="周期")
    sequence = serializers.IntegerField(label="流水号")
