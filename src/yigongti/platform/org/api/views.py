"""Organisation resources: declarations on the generic resource viewset."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from yigongti.core.api.viewsets import ResourceViewSet
from yigongti.platform.org import models
from yigongti.platform.org.api import filters
from yigongti.platform.org.api import serializers as s

PROJECT = "组织机构"


class CommunityViewSet(ResourceViewSet):
    # A subquery, not Count(): the scope filter joins institutions too and would multiply a JOIN count.
    queryset = models.Community.objects.annotate(
        institution_count=Coalesce(
            Subquery(
                models.Institution.objects.filter(community=OuterRef("pk"))
                .order_by()
                .values("community")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        )
    )
    serializer_class = s.CommunitySerializer
    brief_serializer_class = s.NamedBriefSerializer
    permission_base = "org.community"
    project = PROJECT
    filterset_fields = ["is_active", "division_code"]
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name", "created_at"]


class InstitutionViewSet(ResourceViewSet):
    queryset = models.Institution.objects.select_related("community", "parent")
    serializer_class = s.InstitutionSerializer
    brief_serializer_class = s.InstitutionBriefSerializer
    permission_base = "org.institution"
    project = PROJECT
    filterset_class = filters.InstitutionFilter
    search_fields = ["code", "name", "short_name", "uscc"]
    ordering_fields = ["sort", "code", "name", "type", "created_at"]


class DepartmentViewSet(ResourceViewSet):
    queryset = models.Department.objects.select_related("institution", "parent")
    serializer_class = s.DepartmentSerializer
    brief_serializer_class = s.NamedBriefSerializer
    permission_base = "org.department"
    project = PROJECT
    filterset_class = filters.DepartmentFilter
    search_fields = ["code", "name"]
    ordering_fields = ["sort", "code", "name"]


class PostViewSet(ResourceViewSet):
    queryset = models.Post.objects.all()
    serializer_class = s.PostSerializer
    brief_serializer_class = s.NamedBriefSerializer
    permission_base = "org.post"
    project = PROJECT
    filterset_fields = ["institution"]
    search_fields = ["code", "name"]
    ordering_fields = ["sort", "code"]


class TitleViewSet(ResourceViewSet):
    queryset = models.Title.objects.all()
    serializer_class = s.TitleSerializer
    brief_serializer_class = s.NamedBriefSerializer
    permission_base = "org.title"
    project = PROJECT
    filterset_fields = ["category", "level"]
    search_fields = ["code", "name"]
    ordering_fields = ["sort", "code"]


class StaffViewSet(ResourceViewSet):
    queryset = models.Staff.objects.select_related("institution", "department", "title", "post").prefetch_related(
        "departments"
    )
    serializer_class = s.StaffSerializer
    brief_serializer_class = s.NamedBriefSerializer
    permission_base = "org.staff"
    project = PROJECT
    filterset_class = filters.StaffFilter
    search_fields = ["code", "name", "practising_cert_no"]
    ordering_fields = ["code", "name", "created_at"]


class BedViewSet(ResourceViewSet):
    queryset = models.Bed.objects.select_related("institution", "department")
    serializer_class = s.BedSerializer
    permission_base = "org.bed"
    project = PROJECT
    filterset_class = filters.BedFilter
    search_fields = ["code", "ward", "room"]
    ordering_fields = ["code", "status"]


class EquipmentViewSet(ResourceViewSet):
    queryset = models.Equipment.objects.select_related("institution", "department")
    serializer_class = s.EquipmentSerializer
    permission_base = "org.equipment"
    project = PROJECT
    filterset_class = filters.EquipmentFilter
    search_fields = ["code", "name", "model_no", "manufacturer", "serial_no"]
    ordering_fields = ["code", "name", "purchase_date"]


class FamilyDoctorTeamViewSet(ResourceViewSet):
    queryset = models.FamilyDoctorTeam.objects.select_related("institution", "leader").prefetch_related("members")
    serializer_class = s.FamilyDoctorTeamSerializer
    brief_serializer_class = s.NamedBriefSerializer
    permission_base = "org.team"
    project = PROJECT
    filterset_fields = ["institution", "leader"]
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name"]
