"""Barcodes, QR codes and label sheets (PLAT-12). No scanner offline, so the Code 128 tests check
the symbol structure against the standard and decode the PNG's bars back into modules."""

from __future__ import annotations

import io
import itertools
import xml.etree.ElementTree as ET

import pytest
from barcode.charsets import code128 as code128_table
from PIL import Image

from yigongti.core.documents import (
    A4_2X7,
    A4_3X8,
    Label,
    LabelLayout,
    barcode_png,
    barcode_svg,
    label_sheet_pdf,
    qr_png,
    qr_svg,
)
from yigongti.core.documents.labels import (
    PNG_MODULE_PX,
    QUIET_ZONE_MODULES,
    code128_modules,
    code128_symbols,
    label_sheet_html,
    qr_code,
)
from yigongti.core.documents.tests.pdftools import (
    needs_poppler,
    needs_weasyprint,
    page_count,
    page_size_points,
    pdffonts,
    pdftotext,
    squeeze,
)
from yigongti.core.errors import BusinessError

# ISO/IEC 15417 patterns (bar/space modules) quoted from the standard's symbol table.
START_B = "11010010000"  # value 104
STOP = "1100011101011"  # stop character with its terminating bar
PATTERN = {1: "11001101100", 33: "10100011000", 34: "10001011000", 35: "10001000110"}


# -- Code 128 -----------------------------------------------------------------------------------
def test_code128_known_answer() -> None:
    # "ABC" in code set B: start B, A(33) B(34) C(35), check (104 + 33·1 + 34·2 + 35·3) mod 103 = 1, stop.
    assert code128_symbols("ABC") == [104, 33, 34, 35]
    assert code128_modules("ABC") == START_B + PATTERN[33] + PATTERN[34] + PATTERN[35] + PATTERN[1] + STOP


def test_code128_structure_of_a_specimen_number() -> None:
    text = "SP2026000123"
    symbols = code128_symbols(text)
    # start B, "S"=51, "P"=48, then code C (99) for the ten digits in pairs: 20 26 00 01 23.
    assert symbols == [104, 51, 48, 99, 20, 26, 0, 1, 23]
    check = (symbols[0] + sum(i * v for i, v in enumerate(symbols[1:], start=1))) % 103
    modules = code128_modules(text)
    assert len(modules) == 11 * (len(symbols) + 1) + 13
    assert modules.startswith(START_B)
    assert modules.endswith(STOP)
    chunks = [modules[i : i + 11] for i in range(0, len(modules) - 13, 11)]
    assert chunks[-1] == code128_table.CODES[check]
    for chunk in chunks:
        runs = [len(list(g)) for _, g in itertools.groupby(chunk)]
        assert chunk[0] == "1"
        assert chunk[-1] == "0"
        assert len(runs) == 6  # three bars, three spaces
        assert all(1 <= r <= 4 for r in runs)
        assert sum(runs[0::2]) % 2 == 0  # bar modules of every symbol are even (parity)


def test_barcode_png_bars_decode_back_to_the_modules() -> None:
    text = "SP2026000123"
    image = Image.open(io.BytesIO(barcode_png(text)))
    assert image.format == "PNG"
    assert round(image.info["dpi"][0]) == 300
    modules = code128_modules(text)
    quiet = QUIET_ZONE_MODULES * PNG_MODULE_PX
    assert image.width == len(modules) * PNG_MODULE_PX + 2 * quiet
    row = [image.getpixel((x, 60)) for x in range(image.width)]
    runs = [(bool(colour), len(list(g))) for colour, g in itertools.groupby(row)]
    assert runs[0] == (True, quiet)
    assert runs[-1] == (True, quiet)
    expected = [(bit == "0", len(list(g)) * PNG_MODULE_PX) for bit, g in itertools.groupby(modules)]
    assert runs[1:-1] == expected


def test_barcode_svg_has_one_rect_per_bar_and_the_text() -> None:
    text = "SP2026000123"
    root = ET.fromstring(barcode_svg(text))
    ns = "{http://www.w3.org/2000/svg}"
    bars = [r for r in root.iter(f"{ns}rect") if "fill:black" in (r.get("style") or "")]
    assert len(bars) == sum(1 for bit, _ in itertools.groupby(code128_modules(text)) if bit == "1")
    assert [t.text for t in root.iter(f"{ns}text")] == [text]


def test_barcode_svg_escapes_markup() -> None:
    svg = barcode_svg("<script>&")
    assert b"<script>" not in svg
    assert b"&lt;script&gt;&amp;" in svg


@pytest.mark.parametrize("text", ["", "标本001", "A" * 81, "tab\there"])
def test_code128_refuses_text_it_cannot_encode(text: str) -> None:
    with pytest.raises(BusinessError) as caught:
        barcode_png(text)
    assert caught.value.error_code == "BARCODE_TEXT_INVALID"
    assert "不支持中文" in caught.value.message


