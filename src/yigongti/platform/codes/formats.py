"""表示格式 of WS/T 363 data elements: parse a format and check a value against it.

Grammar (china-standards.md §9.3, [M] — to be re-checked against WS/T 303-2023):

* ``A`` 字符, ``N`` 数字, ``AN`` 字母或数字, followed by a length: ``N2`` = exactly 2,
  ``A..50`` = at most 50, ``AN4..18`` = 4 to 18.
* Decimals: ``N6,2`` / ``N..6,2`` = at most 6 digits in all, at most 2 after the point (read like
  SQL ``DECIMAL(6,2)``; the standard's wording on whether the point counts was not retrieved).
* ``D8`` = YYYYMMDD, ``DT15`` = YYYYMMDDThhmmss, ``T6`` = hhmmss (all must be real dates/times);
  ``TF`` = ``T`` or ``F``.

Lengths count characters, so a Chinese character counts as one (a third-party schematron counts
it as two bytes; we chose characters because a name such as 本人姓名 A..50 is written in 汉字).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_TEXT_RE = re.compile(r"^(AN|A|N)(?:(\d+)?\.\.(\d+)|(\d+))(?:,(\d+))?$")
_FIXED = {"D8": "D", "DT15": "DT", "T6": "T", "TF": "TF"}
_ALNUM_RE = re.compile(r"^[A-Za-z0-9]*$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


class FormatError(ValueError):
    """A value (or a format) that does not fit; ``str(error)`` is a Chinese message."""


@dataclass(frozen=True)
class ValueFormat:
    text: str
    kind: str  # A, N, AN, D, DT, T, TF
    min_length: int = 0
    max_length: int | None = None
    decimals: int | None = None

    @property
    def fixed(self) -> bool:
        return self.max_length is not None and self.min_length == self.max_length


def parse_format(text: str) -> ValueFormat:
    """``"A..50"`` → ``ValueFormat(kind="A", max_length=50)``; raises ``FormatError``."""
    source = (text or "").strip()
    if source in _FIXED:
        return ValueFormat(text=source, kind=_FIXED[source])
    match = _TEXT_RE.fullmatch(source)
    if match is None:
        raise FormatError(f"无法识别的表示格式「{text}」（应如 A..50、N2、AN..18、N6,2、D8、DT15、T6、TF）。")
    kind, low, high, fixed, decimals = match.groups()
    if fixed is not None:
        lo = hi = int(fixed)
    else:
        lo, hi = int(low or 0), int(high)
    if hi < 1 or lo > hi:
        raise FormatError(f"表示格式「{text}」的长度范围无效。")
    if decimals is not None:
        if kind != "N":
            raise FormatError(f"表示格式「{text}」：只有数字（N）格式可以规定小数位。")
        if int(decimals) >= hi:
            raise FormatError(f"表示格式「{text}」：小数位数应小于总位数。")
        # With decimals a fixed length is read as a maximum (a fixed-width decimal is not meaningful).
        lo = 0
    return ValueFormat(
        text=source, kind=kind, min_length=lo, max_length=hi, decimals=int(decimals) if decimals is not None else None
    )


def _length_message(fmt: ValueFormat, what: str, length: int) -> str:
    if fmt.fixed:
        return f"{what}应为 {fmt.max_length} 位（实际 {length} 位）。"
    if fmt.min_length and length < fmt.min_length:
        return f"{what}至少 {fmt.min_length} 位（实际 {length} 位）。"
    return f"{what}最多 {fmt.max_length} 位（实际 {length} 位）。"


def _check_length(fmt: ValueFormat, what: str, length: int) -> None:
    assert fmt.max_length is not None
    if length > fmt.max_length or length < fmt.min_length:
        raise FormatError(_length_message(fmt, what, length))


def _check_number(fmt: ValueFormat, value: str) -> None:
    assert fmt.max_length is not None
    if fmt.decimals is None:
        if not value.isascii() or not value.isdigit():
            raise FormatError(f"「{value}」应只包含数字（表示格式 {fmt.text}）。")
        _check_length(fmt, "数字", len(value))
        return
    match = re.fullmatch(r"(\d+)(?:\.(\d+))?", value)
    if match is None:
        raise FormatError(f"「{value}」不是有效的数值（表示格式 {fmt.text}）。")
    whole, fraction = match.group(1), match.group(2) or ""
    if len(fraction) > fmt.decimals:
        raise FormatError(f"「{value}」的小数位最多 {fmt.decimals} 位（表示格式 {fmt.text}）。")
    if len(whole) > fmt.max_length - fmt.decimals:
        raise FormatError(f"「{value}」的整数部分最多 {fmt.max_length - fmt.decimals} 位（表示格式 {fmt.text}）。")


def _check_datetime(value: str, pattern: str, regex: str, label: str, example: str) -> None:
    if not re.fullmatch(regex, value):
        raise FormatError(f"「{value}」应为{label}，格式 {example}。")
    try:
        dt.datetime.strptime(value, pattern)  # a calendar check only: no instant is made
    except ValueError:
        raise FormatError(f"「{value}」不是有效的{label}。") from None


def check_value(fmt: ValueFormat, value: str) -> None:
    """Raise ``FormatError`` (Chinese) unless ``value`` is written in format ``fmt``."""
    if not isinstance(value, str):
        raise FormatError("值应为文本。")
    if value == "":
        raise FormatError("值不能为空。")
    if fmt.kind == "TF":
        if value not in {"T", "F"}:
            raise FormatError(f"「{value}」应为 T（是）或 F（否）。")
    elif fmt.kind == "D":
        _check_datetime(value, "%Y%m%d", r"\d{8}", "日期", "YYYYMMDD")
    elif fmt.kind == "DT":
        _check_datetime(value, "%Y%m%dT%H%M%S", r"\d{8}T\d{6}", "日期时间", "YYYYMMDDThhmmss")
    elif fmt.kind == "T":
        _check_datetime(value, "%H%M%S", r"\d{6}", "时间", "hhmmss")
    elif fmt.kind == "N":
        _check_number(fmt, value)
    elif fmt.kind == "AN":
        if not _ALNUM_RE.fullmatch(value):
            raise FormatError(f"「{value}」应只包含字母或数字（表示格式 {fmt.text}）。")
        _check_length(fmt, "长度", len(value))
    else:  # A
        if _CONTROL_RE.search(value):
            raise FormatError("值中不能包含换行符或控制字符。")
        _check_length(fmt, "长度", len(value))


# data type → the format kinds it may be written in
KINDS_FOR_TYPE: dict[str, frozenset[str]] = {
    "S1": frozenset({"A", "N", "AN"}),
    "S2": frozenset({"A", "N", "AN"}),
    "S3": frozenset({"A", "N", "AN"}),
    "N": frozenset({"N"}),
    "L": frozenset({"TF"}),
    "D": frozenset({"D"}),
    "DT": frozenset({"DT"}),
    "T": frozenset({"T"}),
}
