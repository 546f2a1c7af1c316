"""参数限定: turn a parameter's stored text into a typed value and check it against the limits.

Values are stored as canonical text (``"90"``, ``"true"``, ``"0.5"``, ``'{"a":1}'``) so that one
column holds every type; ``coerce`` gives the typed value back, ``normalize`` the canonical text.
Every refusal is a ``ValidationError`` with a Chinese message naming the parameter.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from yigongti.platform.codes.choices import ValueType

if TYPE_CHECKING:
    from yigongti.platform.codes.models import Parameter

TRUE_WORDS = {"true", "1", "yes", "y", "t", "on", "是"}
FALSE_WORDS = {"false", "0", "no", "n", "f", "off", "否"}
_INT_RE = re.compile(r"^[+-]?\d+$")


def to_text(raw: Any) -> str:
    """What a client sent (string, number, boolean, object) as text before checking."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, (dict, list)):
        return json.dumps(raw, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return str(raw)


def allowed_choices(parameter: Parameter) -> list[str]:
    if parameter.choice_dictionary_id:
        from yigongti.platform.codes.models import DictionaryEntry

        return list(
            DictionaryEntry.objects.filter(dictionary_id=parameter.choice_dictionary_id, is_enabled=True)
            .order_by("sort", "code")
            .values_list("code", flat=True)
        )
    return [str(c) for c in (parameter.choices or [])]


def _fail(parameter: Parameter, text: str) -> ValidationError:
    return ValidationError(f"参数「{parameter.name or parameter.code}」{text}")


def _bound(parameter: Parameter, number: Decimal) -> None:
    if parameter.min_value is not None and number < parameter.min_value:
        raise _fail(parameter, f"的值不能小于 {_plain(parameter.min_value)}。")
    if parameter.max_value is not None and number > parameter.max_value:
        raise _fail(parameter, f"的值不能大于 {_plain(parameter.max_value)}。")


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def coerce(parameter: Parameter, raw: Any) -> Any:
    """The typed value of ``raw`` for ``parameter``; raises ``ValidationError`` (Chinese)."""
    kind = parameter.value_type
    text = to_text(raw)
    if kind == ValueType.INT:
        stripped = text.strip()
        if isinstance(raw, float) or not _INT_RE.fullmatch(stripped):
            raise _fail(parameter, f"的值应为整数（收到「{text}」）。")
        whole = int(stripped)
        _bound(parameter, Decimal(whole))
        return whole
    if kind == ValueType.DECIMAL:
        try:
            number = Decimal(text.strip())
        except InvalidOperation:
            raise _fail(parameter, f"的值应为数字（收到「{text}」）。") from None
        if not number.is_finite():
            raise _fail(parameter, f"的值应为数字（收到「{text}」）。")
        _bound(parameter, number)
        return number
    if kind == ValueType.BOOL:
        word = text.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise _fail(parameter, f"的值应为“是”或“否”（true/false，收到「{text}」）。")
    if kind == ValueType.JSON:
        if isinstance(raw, (dict, list)):
            return raw
        try:
            return json.loads(text)
        except ValueError:
            raise _fail(parameter, "的值不是有效的 JSON。") from None
    if kind == ValueType.CHOICE:
        options = allowed_choices(parameter)
        if text not in options:
            shown = "、".join(options[:20]) or "（无可选项）"
            raise _fail(parameter, f"的值应为以下选项之一：{shown}（收到「{text}」）。")
        return text
    # string
    if parameter.max_length is not None and len(text) > parameter.max_length:
        raise _fail(parameter, f"的值长度不能超过 {parameter.max_length} 个字符（实际 {len(text)} 个）。")
    if parameter.regex and re.fullmatch(parameter.regex, text) is None:
        raise _fail(parameter, f"的值格式不符合要求（应匹配 {parameter.regex}）。")
    return text


def normalize(parameter: Parameter, raw: Any) -> str:
    """Check ``raw`` and return the canonical text that is stored."""
    value = coerce(parameter, raw)
    kind = parameter.value_type
    if kind == ValueType.BOOL:
        return "true" if value else "false"
    if kind == ValueType.JSON:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if kind == ValueType.DECIMAL:
        return format(value, "f")
    return str(value)


def check_limits_fit_type(parameter: Parameter) -> dict[str, str]:
    """Errors (field → Chinese message) when the limits do not suit the type or each other."""
    errors: dict[str, str] = {}
    numeric = parameter.value_type in (ValueType.INT, ValueType.DECIMAL)
    if not numeric and (parameter.min_value is not None or parameter.max_value is not None):
        errors["min_value"] = "只有整数或小数类型的参数可以设置最小值/最大值。"
    if (
        numeric
        and parameter.min_value is not None
        and parameter.max_value is not None
        and parameter.min_value > parameter.max_value
    ):
        errors["max_value"] = "最大值不能小于最小值。"
    if parameter.value_type != ValueType.STRING:
        if parameter.regex:
            errors["regex"] = "只有字符串类型的参数可以设置正则表达式。"
        if parameter.max_length is not None:
            errors["max_length"] = "只有字符串类型的参数可以设置最大长度。"
    elif parameter.regex:
        try:
            re.compile(parameter.regex)
        except re.error:
            errors["regex"] = "正则表达式无效。"
    choices = parameter.choices or []
    if not isinstance(choices, list) or not all(isinstance(c, str) and c for c in choices):
        errors["choices"] = "可选项应为非空文本的列表。"
    elif len(set(choices)) != len(choices):
        errors["choices"] = "可选项不能重复。"
    if parameter.value_type == ValueType.CHOICE:
        if bool(choices) == bool(parameter.choice_dictionary_id):
            errors["choices"] = "选项类型的参数须设置可选项或选项来源字典（二者选一）。"
    elif choices or parameter.choice_dictionary_id:
        errors["choices"] = "只有选项类型的参数可以设置可选项或选项来源字典。"
    return errors
