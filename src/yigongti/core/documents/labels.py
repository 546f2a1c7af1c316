"""Barcodes, QR codes and printable label sheets (PLAT-12).

* Code 128 (python-barcode): ``barcode_png`` / ``barcode_svg`` — for specimen tubes, sterile packs,
  prescriptions. Text is printable ASCII (python-barcode switches between code sets A/B/C itself).
* QR (qrcode, error correction M): ``qr_png`` / ``qr_svg`` — any UTF-8 text.
* ``label_sheet_pdf(labels, layout)``: an A4 sheet of adhesive labels (e.g. 3×8 of 70×37 mm), each
  with a title line, a Code 128 barcode, its human-readable text and an optional QR code.

Inside PDFs the codes are drawn as vector SVG (one path, crisp edges), so they print sharp at any
printer resolution.
"""

from __future__ import annotations

import base64
import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import barcode
import qrcode
import qrcode.constants
from barcode import Code128
from barcode.writer import SVGWriter
from PIL import Image, ImageDraw, ImageFont

from yigongti.core.documents import error_codes
from yigongti.core.documents.paper import PAGE_SIZES
from yigongti.core.errors import BusinessError

MAX_CODE128_LENGTH = 80
MAX_QR_BYTES = 1000  # well inside version 40-M (2331 bytes); a phone still reads it from paper
MIN_MODULE_MM = 0.19  # narrowest Code 128 bar a common thermal/laser printer and scanner handle
PREFERRED_MODULE_MM = 0.33
MAX_LABELS = 480

QUIET_ZONE_MODULES = 10  # ISO/IEC 15417: at least 10 modules of white on each side
PNG_DPI = 300
PNG_MODULE_PX = 3  # 0.254 mm at 300 dpi, in whole pixels
BARCODE_FONT = Path(barcode.__file__).resolve().parent / "fonts" / "DejaVuSansMono.ttf"  # ships in the wheel
SVG_OPTIONS = {"module_width": 0.254, "module_height": 12.0, "quiet_zone": 2.54, "font_size": 9, "text_distance": 4.0}


# -- validation --------------------------------------------------------------------------------
def validate_code128(text: str) -> str:
    if not text or len(text) > MAX_CODE128_LENGTH or any(not 32 <= ord(ch) <= 126 for ch in text):
        message = f"条码内容只能是 1–{MAX_CODE128_LENGTH} 个英文字母、数字或常用符号（不支持中文）。"
        raise BusinessError(error_codes.BARCODE_TEXT_INVALID, message, fields={"text": [message]})
    return text


def validate_qr_text(text: str) -> str:
    if not text or len(text.encode("utf-8")) > MAX_QR_BYTES:
        message = f"二维码内容不能为空，且不超过 {MAX_QR_BYTES} 字节（约 {MAX_QR_BYTES // 3} 个汉字）。"
        raise BusinessError(error_codes.QR_TEXT_INVALID, message, fields={"text": [message]})
    return text


# -- Code 128 ----------------------------------------------------------------------------------
def code128_modules(text: str) -> str:
    """The bar pattern, one character per module ("1" bar, "0" space): start code, data, check
    symbol, stop pattern — without quiet zones."""
    return str(Code128(validate_code128(text)).build()[0])


def code128_symbols(text: str) -> list[int]:
    """Symbol values (start code and data, before the check symbol) as python-barcode encodes them."""
    return list(Code128(validate_code128(text)).encoded)


def _runs(modules: str) -> list[tuple[int, int]]:
    """(start, width) of every bar, in modules."""
    bars, x = [], 0
    for bit, group in itertools.groupby(modules):
        width = len(list(group))
        if bit == "1":
            bars.append((x, width))
        x += width
    return bars


