from __future__ import annotations

import django_filters

from yigongti.platform.codes import models


class DictionaryFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label="字典名称")
    platform = django_filters.BooleanFilter(field_name="institution", lookup_expr="isnull", label="仅全平台字典")

    class Meta:
        model = models.Dictionary
        fields = ["type", "institution", "is_public", "handling_type", "version", "name"]


class DictionaryEntryFilter(django_filters.FilterSet):
    dictionary_code = django_filters.CharFilter(field_name="dictionary__code", label="字典编码")
    root = django_filters.BooleanFilter(field_name="parent", lookup_expr="isnull", label="仅顶级字典项")
    name = django_filters.CharFilter(lookup_expr="icontains", label="字典项名称")

    class Meta:
        model = models.DictionaryEntry
        fields = ["dictionary", "dictionary_code", "parent", "is_enabled", "code", "name"]


class ParameterFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label="参数名称")

    class Meta:
        model = models.Parameter
        fields = ["group", "value_type", "allow_institution_override", "code", "name"]


class ParameterValueFilter(django_filters.FilterSet):
    parameter_code = django_filters.CharFilter(field_name="parameter__code", label="参数编码")
    platform = django_filters.BooleanFilter(field_name="institution", lookup_expr="isnull", label="仅全平台参数值")

    class Meta:
        model = models.ParameterValue
        fields = ["parameter", "parameter_code", "institution", "platform"]


class DataElementFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label="数据元名称")

    class Meta:
        model = models.DataElement
        fields = ["data_type", "standard_version", "value_domain", "identifier", "internal_id", "name"]
