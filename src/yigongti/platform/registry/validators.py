"""Field validators of the resident registry (Chinese messages)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from yigongti.platform.registry.choices import ETHNICITY_CODES

_TOWNSHIP_RE = re.compile(r"^[1-8]\d{5}(\d{3}|\d{6})$")


def validate_ethnicity(value: str) -> None:
    if value and value not in ETHNICITY_CODES:
        raise ValidationError("民族代码应为 GB/T 3304 的两位代码（01–56）。", code="ethnicity")


def validate_township_division(value: str) -> None:
    if value and not _TOWNSHIP_RE.fullmatch(value):
        raise ValidationError(
            "行政区划代码应为 9 位乡镇级代码或 12 位统计用区划代码（前 6 位为县级代码）。", code="division_code"
        )
