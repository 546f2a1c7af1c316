from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet

from yigongti.core.validators import normalize_id_number
from yigongti.platform.registry import models
from yigongti.platform.registry.selectors import birth_date_range, filter_by_id_number, filter_by_phone


class IdNumberFormField(forms.CharField):
    """Normalises (15 → 18 digits) and validates the number; a bad one is a 400, not an empty list."""

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        return normalize_id_number(value) if value else value


class IdNumberFilter(django_filters.CharFilter):
    field_class = IdNumberFormField


class ResidentFilter(django_filters.FilterSet):
    id_number = IdNumberFilter(method="by_id_number", label="身份证号（精确）")
    phone = django_filters.CharFilter(method="by_phone", label="联系电话（精确）")
    name = django_filters.CharFilter(lookup_expr="icontains", label="姓名")
    chronic_disease = django_filters.CharFilter(field_name="chronic_diseases__code", label="慢性病编码")
    age_min = django_filters.NumberFilter(method="by_age", label="最小年龄")
    age_max = django_filters.NumberFilter(method="by_age", label="最大年龄")

    class Meta:
        model = models.Resident
        fields = ["id_number", "phone", "name", "sex", "home_institution", "family_doctor_team", "is_active"]

    def by_id_number(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return filter_by_id_number(queryset, value)

    def by_phone(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return filter_by_phone(queryset, value)

    def by_age(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        age = int(value)
        lookups = birth_date_range(age, None) if name == "age_min" else birth_date_range(None, age)
        return queryset.filter(**lookups)
