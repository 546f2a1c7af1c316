"""Printable documents and exports (PLAT-12, PLAT-13): PDFs from Jinja2 templates (WeasyPrint,
embedded Noto CJK fonts, no network), Code 128 / QR codes, label sheets and multi-sheet Excel.

    from yigongti.core.documents import render_pdf, table_pdf, label_sheet_pdf, Label, excel_workbook, Sheet

Documents that read business models live in their apps on top of this package (the institution
roster: ``yigongti.platform.org.roster``). See ``docs/services/exports.md``.
"""

from yigongti.core.documents.excel import Sheet, excel_workbook
from yigongti.core.documents.labels import (
    A4_2X7,
    A4_3X8,
    LAYOUTS,
    Label,
    LabelLayout,
    barcode_png,
    barcode_svg,
    label_sheet_pdf,
    qr_png,
    qr_svg,
)
from yigongti.core.documents.paper import PAGE_SIZES, page_points
from yigongti.core.documents.pdf import render_pdf, table_pdf

__all__ = [
    "A4_2X7",
    "A4_3X8",
    "LAYOUTS",
    "PAGE_SIZES",
    "Label",
    "LabelLayout",
    "Sheet",
    "barcode_png",
    "barcode_svg",
    "excel_workbook",
    "label_sheet_pdf",
    "page_points",
    "qr_png",
    "qr_svg",
    "render_pdf",
    "table_pdf",
]
