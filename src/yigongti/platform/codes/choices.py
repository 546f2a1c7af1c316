from django.db import models


class DictionaryType(models.TextChoices):
    """字典类型 (guide §3.7.1.2)."""

    SYSTEM = "system", "系统字典"
    BUSINESS = "business", "业务字典"
    STANDARD = "standard", "标准字典"


class HandlingType(models.TextChoices):
    """处理类型 (guide §3.7.1.2): how the dictionary is kept up to date."""

    LOCAL = "local", "本地维护"
    SYNC = "sync", "平台同步"
    MAPPING = "mapping", "对照转换"


class ValueType(models.TextChoices):
    """参数类型."""

    STRING = "string", "字符串"
    INT = "int", "整数"
    DECIMAL = "decimal", "小数"
    BOOL = "bool", "布尔"
    JSON = "json", "JSON"
    CHOICE = "choice", "选项"


class DataType(models.TextChoices):
    """数据元值的数据类型 (china-standards.md §9.3: codes [C], meanings [M])."""

    S1 = "S1", "S1 字符型（不可枚举）"
    S2 = "S2", "S2 字符型（可枚举，直接列出）"
    S3 = "S3", "S3 字符型（代码表）"
    L = "L", "L 布尔型"
    N = "N", "N 数值型"
    D = "D", "D 日期型"
    DT = "DT", "DT 日期时间型"
    T = "T", "T 时间型"
    BY = "BY", "BY 二进制"


class ValueSource(models.TextChoices):
    """Where the current value of a parameter came from (``param_resolve``)."""

    INSTITUTION = "institution", "机构设置"
    PLATFORM = "platform", "平台设置"
    DEFAULT = "default", "默认值"
