"""Checksums and formats of Chinese identifiers.

Sources: ``china-standards.md`` §10.1 (GB 11643-1999 居民身份证号码, ISO 7064 MOD 11-2) and §10.2
(GB 32100-2015 统一社会信用代码, MOD 31).
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError

# GB 11643-1999: Wi = 2^(17-k) mod 11 (china-standards.md §10.1 [V])
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"

# GB 32100-2015: alphabet without I, O, S, V, Z; weights 3^k mod 31 (china-standards.md §10.2 [V])
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_PHONE_RE = re.compile(r"^(0\d{2,3}-?)?\d{7,8}(-\d{1,6})?$")
_DIVISION_RE = re.compile(r"^[1-8]\d{5}$")


def id_check_char(first17: str) -> str:
    total = sum(int(ch) * w for ch, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def upgrade_id_number(number: str) -> str:
    """Upgrade a legacy 15-digit number: insert the century "19" and append the check character."""
    body = number[:6] + "19" + number[6:]
    return body + id_check_char(body)


def normalize_id_number(value: str) -> str:
    """Validate a 居民身份证号码 and return its 18-character form (uppercase X).

    Raises ``ValidationError`` with a Chinese message when the number is malformed.
    """
    number = (value or "").strip().upper()
    if re.fullmatch(r"\d{15}", number):
        number = upgrade_id_number(number)
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationError("身份证号码应为 18 位（末位可为 X）或 15 位旧号码。", code="id_format")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError("身份证号码中的出生日期无效。", code="id_birth") from None
    if birth > dt.date.today() or birth.year < 1880:
        raise ValidationError("身份证号码中的出生日期无效。", code="id_birth")
    if id_check_char(number[:17]) != number[17]:
        raise ValidationError("身份证号码校验位错误，请核对。", code="id_checksum")
    return number


def validate_id_number(value: str) -> None:
    normalize_id_number(value)


def id_number_birth_date(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def id_number_sex(number: str) -> str:
    """GB/T 2261.1 code from the sequence digit: odd = 1 男, even = 2 女."""
    return "1" if int(number[16]) % 2 else "2"


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    value = 31 - total % 31
    return USCC_ALPHABET[0 if value == 31 else value]


def validate_uscc(value: str) -> None:
    code = (value or "").strip().upper()
    if not _USCC_RE.fullmatch(code):
        raise ValidationError(
            "统一社会信用代码应为 18 位，由数字和大写字母组成（不含 I、O、S、V、Z）。", code="uscc_format"
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError("统一社会信用代码校验位错误，请核对。", code="uscc_checksum")


def validate_division_code(value: str) -> None:
    if not _DIVISION_RE.fullmatch(value or ""):
        raise ValidationError("行政区划代码应为 6 位数字（GB/T 2260）。", code="division_code")


def validate_phone(value: str) -> None:
    text = (value or "").strip()
    if not (_MOBILE_RE.fullmatch(text) or _PHONE_RE.fullmatch(text)):
        raise ValidationError("电话号码格式不正确（手机号 11 位，或区号-固话号码）。", code="phone")