def barcode_png(text: str, *, module_px: int = PNG_MODULE_PX, bar_height_px: int = 150) -> bytes:
    """Code 128 as a 1-bit, 300 dpi PNG with the text underneath. Every module is exactly
    ``module_px`` pixels wide (python-barcode's ImageWriter rounds float mm positions, which makes
    bars uneven); the quiet zones are 10 modules."""
    modules = code128_modules(text)
    quiet = QUIET_ZONE_MODULES * module_px
    font = ImageFont.truetype(str(BARCODE_FONT), size=max(12, module_px * 10))
    text_height = int(font.size) + module_px * 4
    image = Image.new("1", (len(modules) * module_px + 2 * quiet, bar_height_px + text_height + 2 * module_px * 4), 1)
    draw = ImageDraw.Draw(image)
    top = module_px * 4
    for start, width in _runs(modules):
        left = quiet + start * module_px
        draw.rectangle([left, top, left + width * module_px - 1, top + bar_height_px - 1], fill=0)
    draw.text((image.width // 2, top + bar_height_px + module_px * 2), text, font=font, fill=0, anchor="ma")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(PNG_DPI, PNG_DPI))
    return buffer.getvalue()


def barcode_svg(text: str) -> bytes:
    """Code 128 as SVG (python-barcode's writer, sizes in mm) with the text underneath."""
    buffer = io.BytesIO()
    Code128(validate_code128(text), writer=SVGWriter()).write(buffer, dict(SVG_OPTIONS))
    return buffer.getvalue()


def bars_svg(modules: str, *, height: float = 10.0, quiet: int = QUIET_ZONE_MODULES) -> bytes:
    """A bare bar pattern (with its quiet zones) as SVG whose viewBox is one unit per module and
    which stretches to the box it is drawn in (``preserveAspectRatio="none"``): the label template
    decides the printed size."""
    path = "".join(f"M{start + quiet} 0h{width}v{height:g}h-{width}z" for start, width in _runs(modules))
    total = len(modules) + 2 * quiet
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total} {height:g}" '
        f'preserveAspectRatio="none" shape-rendering="crispEdges">'
        f'<rect width="{total}" height="{height:g}" fill="#fff"/><path fill="#000" d="{path}"/></svg>'
    ).encode()


# -- QR ----------------------------------------------------------------------------------------
def qr_code(text: str, *, border: int = 4, box_size: int = 10) -> qrcode.QRCode[Any]:
    """The smallest QR version that holds ``text`` at error correction level M."""
    code: qrcode.QRCode[Any] = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=border, box_size=box_size
    )
    code.add_data(validate_qr_text(text))
    code.make(fit=True)
    return code


def qr_png(text: str, *, box_size: int = 10) -> bytes:
    """QR as a 1-bit PNG: (4 × version + 17 + 8) × ``box_size`` pixels square."""
    buffer = io.BytesIO()
    qr_code(text, box_size=box_size).make_image().save(buffer)
    return buffer.getvalue()


def qr_svg(text: str) -> bytes:
    """QR as SVG, one viewBox unit per module including the 4-module quiet zone."""
    matrix = qr_code(text).get_matrix()
    size, path = len(matrix), []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                path.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size * 4}" '
        f'height="{size * 4}" shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(path)}"/></svg>'
    ).encode()


def data_uri(content: bytes, media_type: str) -> str:
    return f"data:{media_type};base64,{base64.b64encode(content).decode('ascii')}"


# -- label sheets ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Label:
    """One adhesive label: title line, Code 128 of ``code``, the human-readable ``text`` (defaults
    to ``code``), an optional QR of ``qr`` and an optional small ``note`` line."""

    title: str
    code: str
    text: str = ""
    qr: str = ""
    note: str = ""