# -- QR -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("SP-20260101-0001", 1),  # 16 alphanumeric characters: version 1-M holds 20
        ("sp-20260101-0001", 2),  # lower case → byte mode, 16 bytes: 1-M holds 14, 2-M holds 26
        ("城关镇卫生院", 2),  # 18 UTF-8 bytes
        ("x" * 300, 13),  # byte mode at level M: version 12 holds 287 bytes, version 13 holds 331
    ],
)
def test_qr_version_and_size(text: str, version: int) -> None:
    code = qr_code(text)
    assert code.version == version
    modules = 4 * version + 17
    assert code.modules_count == modules
    image = Image.open(io.BytesIO(qr_png(text)))
    assert image.size == ((modules + 8) * 10, (modules + 8) * 10)  # 4-module quiet zone, 10 px per module
    assert image.getpixel((5, 5)) == 255  # quiet zone is white
    assert image.getpixel((45, 45)) == 0  # top-left finder pattern starts at module (4, 4)
    root = ET.fromstring(qr_svg(text))
    assert root.get("viewBox") == f"0 0 {modules + 8} {modules + 8}"


def test_qr_refuses_empty_and_oversized_text() -> None:
    for text in ("", "码" * 400):
        with pytest.raises(BusinessError) as caught:
            qr_png(text)
        assert caught.value.error_code == "QR_TEXT_INVALID"


# -- label layouts ------------------------------------------------------------------------------
def test_a4_3x8_layout_fills_the_sheet() -> None:
    assert A4_3X8.per_page == 24
    assert A4_3X8.positions[0] == (0.0, 0.5)
    assert A4_3X8.positions[2] == (140.0, 0.5)
    assert A4_3X8.positions[-1] == (140.0, 259.5)  # 259.5 + 37 = 296.5 ≤ 297
    assert A4_2X7.per_page == 14
    assert A4_2X7.positions[1] == (round(4.65 + 99.1 + 2.5, 3), 15.15)


def test_layout_that_does_not_fit_the_page_is_rejected() -> None:
    with pytest.raises(ValueError, match="超出"):
        LabelLayout("too-big", "太大", columns=3, rows=9, label_width_mm=70, label_height_mm=37)


def test_label_html_escapes_label_text() -> None:
    html = label_sheet_html([Label(title="<b>血常规</b>", code="SP1", note="<i>x</i>")])
    assert "<b>血常规</b>" not in html
    assert "&lt;b&gt;血常规&lt;/b&gt;" in html


def test_label_sheet_limits() -> None:
    with pytest.raises(BusinessError) as caught:
        label_sheet_pdf([])
    assert caught.value.error_code == "DOCUMENT_TOO_LARGE"
    with pytest.raises(BusinessError) as caught:
        label_sheet_pdf([Label(title="过长", code="A" * 80, qr="x")])
    assert caught.value.error_code == "LABEL_CODE_TOO_LONG"
    assert "第 1 个标签" in caught.value.message


def specimen_labels(n: int) -> list[Label]:
    return [
        Label(
            title=f"血常规 · 张三{i}",
            code=f"SP2026{i:06d}",
            qr=f"SP2026{i:06d}" if i % 2 else "",
            note="城关镇卫生院 检验科",
        )
        for i in range(1, n + 1)
    ]


@needs_weasyprint
@needs_poppler
@pytest.mark.parametrize(("count", "pages"), [(1, 1), (24, 1), (30, 2), (48, 2), (49, 3)])
def test_label_sheet_page_count(count: int, pages: int) -> None:
    content = label_sheet_pdf(specimen_labels(count))
    assert content.startswith(b"%PDF-")
    assert page_count(content) == pages
    assert page_size_points(content) == (595, 842)


@needs_weasyprint
@needs_poppler
def test_label_sheet_prints_every_label_with_embedded_fonts() -> None:
    content = label_sheet_pdf(specimen_labels(30))
    first, second = squeeze(pdftotext(content, first=1, last=1)), squeeze(pdftotext(content, first=2, last=2))
    assert [f"SP2026{i:06d}" in first for i in range(1, 31)] == [True] * 24 + [False] * 6
    assert all(f"SP2026{i:06d}" in second for i in range(25, 31))
    assert "血常规·张三1" in first
    assert "城关镇卫生院检验科" in first
    assert all(f["emb"] for f in pdffonts(content))


@needs_weasyprint
@needs_poppler
def test_label_sheet_on_the_2x7_layout() -> None:
    assert page_count(label_sheet_pdf(specimen_labels(30), A4_2X7)) == 3
