"""字典、参数与数据元 (PLAT-04, guide §3.7.1.2).

* ``Dictionary`` / ``DictionaryEntry``: code systems (standard, business, system), a tree of entries
  up to the dictionary's 层级; deleted dictionaries go to the recycle bin (``deleted_at``) and
  vanish from ``Dictionary.objects`` until restored or purged.
* ``Parameter`` / ``ParameterValue``: a parameter declares its type, default and limits (参数限定);
  values carry a validity period, platform-wide or per institution (see ``selectors.param_value``).
* ``DataElement``: WS/T 363 数据元 with its 表示格式 and value domain (``selectors.validate_value``).

Rows without an institution are platform-wide: readable by everyone holding the view code, writable
only with the 全部 data scope.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

from yigongti.core.models import TrackedModel
from yigongti.core.scope import ScopeSpec
from yigongti.platform.codes import choices, constraints
from yigongti.platform.codes.formats import KINDS_FOR_TYPE, FormatError, parse_format

validate_dictionary_code = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", "字典编码只能包含字母、数字、下划线、点和短横线，且以字母或数字开头。"
)
validate_parameter_code = RegexValidator(
    r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$",
    "参数编码应为小写字母、数字和下划线，用点分段（如 security.lockout_failures）。",
)
validate_element_identifier = RegexValidator(
    r"^DE\d{2}\.\d{2}\.\d{3}\.\d{2}$", "数据元标识符应形如 DE02.01.039.00（DE+主题分类.大类.顺序码.附加码）。"
)
MAX_TREE_LEVEL = 9


class LiveDictionaryManager(models.Manager["Dictionary"]):
    """Dictionaries not in the recycle bin."""

    def get_queryset(self) -> models.QuerySet[Dictionary]:
        return super().get_queryset().filter(deleted_at__isnull=True)


class Dictionary(TrackedModel):
    institution = models.ForeignKey(
        "org.Institution",
        verbose_name="所属机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="为空表示全平台通用字典",
    )
    code = models.CharField("字典编码", max_length=50, unique=True, validators=[validate_dictionary_code])
    name = models.CharField("字典名称", max_length=100)
    type = models.CharField("字典类型", max_length=16, choices=choices.DictionaryType.choices, default="business")
    version = models.CharField("字典版本", max_length=30, blank=True)
    tree_level = models.PositiveSmallIntegerField(
        "字典层级",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TREE_LEVEL)],
        help_text="字典项树的最大深度，1 表示不分级",
    )
    is_public = models.BooleanField("字典公开", default=True, help_text="公开的字典可通过接口提供给外部系统")
    handling_type = models.CharField("处理类型", max_length=16, choices=choices.HandlingType.choices, default="local")
    handling_description = models.CharField("处理描述", max_length=200, blank=True)
    description = models.TextField("字典描述", blank=True)
    source = models.CharField(
        "来源", max_length=500, blank=True, help_text="所依据的标准及证据等级，如 GB/T 2261.1-2003 [C]"
    )
    sort = models.PositiveIntegerField("排序", default=0)
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True, editable=False, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="删除人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = LiveDictionaryManager()
    all_objects = models.Manager()

    scope_spec = ScopeSpec(institution="institution_id", shared="institution__isnull")

    class Meta:
        verbose_name = "字典"
        verbose_name_plural = verbose_name
        ordering = ["sort", "code"]
        default_manager_name = "all_objects"

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def in_recycle_bin(self) -> bool:
        return self.deleted_at is not None

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if (
            self.code
            and Dictionary.all_objects.filter(code=self.code, deleted_at__isnull=False).exclude(pk=self.pk).exists()
        ):
            errors["code"] = f"编码为「{self.code}」的字典在回收站中，请先还原或彻底删除。"
        if self.pk is not None and self.tree_level:
            depth = max(entry_depths(self.pk).values(), default=0)
            if depth > self.tree_level:
                errors["tree_level"] = f"该字典已有 {depth} 级字典项，层级不能小于 {depth}。"
        if errors:
            raise ValidationError(errors)


def entry_depths(dictionary_id: int) -> dict[int, int]:
    """Depth (1 = top level) of every entry of a dictionary, in two queries' worth of work."""
    parents = dict(DictionaryEntry.all_objects.filter(dictionary_id=dictionary_id).values_list("id", "parent_id"))
    depths: dict[int, int] = {}
    for start in parents:
        chain: list[int] = []
        node: int | None = start
        while node is not None and node not in depths and node not in chain:
            chain.append(node)
            node = parents.get(node)
        base = depths.get(node, 0) if node is not None else 0
        for offset, pk in enumerate(reversed(chain), start=1):
            depths[pk] = base + offset
    return depths


