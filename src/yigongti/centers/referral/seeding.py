"""Data the center needs to run: the 转诊单号 numbering rule.

Created by migration ``0001_initial`` and re-ensured after every ``migrate``/``flush``
(``post_migrate``), never changed once it exists (administrators own its look afterwards).
"""

from __future__ import annotations

from typing import Any

NUMBER_RULE_CODE = "referral.number"
NUMBER_RULE_DEFAULTS = {
    "name": "转诊单号",
    "prefix": "ZZ",
    "include_institution_code": False,
    "date_part": "YYYYMMDD",
    "width": 4,
    "reset": "daily",
    "separator": "",
    "description": "双向转诊单的业务编号（双向转诊中心），如 ZZ202611250001",
}


def ensure_number_rule(sender: Any = None, using: str = "default", **kwargs: Any) -> None:
    from yigongti.core.numbering.models import NumberRule

    NumberRule.objects.using(using).get_or_create(code=NUMBER_RULE_CODE, defaults=NUMBER_RULE_DEFAULTS)
