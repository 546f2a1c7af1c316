from __future__ import annotations

from typing import Any

from rest_framework import serializers

from yigongti.core.api.serializers import ResourceSerializer, ScopedRelatedField
from yigongti.platform.org import models


class CommunitySerializer(ResourceSerializer):
    institution_count = serializers.SerializerMethodField(label="成员机构数")

    class Meta:
        model = models.Community
        fields = [
            "id",
            "code",
            "name",
            "division_code",
            "description",
            "is_active",
            "institution_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_institution_count(self, obj: models.Community) -> int:
        annotated = getattr(obj, "institution_count", None)
        return annotated if annotated is not None else obj.institutions.count()


class InstitutionSerializer(ResourceSerializer):
    community = ScopedRelatedField(label="所属医共体", queryset=models.Community.objects.all())
    parent = ScopedRelatedField(  # type: ignore[assignment]  # DRF pops declared fields; Field.parent is unrelated
        label="上级机构", queryset=models.Institution.objects.all(), required=False, allow_null=True
    )
    community_name = serializers.CharField(source="community.name", label="医共体名称", read_only=True)
    parent_name = serializers.CharField(source="parent.name", label="上级机构名称", read_only=True, allow_null=True)
    type_display = serializers.CharField(source="get_type_display", label="机构类别名称", read_only=True)
    level_display = serializers.CharField(source="get_level_display", label="级别名称", read_only=True)

    class Meta:
        model = models.Institution
        fields = [
            "id", "community", "community_name", "parent", "parent_name", "code", "name", "short_name", "type",
            "type_display", "level", "level_display", "uscc", "division_code", "address", "contact_person",
            "contact_phone", "sort", "is_active", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]


class DepartmentSerializer(ResourceSerializer):
    institution = ScopedRelatedField(label="所属机构", queryset=models.Institution.objects.all())
    parent = ScopedRelatedField(  # type: ignore[assignment]  # DRF pops declared fields; Field.parent is unrelated
        label="上级科室", queryset=models.Department.objects.all(), required=False, allow_null=True
    )
    institution_name = serializers.CharField(source="institution.name", label="机构名称", read_only=True)
    parent_name = serializers.CharField(source="parent.name", label="上级科室名称", read_only=True, allow_null=True)
    kind_display = serializers.CharField(source="get_kind_display", label="科室类别名称", read_only=True)

    class Meta:
        model = models.Department
        fields = [
            "id", "institution", "institution_name", "parent", "parent_name", "code", "name", "kind", "kind_display",
            "standard_code", "phone", "location", "sort", "is_active", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]


class PostSerializer(ResourceSerializer):
    institution = ScopedRelatedField(
        label="所属机构", queryset=models.Institution.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = models.Post
        fields = ["id", "institution", "code", "name", "description", "sort"]


class TitleSerializer(ResourceSerializer):
    category_display = serializers.CharField(source="get_category_display", label="系列名称", read_only=True)
    level_display = serializers.CharField(source="get_level_display", label="级别名称", read_only=True)

    class Meta:
        model = models.Title
        fields = ["id", "code", "name", "category", "category_display", "level", "level_display", "sort"]


class StaffSerializer(ResourceSerializer):
    institution = ScopedRelatedField(label="所属机构", queryset=models.Institution.objects.all())
    department = ScopedRelatedField(
        label="主科室", queryset=models.Department.objects.all(), required=False, allow_null=True
    )
    departments = ScopedRelatedField(
        label="所在科室", queryset=models.Department.objects.all(), many=True, required=False
    )
    title = ScopedRelatedField(label="职称", queryset=models.Title.objects.all(), required=False, allow_null=True)
    post = ScopedRelatedField(label="岗位", queryset=models.Post.objects.all(), required=False, allow_null=True)
    institution_name = serializers.CharField(source="institution.name", label="机构名称", read_only=True)
    department_name = serializers.CharField(source="department.name", label="科室名称", read_only=True, allow_null=True)
    title_name = serializers.CharField(source="title.name", label="职称名称", read_only=True, allow_null=True)
    post_name = serializers.CharField(source="post.name", label="岗位名称", read_only=True, allow_null=True)
    sex_display = serializers.CharField(source="get_sex_display", label="性别名称", read_only=True)

    class Meta:
        model = models.Staff
        fields = [
            "id", "institution", "institution_name", "department", "department_name", "departments", "code", "name",
            "sex", "sex_display", "birth_date", "title", "title_name", "post", "post_name", "practising_cert_no",
            "phone", "specialty", "is_active", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        institution = attrs.get("institution") or getattr(self.instance, "institution", None)
        departments = attrs.get("departments") or []
        if institution is not None and any(d.institution_id != institution.pk for d in departments):
            raise serializers.ValidationError({"departments": "所在科室必须属于该人员所在机构。"})
        return attrs


class BedSerializer(ResourceSerializer):
    institution = ScopedRelatedField(label="所属机构", queryset=models.Institution.objects.all())
    department = ScopedRelatedField(label="科室", queryset=models.Department.objects.all())
    institution_name = serializers.CharField(source="institution.name", label="机构名称", read_only=True)
    department_name = serializers.CharField(source="department.name", label="科室名称", read_only=True)
    status_display = serializers.CharField(source="get_status_display", label="状态名称", read_only=True)
    bed_type_display = serializers.CharField(source="get_bed_type_display", label="床位类型名称", read_only=True)

    class Meta:
        model = models.Bed
        fields = [
            "id", "institution", "institution_name", "department", "department_name", "ward", "room", "code",
            "bed_type", "bed_type_display", "status", "status_display", "referral_reserved",
        ]  # fmt: skip


class EquipmentSerializer(ResourceSerializer):
    institution = ScopedRelatedField(label="所属机构", queryset=models.Institution.objects.all())
    department = ScopedRelatedField(
        label="使用科室", queryset=models.Department.objects.all(), required=False, allow_null=True
    )
    institution_name = serializers.CharField(source="institution.name", label="机构名称", read_only=True)
    department_name = serializers.CharField(source="department.name", label="科室名称", read_only=True, allow_null=True)
    category_display = serializers.CharField(source="get_category_display", label="类别名称", read_only=True)
    status_display = serializers.CharField(source="get_status_display", label="状态名称", read_only=True)

    class Meta:
        model = models.Equipment
        fields = [
            "id", "institution", "institution_name", "department", "department_name", "code", "name", "category",
            "category_display", "model_no", "manufacturer", "serial_no", "purchase_date", "status", "status_display",
        ]  # fmt: skip


class FamilyDoctorTeamSerializer(ResourceSerializer):
    institution = ScopedRelatedField(label="所属机构", queryset=models.Institution.objects.all())
    leader = ScopedRelatedField(label="团队长", queryset=models.Staff.objects.all(), required=False, allow_null=True)
    members = ScopedRelatedField(label="团队成员", queryset=models.Staff.objects.all(), many=True, required=False)
    institution_name = serializers.CharField(source="institution.name", label="机构名称", read_only=True)
    leader_name = serializers.CharField(source="leader.name", label="团队长姓名", read_only=True, allow_null=True)

    class Meta:
        model = models.FamilyDoctorTeam
        fields = ["id", "institution", "institution_name", "code", "name", "leader", "leader_name", "members"]


class InstitutionBriefSerializer(serializers.ModelSerializer[models.Institution]):
    class Meta:
        model = models.Institution
        fields = ["id", "code", "name", "type"]


class NamedBriefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
