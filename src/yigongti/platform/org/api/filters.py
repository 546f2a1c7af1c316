from __future__ import annotations

import django_filters

from yigongti.platform.org import models


class InstitutionFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label="机构名称")

    class Meta:
        model = models.Institution
        fields = ["community", "parent", "type", "level", "division_code", "is_active", "name"]


class DepartmentFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label="科室名称")
    root = django_filters.BooleanFilter(field_name="parent", lookup_expr="isnull", label="仅顶级科室")

    class Meta:
        model = models.Department
        fields = ["institution", "parent", "kind", "is_active", "name"]


class StaffFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label="姓名")

    class Meta:
        model = models.Staff
        fields = ["institution", "department", "title", "post", "sex", "is_active", "name", "code"]


class BedFilter(django_filters.FilterSet):
    class Meta:
        model = models.Bed
        fields = ["institution", "department", "status", "bed_type", "referral_reserved"]


class EquipmentFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label="设备名称")

    class Meta:
        model = models.Equipment
        fields = ["institution", "department", "category", "status", "name"]