@dataclass(frozen=True)
class LabelLayout:
    """Labels in a grid on one sheet. Margins left as ``None`` centre the grid on the page."""

    name: str
    description: str
    columns: int
    rows: int
    label_width_mm: float
    label_height_mm: float
    page_size: str = "A4"
    gap_x_mm: float = 0.0
    gap_y_mm: float = 0.0
    margin_left_mm: float | None = None
    margin_top_mm: float | None = None
    padding_mm: float = 2.0
    positions: tuple[tuple[float, float], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.page_size not in PAGE_SIZES or self.columns < 1 or self.rows < 1:
            raise ValueError(f"标签版式 {self.name} 无效")
        page_w, page_h = PAGE_SIZES[self.page_size]
        grid_w = self.columns * self.label_width_mm + (self.columns - 1) * self.gap_x_mm
        grid_h = self.rows * self.label_height_mm + (self.rows - 1) * self.gap_y_mm
        left = (page_w - grid_w) / 2 if self.margin_left_mm is None else self.margin_left_mm
        top = (page_h - grid_h) / 2 if self.margin_top_mm is None else self.margin_top_mm
        if left < 0 or top < 0 or left + grid_w > page_w + 1e-6 or top + grid_h > page_h + 1e-6:
            raise ValueError(f"标签版式 {self.name} 超出 {self.page_size} 纸张")
        cells = tuple(
            (
                round(left + c * (self.label_width_mm + self.gap_x_mm), 3),
                round(top + r * (self.label_height_mm + self.gap_y_mm), 3),
            )
            for r in range(self.rows)
            for c in range(self.columns)
        )
        object.__setattr__(self, "positions", cells)

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def padding_x_mm(self) -> float:
        return self.padding_mm + 1.0

    def barcode_width_mm(self, *, with_qr: bool) -> float:
        """Width available to the barcode inside one label."""
        inner = self.label_width_mm - 2 * self.padding_x_mm
        return inner - (self.qr_size_mm() + 1.5 if with_qr else 0)

    def qr_size_mm(self) -> float:
        return min(22.0, self.label_height_mm - 2 * self.padding_mm - 4.5)


A4_3X8 = LabelLayout(
    "a4-3x8", "A4 3×8（70×37 mm，每页 24 枚）", columns=3, rows=8, label_width_mm=70, label_height_mm=37
)
A4_2X7 = LabelLayout(
    "a4-2x7", "A4 2×7（99.1×38.1 mm，每页 14 枚）", 2, 7, label_width_mm=99.1, label_height_mm=38.1, gap_x_mm=2.5
)
LAYOUTS: dict[str, LabelLayout] = {layout.name: layout for layout in (A4_3X8, A4_2X7)}


def _label_cell(index: int, label: Label, layout: LabelLayout, x: float, y: float) -> dict[str, Any]:
    modules = code128_modules(label.code)
    available = layout.barcode_width_mm(with_qr=bool(label.qr))
    width_in_modules = len(modules) + 2 * QUIET_ZONE_MODULES
    if width_in_modules * MIN_MODULE_MM > available:
        raise BusinessError(
            error_codes.LABEL_CODE_TOO_LONG,
            f"第 {index + 1} 个标签的条码内容过长（{label.code}），在 {layout.label_width_mm:g} mm 宽的标签上无法清晰打印。",
            fields={"labels": {str(index): {"code": ["条码内容过长"]}}},
        )
    return {
        "x": x,
        "y": y,
        "title": label.title,
        "text": label.text or label.code,
        "note": label.note,
        "barcode": data_uri(bars_svg(modules), "image/svg+xml"),
        "barcode_width": round(min(available, width_in_modules * PREFERRED_MODULE_MM), 2),
        "qr": data_uri(qr_svg(label.qr), "image/svg+xml") if label.qr else "",
    }


def label_sheet_html(labels: Sequence[Label], layout: LabelLayout = A4_3X8, *, title: str = "标签") -> str:
    from yigongti.core.documents.pdf import jinja_env

    if not labels or len(labels) > MAX_LABELS:
        raise BusinessError(
            error_codes.DOCUMENT_TOO_LARGE,
            f"一次可打印 1–{MAX_LABELS} 枚标签。",
            fields={"labels": [f"一次可打印 1–{MAX_LABELS} 枚标签。"]},
        )
    cells = [_label_cell(i, label, layout, *layout.positions[i % layout.per_page]) for i, label in enumerate(labels)]
    pages = [cells[i : i + layout.per_page] for i in range(0, len(cells), layout.per_page)]
    page_w, page_h = PAGE_SIZES[layout.page_size]
    return (
        jinja_env()
        .get_template("label_sheet.html")
        .render(title=title, layout=layout, pages=pages, page_w=page_w, page_h=page_h, qr_size=layout.qr_size_mm())
    )


def label_sheet_pdf(labels: Sequence[Label], layout: LabelLayout = A4_3X8, *, title: str = "标签") -> bytes:
    """``labels`` laid out row by row, ``layout.per_page`` to a page (30 labels on 3×8 → 2 pages)."""
    from yigongti.core.documents.pdf import html_to_pdf

    html = label_sheet_html(labels, layout, title=title)
    return html_to_pdf(html, page_size=layout.page_size, landscape=False)