class LiveEntryManager(models.Manager["DictionaryEntry"]):
    """Entries of dictionaries that are not in the recycle bin."""

    def get_queryset(self) -> models.QuerySet[DictionaryEntry]:
        return super().get_queryset().filter(dictionary__deleted_at__isnull=True)


class DictionaryEntry(TrackedModel):
    dictionary = models.ForeignKey(
        Dictionary, verbose_name="所属字典", on_delete=models.CASCADE, related_name="entries"
    )
    parent = models.ForeignKey(
        "self", verbose_name="上级字典项", null=True, blank=True, on_delete=models.RESTRICT, related_name="children"
    )
    code = models.CharField("字典项编码", max_length=50)
    name = models.CharField("字典项名称", max_length=200)
    sort = models.PositiveIntegerField("排序", default=0)
    is_enabled = models.BooleanField("启用", default=True)
    description = models.CharField("说明", max_length=500, blank=True)
    source = models.CharField("来源", max_length=500, blank=True)
    extra = models.JSONField("扩展属性", default=dict, blank=True)

    objects = LiveEntryManager()
    all_objects = models.Manager()

    scope_spec = ScopeSpec(institution="dictionary__institution_id", shared="dictionary__institution__isnull")

    class Meta:
        verbose_name = "字典项"
        verbose_name_plural = verbose_name
        ordering = ["dictionary_id", "sort", "code"]
        default_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["dictionary", "code"],
                name="codes_entry_code_unique",
                violation_error_message="该字典中已存在相同编码的字典项。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if not isinstance(self.extra, dict):
            raise ValidationError({"extra": "扩展属性应为 JSON 对象。"})
        if self.pk is not None and self.dictionary_id:
            old = DictionaryEntry.all_objects.filter(pk=self.pk).values_list("dictionary_id", flat=True).first()
            if old is not None and old != self.dictionary_id:
                raise ValidationError({"dictionary": "不能修改字典项所属的字典。"})
        if not self.dictionary_id:
            return
        level = self.dictionary.tree_level
        depth = 1
        if self.parent_id is not None:
            assert self.parent is not None
            if self.parent.dictionary_id != self.dictionary_id:
                raise ValidationError({"parent": "上级字典项必须属于同一字典。"})
            node: DictionaryEntry | None = self.parent
            seen: set[int] = set()
            while node is not None and node.pk not in seen:
                if self.pk is not None and node.pk == self.pk:
                    raise ValidationError({"parent": "上级字典项不能是本项或其下级。"})
                seen.add(node.pk)
                depth += 1
                node = node.parent
        below = self._subtree_height() if self.pk is not None else 0
        if depth + below > level:
            if level == 1:
                raise ValidationError({"parent": "该字典不分级（层级为 1），字典项不能设置上级。"})
            raise ValidationError({"parent": f"该字典最多 {level} 级，此位置会使字典项达到 {depth + below} 级。"})

    def _subtree_height(self) -> int:
        children: dict[int | None, list[int]] = {}
        for pk, parent in DictionaryEntry.all_objects.filter(dictionary_id=self.dictionary_id).values_list(
            "id", "parent_id"
        ):
            children.setdefault(parent, []).append(pk)
        height, frontier, seen = 0, [self.pk], {self.pk}
        while True:
            frontier = [c for pk in frontier for c in children.get(pk, []) if c not in seen]
            if not frontier:
                return height
            seen.update(frontier)
            height += 1


