"""Excel export of any list (``?format=xlsx``) and Excel import of reference data."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from rest_framework import renderers, serializers

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def serializer_fields(serializer: serializers.BaseSerializer[Any]) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
    return dict(getattr(serializer, "fields", {}))


def export_columns(serializer: serializers.BaseSerializer[Any]) -> list[tuple[str, str]]:
    """(field name, Chinese header) for every readable field of a serializer."""
    columns = []
    meta = getattr(serializer, "Meta", None)
    for name, f in serializer_fields(serializer).items():
        if f.write_only or name in getattr(meta, "export_exclude", ()):
            continue
        columns.append((name, str(f.label or name)))
    return columns


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        return "、".join(str(_cell(v)) for v in value)
    if isinstance(value, dict):
        return value.get("name") or value.get("display") or str(value)
    if isinstance(value, (dt.datetime,)):
        return value.replace(tzinfo=None)
    return value


def build_workbook(title: str, columns: Sequence[tuple[str, str]], rows: Iterable[dict[str, Any]]) -> bytes:
    wb = Workbook(write_only=False)
    ws = wb.active
    assert ws is not None
    ws.title = (title or "数据")[:31]
    fill_sheet(ws, columns, rows)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def fill_sheet(ws: Any, columns: Sequence[tuple[str, str]], rows: Iterable[Mapping[str, Any]]) -> None:
    """Header row (bold, shaded, frozen), one row per record, readable column widths."""
    ws.append([label for _, label in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for row in rows:
        ws.append([_cell(row.get(name)) for name, _ in columns])
    for index, (_, label) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(10, min(40, len(label) * 2 + 4))
    ws.freeze_panes = "A2"


class XLSXRenderer(renderers.BaseRenderer):
    media_type = XLSX_MEDIA_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Mapping[str, Any] | None = None
    ) -> bytes:
        if isinstance(data, (bytes, bytearray)):
            return bytes(data)
        # Errors (and anything not prepared by the export path) come out as a one-sheet table.
        if isinstance(data, dict) and "code" in data and "message" in data:
            return build_workbook("错误", [("code", "错误码"), ("message", "说明")], [data])
        rows = data.get("results", data) if isinstance(data, dict) else data
        rows = rows if isinstance(rows, list) else [rows]
        columns = [(k, k) for k in (rows[0].keys() if rows else [])]
        return build_workbook("数据", columns, rows)


def read_workbook(content: bytes, columns: Sequence[tuple[str, str]]) -> list[tuple[int, dict[str, Any]]]:
    """Rows of the first sheet as dicts keyed by field name. Headers may be the Chinese label or the
    field name. Returns (Excel row number, data) for each non-empty row."""
    wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    try:
        header = next(rows)
    except StopIteration:
        return []
    by_label = {label: name for name, label in columns} | {name: name for name, _ in columns}
    names = [by_label.get(str(h).strip()) if h is not None else None for h in header]
    result = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        record = {}
        for name, value in zip(names, values, strict=False):
            if name is None or value is None or value == "":
                continue
            if isinstance(value, dt.datetime) and value.time() == dt.time(0):
                value = value.date()
            record[name] = value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value
        result.append((number, record))
    return result
