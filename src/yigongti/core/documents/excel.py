"""Multi-sheet Excel reports (PLAT-13) on top of the list export's ``build_workbook``.

Each sheet is filled by ``core.api.export.fill_sheet`` — the same header style, column widths, frozen
header row and cell conversions (是/否, lists joined with 、, naive local datetimes) as every
``?format=xlsx`` list export. Nothing of the sheet formatting is re-implemented here.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook

from yigongti.core.api.export import fill_sheet
from yigongti.core.documents import error_codes
from yigongti.core.errors import BusinessError

MAX_SHEETS = 50
_FORBIDDEN_IN_TITLE = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Sheet:
    """One worksheet: ``columns`` are ``(field name, 中文表头)``, ``rows`` dicts keyed by field name."""

    title: str
    columns: Sequence[tuple[str, str]]
    rows: Iterable[Mapping[str, Any]]


def sheet_title(title: str, used: set[str]) -> str:
    """A valid, unique Excel sheet name: no []:*?/\\, at most 31 characters, 数据 when empty."""
    base = _FORBIDDEN_IN_TITLE.sub("_", title or "").strip().strip("'")[:31] or "数据"
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f"({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def excel_workbook(sheets: Sequence[Sheet]) -> bytes:
    """One .xlsx with a worksheet per ``Sheet``, in order."""
    if not sheets or len(sheets) > MAX_SHEETS:
        raise BusinessError(error_codes.REPORT_SHEETS_INVALID, f"一个 Excel 报表可包含 1–{MAX_SHEETS} 个工作表。")
    workbook = Workbook()
    first = workbook.active
    if first is not None:
        workbook.remove(first)
    used: set[str] = set()
    for sheet in sheets:
        fill_sheet(workbook.create_sheet(sheet_title(sheet.title, used)), sheet.columns, sheet.rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
