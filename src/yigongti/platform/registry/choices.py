from django.db import models


class MaritalStatus(models.TextChoices):
    """GB/T 2261.2-2003 婚姻状况代码."""

    UNMARRIED = "10", "未婚"
    MARRIED = "20", "已婚"
    FIRST_MARRIAGE = "21", "初婚"
    REMARRIED = "22", "再婚"
    REMARRIED_SAME = "23", "复婚"
    WIDOWED = "30", "丧偶"
    DIVORCED = "40", "离婚"
    UNSTATED = "90", "未说明的婚姻状况"


# GB/T 3304-1991 中国各民族名称的罗马字母拼写法和代码: 01 汉族 … 56 基诺族.
ETHNICITY_CODES = frozenset(f"{n:02d}" for n in range(1, 57))