class Parameter(TrackedModel):
    """A configurable value with its type, default and limits (参数限定配置)."""

    code = models.CharField("参数编码", max_length=100, unique=True, validators=[validate_parameter_code])
    name = models.CharField("参数名称", max_length=100)
    group = models.CharField("参数分组", max_length=50, blank=True)
    value_type = models.CharField("参数类型", max_length=10, choices=choices.ValueType.choices, default="string")
    default_value = models.TextField("默认值", blank=True)
    min_value = models.DecimalField("最小值", max_digits=20, decimal_places=6, null=True, blank=True)
    max_value = models.DecimalField("最大值", max_digits=20, decimal_places=6, null=True, blank=True)
    choices = models.JSONField("可选项", default=list, blank=True, help_text="选项类型的可选值列表")
    choice_dictionary = models.ForeignKey(
        Dictionary,
        verbose_name="选项来源字典",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parameters",
        help_text="选项类型的参数可以取该字典中启用的字典项编码",
    )
    regex = models.CharField("正则表达式", max_length=200, blank=True)
    max_length = models.PositiveIntegerField("最大长度", null=True, blank=True)
    allow_institution_override = models.BooleanField("允许机构覆盖", default=False)
    description = models.TextField("功能描述", blank=True)
    source = models.CharField("来源", max_length=500, blank=True)
    sort = models.PositiveIntegerField("排序", default=0)

    scope_spec = ScopeSpec(shared="*")  # definitions are platform-wide; writing needs the 全部 scope

    class Meta:
        verbose_name = "参数"
        verbose_name_plural = verbose_name
        ordering = ["group", "sort", "code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def value_source_type(self) -> str:
        """参数值来源类型."""
        if self.choice_dictionary_id:
            return "字典"
        if self.value_type == choices.ValueType.CHOICE:
            return "固定选项"
        return "手工输入"

    def typed_default(self) -> Any:
        return constraints.coerce(self, self.default_value)

    def clean(self) -> None:
        errors = constraints.check_limits_fit_type(self)
        if errors:
            raise ValidationError(errors)
        try:
            constraints.coerce(self, self.default_value)
        except ValidationError as exc:
            raise ValidationError({"default_value": exc.messages}) from None
        if self.pk is not None:
            now = timezone.now()
            current = ParameterValue.objects.filter(parameter_id=self.pk).filter(
                models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
            )
            for row in current:
                try:
                    constraints.coerce(self, row.value)
                except ValidationError as exc:
                    raise ValidationError(f"已有参数值「{row.value}」不满足修改后的限定：{exc.messages[0]}") from None


class ParameterValue(TrackedModel):
    """One value of a parameter for a period: platform-wide (no institution) or one institution's."""

    parameter = models.ForeignKey(Parameter, verbose_name="参数", on_delete=models.PROTECT, related_name="values")
    institution = models.ForeignKey(
        "org.Institution",
        verbose_name="机构",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="为空表示全平台",
    )
    value = models.TextField("参数值", blank=True)
    effective_from = models.DateTimeField("生效时间", default=timezone.now)
    expires_at = models.DateTimeField("失效时间", null=True, blank=True, help_text="为空表示长期有效")
    note = models.CharField("说明", max_length=200, blank=True)

    scope_spec = ScopeSpec(institution="institution_id", shared="institution__isnull")

    class Meta:
        verbose_name = "参数值"
        verbose_name_plural = verbose_name
        ordering = ["parameter_id", "institution_id", "-effective_from"]
        indexes = [models.Index(fields=["parameter", "institution", "effective_from"], name="codes_pv_lookup")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=models.F("effective_from")),
                name="codes_pv_period_valid",
                violation_error_message="失效时间必须晚于生效时间。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.parameter_id}={self.value}"

    def in_force_at(self, at: Any) -> bool:
        return self.effective_from <= at and (self.expires_at is None or at < self.expires_at)

    def clean(self) -> None:
        if not self.parameter_id:
            return
        parameter = self.parameter
        if self.institution_id is not None and not parameter.allow_institution_override:
            raise ValidationError({"institution": f"参数「{parameter.name}」不允许机构覆盖，只能设置全平台的值。"})
        try:
            self.value = constraints.normalize(parameter, self.value)
        except ValidationError as exc:
            raise ValidationError({"value": exc.messages}) from None
        if self.effective_from is None:
            return
        if self.expires_at is not None and self.expires_at <= self.effective_from:
            raise ValidationError({"expires_at": "失效时间必须晚于生效时间。"})
        clash = self.overlapping().first()
        if clash is not None:
            raise ValidationError(
                {
                    "effective_from": f"与已有的参数值「{clash.value}」（{period_text(clash)}）有效期重叠，"
                    "请先调整原有参数值的失效时间。"
                }
            )

    def overlapping(self) -> models.QuerySet[ParameterValue]:
        """Other values of the same parameter and institution whose period meets this one's."""
        qs = ParameterValue.objects.filter(parameter_id=self.parameter_id)
        if self.institution_id is None:
            qs = qs.filter(institution__isnull=True)
        else:
            qs = qs.filter(institution_id=self.institution_id)
        if self.pk is not None:
            qs = qs.exclude(pk=self.pk)
        qs = qs.filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=self.effective_from))
        if self.expires_at is not None:
            qs = qs.filter(effective_from__lt=self.expires_at)
        return qs.order_by("effective_from")


