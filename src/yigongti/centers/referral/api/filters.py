"""List filters of referrals (REF-04; issue 5 §9)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from yigongti.centers.referral.choices import Direction, Kind, Urgency, View
from yigongti.centers.referral.flows import ReferralFlow
from yigongti.centers.referral.models import Referral


class ReferralFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(label="状态", choices=ReferralFlow.state_choices())
    direction = django_filters.ChoiceFilter(label="转诊方向", choices=Direction.choices)
    kind = django_filters.ChoiceFilter(label="转诊类型", choices=Kind.choices)
    urgency = django_filters.MultipleChoiceFilter(label="紧急程度", choices=Urgency.choices)
    from_institution = django_filters.NumberFilter(label="转出机构", field_name="from_institution_id")
    to_institution = django_filters.NumberFilter(label="转入机构", field_name="to_institution_id")
    created_after = django_filters.DateFilter(label="申请日期起", field_name="created_at", lookup_expr="date__gte")
    created_before = django_filters.DateFilter(label="申请日期止", field_name="created_at", lookup_expr="date__lte")
    planned_after = django_filters.DateFilter(label="计划就诊日期起", field_name="planned_at", lookup_expr="date__gte")
    planned_before = django_filters.DateFilter(label="计划就诊日期止", field_name="planned_at", lookup_expr="date__lte")
    patient = django_filters.CharFilter(label="患者姓名", field_name="patient_name", lookup_expr="contains")
    number = django_filters.CharFilter(label="转诊单号", field_name="number")
    view = django_filters.ChoiceFilter(label="视图", choices=View.choices, method="filter_view")

    class Meta:
        model = Referral
        fields: list[str] = []

    def filter_view(self, queryset: QuerySet[Referral], name: str, value: Any) -> QuerySet[Referral]:
        user = self.request.user  # type: ignore[union-attr]
        if value == View.MINE:
            return queryset.filter(Q(from_doctor_id=user.pk) | Q(to_doctor_id=user.pk) | Q(arranged_doctor_id=user.pk))
        own = [user.institution_id] if user.institution_id else sorted(user.scope_context().institution_ids)
        if value == View.OUTBOUND:
            return queryset.filter(from_institution_id__in=own)
        if value == View.INBOUND:
            return queryset.filter(to_institution_id__in=own)
        return queryset
