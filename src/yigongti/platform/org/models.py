"""医共体 → 成员机构 → 科室 → 医护人员, plus posts, titles, beds, equipment (PLAT-01)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from yigongti.core.models import TrackedModel
from yigongti.core.scope import ScopeSpec
from yigongti.core.validators import validate_division_code, validate_phone, validate_uscc
from yigongti.platform.org import choices


def ensure_department_in_institution(obj: models.Model, message: str) -> None:
    """A row's department must belong to the row's own institution."""
    department = getattr(obj, "department", None) if getattr(obj, "department_id", None) else None
    institution_id = getattr(obj, "institution_id", None)
    if department is not None and institution_id and department.institution_id != institution_id:
        raise ValidationError({"department": message})


class Community(TrackedModel):
    """县域医共体. A deployment may host several (one per county, or several in one county)."""

    code = models.CharField("医共体编码", max_length=32, unique=True)
    name = models.CharField("医共体名称", max_length=100, unique=True)
    division_code = models.CharField("行政区划代码", max_length=6, validators=[validate_division_code])
    description = models.TextField("简介", blank=True)
    is_active = models.BooleanField("启用", default=True)

    scope_spec = ScopeSpec(institution="institutions__id", community="id")

    class Meta:
        verbose_name = "医共体"
        verbose_name_plural = verbose_name
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Institution(TrackedModel):
    community = models.ForeignKey(
        Community, verbose_name="所属医共体", on_delete=models.PROTECT, related_name="institutions"
    )
    parent = models.ForeignKey(
        "self", verbose_name="上级机构", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.CharField("机构编码", max_length=32, unique=True)
    name = models.CharField("机构名称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    type = models.CharField("机构类别", max_length=32, choices=choices.InstitutionType.choices)
    level = models.CharField("机构级别", max_length=2, choices=choices.InstitutionLevel.choices, default="0")
    uscc = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, null=True, blank=True, validators=[validate_uscc]
    )
    division_code = models.CharField("行政区划代码", max_length=6, validators=[validate_division_code])
    address = models.CharField("地址", max_length=200, blank=True)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True, validators=[validate_phone])
    sort = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    scope_spec = ScopeSpec(institution="id", community="community_id")

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = verbose_name
        ordering = ["sort", "code"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="org_institution_name_unique")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id is not None:
            if self.pk is not None and self.parent_id == self.pk:
                raise ValidationError({"parent": "上级机构不能是自己。"})
            if self.community_id and self.parent is not None and self.parent.community_id != self.community_id:
                raise ValidationError({"parent": "上级机构必须属于同一医共体。"})
            node, seen = self.parent, set()
            while node is not None and node.pk not in seen:
                if self.pk is not None and node.pk == self.pk:
                    raise ValidationError({"parent": "上级机构不能是本机构的下级。"})
                seen.add(node.pk)
                node = node.parent


class Department(TrackedModel):
    institution = models.ForeignKey(
        Institution, verbose_name="所属机构", on_delete=models.PROTECT, related_name="departments"
    )
    parent = models.ForeignKey(
        "self", verbose_name="上级科室", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.CharField("科室编码", max_length=32)
    name = models.CharField("科室名称", max_length=100)
    kind = models.CharField("科室类别", max_length=20, choices=choices.DepartmentKind.choices, default="clinical")
    standard_code = models.CharField(
        "诊疗科目代码", max_length=10, blank=True, help_text="《医疗机构诊疗科目名录》代码"
    )
    phone = models.CharField("科室电话", max_length=20, blank=True)
    location = models.CharField("位置", max_length=100, blank=True)
    sort = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    scope_spec = ScopeSpec(institution="institution_id", department="id")

    class Meta:
        verbose_name = "科室"
        verbose_name_plural = verbose_name
        ordering = ["institution_id", "sort", "code"]
        constraints = [models.UniqueConstraint(fields=["institution", "code"], name="org_department_code_unique")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id is None:
            return
        if self.parent is not None and self.institution_id and self.parent.institution_id != self.institution_id:
            raise ValidationError({"parent": "上级科室必须属于同一机构。"})
        node, seen = self.parent, set()
        while node is not None and node.pk not in seen:
            if self.pk is not None and node.pk == self.pk:
                raise ValidationError({"parent": "上级科室不能是本科室或其下级。"})
            seen.add(node.pk)
            node = node.parent


class Post(TrackedModel):
    """岗位. Rows without an institution are shared by the whole deployment."""

    institution = models.ForeignKey(
        Institution, verbose_name="所属机构", null=True, blank=True, on_delete=models.CASCADE, related_name="posts"
    )
    code = models.CharField("岗位编码", max_length=32, unique=True)
    name = models.CharField("岗位名称", max_length=50)
    description = models.CharField("说明", max_length=200, blank=True)
    sort = models.PositiveIntegerField("排序", default=0)

    scope_spec = ScopeSpec(institution="institution_id", shared="institution__isnull")

    class Meta:
        verbose_name = "岗位"
        verbose_name_plural = verbose_name
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.name


class Title(TrackedModel):
    """专业技术职称 (卫生系列)."""

    code = models.CharField("职称编码", max_length=32, unique=True)
    name = models.CharField("职称名称", max_length=50, unique=True)
    category = models.CharField("职称系列", max_length=20, choices=choices.TitleCategory.choices)
    level = models.CharField("职称级别", max_length=20, choices=choices.TitleLevel.choices)
    sort = models.PositiveIntegerField("排序", default=0)

    scope_spec = ScopeSpec(shared="*")  # national reference list: readable by all, written only with 全部 scope

    class Meta:
        verbose_name = "职称"
        verbose_name_plural = verbose_name
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.name


class Staff(TrackedModel):
    """医护人员 (and every other employee who may hold an account)."""

    institution = models.ForeignKey(
        Institution, verbose_name="所属机构", on_delete=models.PROTECT, related_name="staff"
    )
    department = models.ForeignKey(
        Department, verbose_name="主科室", null=True, blank=True, on_delete=models.PROTECT, related_name="primary_staff"
    )
    departments = models.ManyToManyField(Department, verbose_name="所在科室", blank=True, related_name="staff")
    code = models.CharField("工号", max_length=32)
    name = models.CharField("姓名", max_length=50)
    sex = models.CharField("性别", max_length=1, choices=choices.Sex.choices, default="0")
    birth_date = models.DateField("出生日期", null=True, blank=True)
    title = models.ForeignKey(
        Title, verbose_name="职称", null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    post = models.ForeignKey(
        Post, verbose_name="岗位", null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    practising_cert_no = models.CharField("执业证书编码", max_length=30, blank=True)
    phone = models.CharField("工作电话", max_length=20, blank=True, validators=[validate_phone])
    specialty = models.CharField("擅长", max_length=200, blank=True)
    is_active = models.BooleanField("在职", default=True)

    scope_spec = ScopeSpec(institution="institution_id", department="department_id", staff="id")

    class Meta:
        verbose_name = "医护人员"
        verbose_name_plural = verbose_name
        ordering = ["institution_id", "code"]
        constraints = [models.UniqueConstraint(fields=["institution", "code"], name="org_staff_code_unique")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        ensure_department_in_institution(self, "主科室必须属于该人员所在机构。")


class Bed(TrackedModel):
    institution = models.ForeignKey(Institution, verbose_name="所属机构", on_delete=models.PROTECT, related_name="beds")
    department = models.ForeignKey(Department, verbose_name="科室", on_delete=models.PROTECT, related_name="beds")
    ward = models.CharField("病区", max_length=50, blank=True)
    room = models.CharField("病房", max_length=20, blank=True)
    code = models.CharField("床位号", max_length=20)
    bed_type = models.CharField("床位类型", max_length=20, choices=choices.BedType.choices, default="general")
    status = models.CharField("状态", max_length=20, choices=choices.BedStatus.choices, default="free")
    referral_reserved = models.BooleanField("转诊预留", default=False)

    scope_spec = ScopeSpec(institution="institution_id", department="department_id")

    class Meta:
        verbose_name = "床位"
        verbose_name_plural = verbose_name
        ordering = ["institution_id", "department_id", "code"]
        constraints = [models.UniqueConstraint(fields=["institution", "code"], name="org_bed_code_unique")]

    def __str__(self) -> str:
        return f"{self.department}{self.code}床" if self.department_id else self.code

    def clean(self) -> None:
        ensure_department_in_institution(self, "科室必须属于该床位所在机构。")


class Equipment(TrackedModel):
    institution = models.ForeignKey(
        Institution, verbose_name="所属机构", on_delete=models.PROTECT, related_name="equipment"
    )
    department = models.ForeignKey(
        Department, verbose_name="使用科室", null=True, blank=True, on_delete=models.PROTECT, related_name="equipment"
    )
    code = models.CharField("资产编号", max_length=32)
    name = models.CharField("设备名称", max_length=100)
    category = models.CharField("设备类别", max_length=20, choices=choices.EquipmentCategory.choices)
    model_no = models.CharField("规格型号", max_length=100, blank=True)
    manufacturer = models.CharField("生产厂家", max_length=100, blank=True)
    serial_no = models.CharField("出厂编号", max_length=64, blank=True)
    purchase_date = models.DateField("购置日期", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=choices.EquipmentStatus.choices, default="in_use")

    scope_spec = ScopeSpec(institution="institution_id", department="department_id")

    class Meta:
        verbose_name = "设备"
        verbose_name_plural = verbose_name
        ordering = ["institution_id", "code"]
        constraints = [models.UniqueConstraint(fields=["institution", "code"], name="org_equipment_code_unique")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        ensure_department_in_institution(self, "使用科室必须属于该设备所在机构。")


class FamilyDoctorTeam(TrackedModel):
    """家庭医生签约服务团队."""

    institution = models.ForeignKey(
        Institution, verbose_name="所属机构", on_delete=models.PROTECT, related_name="doctor_teams"
    )
    code = models.CharField("团队编码", max_length=32)
    name = models.CharField("团队名称", max_length=100)
    leader = models.ForeignKey(
        Staff, verbose_name="团队长", null=True, blank=True, on_delete=models.SET_NULL, related_name="led_teams"
    )
    members = models.ManyToManyField(Staff, verbose_name="团队成员", blank=True, related_name="doctor_teams")

    scope_spec = ScopeSpec(institution="institution_id")

    class Meta:
        verbose_name = "家庭医生团队"
        verbose_name_plural = verbose_name
        ordering = ["institution_id", "code"]
        constraints = [models.UniqueConstraint(fields=["institution", "code"], name="org_team_code_unique")]

    def __str__(self) -> str:
        return self.name