def period_text(value: ParameterValue) -> str:
    start = timezone.localtime(value.effective_from).strftime("%Y-%m-%d %H:%M")
    end = timezone.localtime(value.expires_at).strftime("%Y-%m-%d %H:%M") if value.expires_at else "长期"
    return f"{start} 至 {end}"


class DataElement(TrackedModel):
    """WS/T 363 数据元 (china-standards.md §9.3)."""

    internal_id = models.CharField("内部标识符", max_length=30, blank=True, help_text="数据集内标识，如 HDSD00.01.002")
    identifier = models.CharField("数据元标识符", max_length=30, validators=[validate_element_identifier])
    name = models.CharField("数据元名称", max_length=100)
    definition = models.TextField("定义", blank=True)
    data_type = models.CharField("数据类型", max_length=2, choices=choices.DataType.choices)
    format = models.CharField(
        "表示格式", max_length=20, blank=True, help_text="如 A..50、N1、D8、DT15、TF、AN..18、N6,2"
    )
    value_domain = models.ForeignKey(
        Dictionary,
        verbose_name="值域字典",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="data_elements",
        help_text="数据元允许值所在的字典（S2/S3）",
    )
    permissible_values = models.CharField("允许值", max_length=500, blank=True)
    standard_version = models.CharField("标准版本", max_length=50, blank=True)
    source = models.CharField("来源", max_length=500, blank=True)

    scope_spec = ScopeSpec(shared="*")  # national standard: readable by all, written only with 全部 scope

    class Meta:
        verbose_name = "数据元"
        verbose_name_plural = verbose_name
        ordering = ["identifier", "standard_version"]
        constraints = [
            models.UniqueConstraint(
                fields=["identifier", "standard_version"],
                name="codes_element_identifier_unique",
                violation_error_message="同一标准版本下已存在该数据元标识符。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.identifier} {self.name}"

    def clean(self) -> None:
        if not self.data_type:
            return
        if self.data_type == choices.DataType.BY:
            if self.format:
                raise ValidationError({"format": "二进制（BY）数据元不设表示格式。"})
        elif not self.format:
            raise ValidationError({"format": "请填写表示格式。"})
        else:
            try:
                kind = parse_format(self.format).kind
            except FormatError as exc:
                raise ValidationError({"format": str(exc)}) from None
            if kind not in KINDS_FOR_TYPE[self.data_type]:
                label = choices.DataType(self.data_type).label
                raise ValidationError({"format": f"表示格式「{self.format}」与数据类型「{label}」不符。"})
        if self.value_domain_id and self.data_type not in (choices.DataType.S2, choices.DataType.S3):
            raise ValidationError({"value_domain": "只有 S2、S3 类型的数据元可以关联值域字典。"})
