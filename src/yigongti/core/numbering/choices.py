from django.db import models


class DatePart(models.TextChoices):
    NONE = "none", "不含日期"
    YEAR = "YYYY", "年（YYYY）"
    MONTH = "YYYYMM", "年月（YYYYMM）"
    DAY = "YYYYMMDD", "年月日（YYYYMMDD）"


class Reset(models.TextChoices):
    NEVER = "never", "不重置"
    YEARLY = "yearly", "每年重置"
    MONTHLY = "monthly", "每月重置"
    DAILY = "daily", "每日重置"


# strftime pattern of each date part; "" for none
DATE_FORMATS: dict[str, str] = {
    DatePart.NONE: "",
    DatePart.YEAR: "%Y",
    DatePart.MONTH: "%Y%m",
    DatePart.DAY: "%Y%m%d",
}

# the period key of each reset cycle (the same strftime patterns: a reset period maps to a date part)
PERIOD_FORMATS: dict[str, str] = {
    Reset.NEVER: "",
    Reset.YEARLY: "%Y",
    Reset.MONTHLY: "%Y%m",
    Reset.DAILY: "%Y%m%d",
}

# how fine each date part / reset is (0 = none/never … 3 = day); the printed date must be at least as
# fine as the reset period, or two periods would print the same number
GRANULARITY: dict[str, int] = {
    DatePart.NONE: 0,
    DatePart.YEAR: 1,
    DatePart.MONTH: 2,
    DatePart.DAY: 3,
    Reset.NEVER: 0,
    Reset.YEARLY: 1,
    Reset.MONTHLY: 2,
    Reset.DAILY: 3,
}
