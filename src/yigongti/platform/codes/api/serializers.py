from __future__ import annotations

import copy
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from yigongti.core.api.serializers import ResourceSerializer, ScopedRelatedField
from yigongti.platform.codes import constraints, models
from yigongti.platform.org.models import Institution


@extend_schema_field(OpenApiTypes.STR)
class ValueTextField(serializers.Field):  # type: ignore[type-arg]
    """A parameter value: accepts text, a number, a boolean or a JSON object; answers the stored text."""

    def to_internal_value(self, data: Any) -> str:
        return constraints.to_text(data)

    def to_representation(self, value: Any) -> str:
        return str(value)


def entry_count(obj: models.Dictionary) -> int:
    """The list annotates the count; a freshly created or updated row counts once."""
    annotated = getattr(obj, "entry_count", None)
    return annotated if annotated is not None else obj.entries.count()


class DictionarySerializer(ResourceSerializer):
    institution = ScopedRelatedField(
        label="所属机构", queryset=Institution.objects.all(), required=False, allow_null=True
    )
    institution_name = serializers.CharField(
        source="institution.name", label="机构名称", read_only=True, allow_null=True
    )
    type_display = serializers.CharField(source="get_type_display", label="字典类型名称", read_only=True)
    handling_type_display = serializers.CharField(
        source="get_handling_type_display", label="处理类型名称", read_only=True
    )
    entry_count = serializers.SerializerMethodField(label="字典项数")

    class Meta:
        model = models.Dictionary
        fields = [
            "id", "code", "name", "type", "type_display", "version", "tree_level", "is_public", "handling_type",
            "handling_type_display", "handling_description", "description", "source", "institution",
            "institution_name", "sort", "entry_count", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        # uniqueness (and the recycle-bin hint) come from the model
        extra_kwargs: dict[str, Any] = {"code": {"validators": []}}

    def get_entry_count(self, obj: models.Dictionary) -> int:
        return entry_count(obj)


class RecycleBinSerializer(serializers.ModelSerializer[models.Dictionary]):
    institution_name = serializers.CharField(
        source="institution.name", label="机构名称", read_only=True, allow_null=True
    )
    type_display = serializers.CharField(source="get_type_display", label="字典类型名称", read_only=True)
    entry_count = serializers.SerializerMethodField(label="字典项数")
    deleted_by_name = serializers.SerializerMethodField(label="删除人")

    class Meta:
        model = models.Dictionary
        fields = [
            "id",
            "code",
            "name",
            "type",
            "type_display",
            "version",
            "institution",
            "institution_name",
            "entry_count",
            "deleted_at",
            "deleted_by_name",
        ]
        read_only_fields = fields

    def get_entry_count(self, obj: models.Dictionary) -> int:
        return entry_count(obj)

    def get_deleted_by_name(self, obj: models.Dictionary) -> str:
        user = obj.deleted_by
        return (user.name or user.username) if user is not None else ""


class DictionaryEntrySerializer(ResourceSerializer):
    dictionary = ScopedRelatedField(label="所属字典", queryset=models.Dictionary.objects.all())
    # by id only: entry codes such as "20" would otherwise be read as ids
    parent = ScopedRelatedField(  # type: ignore[assignment]  # DRF pops declared fields; Field.parent is unrelated
        label="上级字典项",
        queryset=models.DictionaryEntry.objects.all(),
        lookup_fields=(),
        required=False,
        allow_null=True,
    )
    dictionary_code = serializers.CharField(source="dictionary.code", label="字典编码", read_only=True)
    dictionary_name = serializers.CharField(source="dictionary.name", label="字典名称", read_only=True)
    parent_code = serializers.CharField(source="parent.code", label="上级编码", read_only=True, allow_null=True)
    parent_name = serializers.CharField(source="parent.name", label="上级名称", read_only=True, allow_null=True)

    class Meta:
        model = models.DictionaryEntry
        fields = [
            "id", "dictionary", "dictionary_code", "dictionary_name", "parent", "parent_code", "parent_name", "code",
            "name", "sort", "is_enabled", "description", "source", "extra", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        validators: list[Any] = []  # the model's constraint answers in Chinese


class ParameterSerializer(ResourceSerializer):
    default_value = ValueTextField(label="默认值", required=False)
    choice_dictionary = ScopedRelatedField(
        label="选项来源字典", queryset=models.Dictionary.objects.all(), required=False, allow_null=True
    )
    choice_dictionary_name = serializers.CharField(
        source="choice_dictionary.name", label="选项来源字典名称", read_only=True, allow_null=True
    )
    value_type_display = serializers.CharField(source="get_value_type_display", label="参数类型名称", read_only=True)
    value_source_type = serializers.CharField(label="参数值来源类型", read_only=True)

    class Meta:
        model = models.Parameter
        fields = [
            "id", "code", "name", "group", "value_type", "value_type_display", "default_value", "min_value",
            "max_value", "choices", "choice_dictionary", "choice_dictionary_name", "value_source_type", "regex",
            "max_length", "allow_institution_override", "description", "source", "sort", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs: dict[str, Any] = {"code": {"validators": []}}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)  # full_clean: limits fit the type, the default fits the limits
        probe = copy.copy(self.instance) if self.instance is not None else models.Parameter()
        for key, value in attrs.items():
            setattr(probe, key, value)
        attrs["default_value"] = constraints.normalize(probe, probe.default_value)
        return attrs


def value_status(row: models.ParameterValue) -> str:
    now = timezone.now()
    if row.effective_from > now:
        return "未生效"
    if row.expires_at is not None and row.expires_at <= now:
        return "已失效"
    return "生效中"


class ParameterValueSerializer(ResourceSerializer):
    parameter = ScopedRelatedField(label="参数", queryset=models.Parameter.objects.all())
    institution = ScopedRelatedField(label="机构", queryset=Institution.objects.all(), required=False, allow_null=True)
    value = ValueTextField(label="参数值")
    parameter_code = serializers.CharField(source="parameter.code", label="参数编码", read_only=True)
    parameter_name = serializers.CharField(source="parameter.name", label="参数名称", read_only=True)
    value_type = serializers.CharField(source="parameter.value_type", label="参数类型", read_only=True)
    institution_name = serializers.CharField(
        source="institution.name", label="机构名称", read_only=True, allow_null=True
    )
    status = serializers.SerializerMethodField(label="状态")

    class Meta:
        model = models.ParameterValue
        fields = [
            "id", "parameter", "parameter_code", "parameter_name", "value_type", "institution", "institution_name",
            "value", "effective_from", "expires_at", "status", "note", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]

    def get_status(self, obj: models.ParameterValue) -> str:
        return value_status(obj)


class ParameterOverrideSerializer(serializers.Serializer[Any]):
    parameter = ScopedRelatedField(label="参数", queryset=models.Parameter.objects.all())
    institution = ScopedRelatedField(label="机构", queryset=Institution.objects.all(), required=False, allow_null=True)
    value = ValueTextField(label="参数值")
    effective_from = serializers.DateTimeField(label="生效时间", required=False, help_text="为空表示立即生效")
    note = serializers.CharField(label="说明", max_length=200, required=False, allow_blank=True, default="")


class ParameterLookupSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(label="参数编码")
    name = serializers.CharField(label="参数名称")
    value_type = serializers.CharField(label="参数类型")
    value = serializers.JSONField(label="参数值（按类型）")
    text = serializers.CharField(label="参数值（文本）")
    source = serializers.CharField(label="取值来源")  # type: ignore[assignment]  # a field named source
    source_display = serializers.CharField(label="取值来源名称")
    value_id = serializers.IntegerField(label="参数值记录", allow_null=True)
    institution = serializers.IntegerField(label="机构", allow_null=True)
    effective_from = serializers.DateTimeField(label="生效时间", allow_null=True)
    expires_at = serializers.DateTimeField(label="失效时间", allow_null=True)
    at = serializers.DateTimeField(label="查询时间")


class DataElementSerializer(ResourceSerializer):
    value_domain = ScopedRelatedField(
        label="值域字典", queryset=models.Dictionary.objects.all(), required=False, allow_null=True
    )
    value_domain_code = serializers.CharField(
        source="value_domain.code", label="值域字典编码", read_only=True, allow_null=True
    )
    value_domain_name = serializers.CharField(
        source="value_domain.name", label="值域字典名称", read_only=True, allow_null=True
    )
    data_type_display = serializers.CharField(source="get_data_type_display", label="数据类型名称", read_only=True)

    class Meta:
        model = models.DataElement
        fields = [
            "id", "internal_id", "identifier", "name", "definition", "data_type", "data_type_display", "format",
            "value_domain", "value_domain_code", "value_domain_name", "permissible_values", "standard_version",
            "source", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        validators: list[Any] = []


class ValueCheckSerializer(serializers.Serializer[Any]):
    value = serializers.CharField(label="待校验的值", allow_blank=True, trim_whitespace=False)


class ValueCheckResultSerializer(serializers.Serializer[Any]):
    valid = serializers.BooleanField(label="是否符合")
    message = serializers.CharField(label="说明")


class CodeNameBriefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
