"""PDF rendering (PLAT-13): page sizes, embedded CJK fonts, header/footer, escaping, no network."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from yigongti.core.documents import page_points, pdf, render_pdf, table_pdf
from yigongti.core.documents.paper import check_page_size
from yigongti.core.documents.pdf import (
    MAX_TABLE_ROWS,
    TEMPLATES_DIR,
    cell_text,
    html_to_pdf,
    is_allowed_url,
    local_url_fetcher,
    render_html,
)
from yigongti.core.documents.tests.pdftools import (
    needs_poppler,
    needs_weasyprint,
    page_count,
    page_size_points,
    pdffonts,
    pdfinfo,
    pdftotext,
    squeeze,
)
from yigongti.core.errors import BusinessError

COLUMNS = [("code", "工号"), ("name", "姓名"), ("active", "在职")]


def small_table(**kw: Any) -> bytes:
    rows = [{"code": "S0001", "name": "王医生", "active": True}, {"code": "S0002", "name": "李护士", "active": False}]
    return table_pdf("医护人员名单", COLUMNS, rows, institution_name="城关镇卫生院", **kw)


# -- pure helpers (no system libraries) ---------------------------------------------------------
def test_page_points_are_iso_sizes() -> None:
    assert page_points("A4") == (595.28, 841.89)
    assert page_points("a5") == (419.53, 595.28)
    assert page_points("B5") == (498.9, 708.66)
    assert page_points("A4", landscape=True) == (841.89, 595.28)


def test_unknown_page_size_is_refused_in_chinese() -> None:
    with pytest.raises(BusinessError) as caught:
        check_page_size("Letter")
    assert caught.value.error_code == "DOCUMENT_PAGE_SIZE_INVALID"
    assert "A4、A5、B5" in caught.value.message


def test_cell_text_prints_values_like_the_console() -> None:
    utc_evening = dt.datetime(2026, 1, 1, 16, 30, tzinfo=dt.UTC)
    assert cell_text(utc_evening) == "2026-01-02 00:30"  # Asia/Shanghai
    assert cell_text("2026-01-01T16:30:00Z") == "2026-01-02 00:30"  # serializer output
    assert cell_text("2026-01-01T16:30:00+08:00") == "2026-01-01 16:30"
    assert cell_text(dt.date(2026, 3, 1)) == "2026-03-01"
    assert (cell_text(True), cell_text(False), cell_text(None)) == ("是", "否", "")
    assert cell_text(["全科", "内科"]) == "全科、内科"
    assert cell_text({"id": 3, "name": "城关镇卫生院"}) == "城关镇卫生院"
    assert cell_text("2026-01-01") == "2026-01-01"


def test_template_values_are_escaped() -> None:
    html = render_html(
        "table.html",
        {"columns": ["姓名"], "rows": [["<img src=http://evil.example/x>"]], "subtitle": ""},
        title="<script>alert(1)</script>",
        institution_name="城关<b>镇</b>卫生院",
    )
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "城关&lt;b&gt;镇&lt;/b&gt;卫生院" in html
    assert "<img src=http://evil.example/x>" not in html


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("data:image/png;base64,iVBORw0KGgo=", True),
        ((TEMPLATES_DIR / "documents.css").as_uri(), True),
        ("http://127.0.0.1/x.png", False),
        ("https://fonts.googleapis.com/css?family=Noto", False),
        ("ftp://example.com/a.css", False),
        ("file:///etc/passwd", False),
        ((TEMPLATES_DIR / ".." / ".." / "errors.py").as_uri(), False),
        (TEMPLATES_DIR.as_uri() + "/../pdf.py", False),
        (TEMPLATES_DIR.as_uri() + "/..%2fpdf.py", False),
        ("file://otherhost" + str(TEMPLATES_DIR / "base.html"), False),
    ],
)
def test_only_data_and_template_files_may_be_fetched(url: str, allowed: bool) -> None:
    assert is_allowed_url(url) is allowed


def test_a_center_renders_its_own_template_on_the_shared_base(tmp_path: Any, monkeypatch: Any) -> None:
    folder = tmp_path / "templates" / "documents"
    folder.mkdir(parents=True)
    (folder / "slip.html").write_text(
        '{% extends "base.html" %}{% block content %}<p>转诊单：{{ patient }}</p>{% endblock %}', encoding="utf-8"
    )
    monkeypatch.setattr(pdf, "app_template_dirs", lambda: {"referral": folder})
    pdf.jinja_env.cache_clear()
    try:
        html = render_html("referral/slip.html", {"patient": "<张三>"}, title="双向转诊单")
    finally:
        pdf.jinja_env.cache_clear()
    assert "<p>转诊单：&lt;张三&gt;</p>" in html
    assert '<h1 class="doc-title">双向转诊单</h1>' in html


def test_missing_renderer_answers_503_not_500(monkeypatch: Any) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails like a machine without Pango
    with pytest.raises(BusinessError) as caught:
        html_to_pdf("<p>城关镇卫生院</p>")
    assert caught.value.status_code == 503
    assert caught.value.error_code == "DOCUMENT_RENDERER_UNAVAILABLE"


def test_table_pdf_refuses_more_rows_than_printable() -> None:
    rows = ({"code": str(i)} for i in range(MAX_TABLE_ROWS + 1))
    with pytest.raises(BusinessError) as caught:
        table_pdf("名单", COLUMNS, rows)
    assert caught.value.error_code == "DOCUMENT_TOO_LARGE"


# -- rendering ----------------------------------------------------------------------------------
@needs_weasyprint
@needs_poppler
@pytest.mark.parametrize(
    ("page_size", "landscape", "points"),
    [("A4", False, (595, 842)), ("A5", False, (420, 595)), ("B5", False, (499, 709)), ("A4", True, (842, 595))],
)
def test_page_size_in_points(page_size: str, landscape: bool, points: tuple[int, int]) -> None:
    content = small_table(page_size=page_size, landscape=landscape)
    assert content.startswith(b"%PDF-")
    assert content.rstrip().endswith(b"%%EOF")
    assert page_size_points(content) == points
    assert page_count(content) == 1


@needs_weasyprint
@needs_poppler
def test_cjk_fonts_are_embedded() -> None:
    fonts = pdffonts(small_table())
    names = {f["name"].split("+", 1)[-1] for f in fonts}
    assert "Noto-Sans-CJK-SC" in names  # body text
    assert "Noto-Serif-CJK-SC-Bold" in names  # institution and title
    assert all(f["emb"] and f["sub"] for f in fonts), fonts  # every font embedded as a subset


@needs_weasyprint
@needs_poppler
def test_header_footer_and_metadata() -> None:
    content = render_pdf(
        "table.html",
        {"columns": ["姓名"], "rows": [["王医生"]], "subtitle": "2026 年第一季度"},
        title="医护人员名单",
        institution_name="城关镇卫生院",
        generated_at=dt.datetime(2026, 1, 1, 0, 30, tzinfo=dt.UTC),
    )
    text = squeeze(pdftotext(content))
    assert "城关镇卫生院" in text
    assert "医护人员名单" in text
    assert "生成时间：2026-01-0108:30" in text  # 00:30 UTC printed as Asia/Shanghai
    assert "第1页/共1页" in text
    assert "2026年第一季度" in text
    assert pdfinfo(content)["Title"] == "医护人员名单"


@needs_weasyprint
@needs_poppler
def test_long_table_numbers_every_page_of_the_total() -> None:
    rows = [{"code": f"S{i:04d}", "name": f"医生{i}", "active": True} for i in range(150)]
    content = table_pdf("医护人员名单", COLUMNS, rows, institution_name="城关镇卫生院")
    pages = page_count(content)
    assert pages >= 3
    for page in range(1, pages + 1):
        text = squeeze(pdftotext(content, first=page, last=page))
        assert f"第{page}页/共{pages}页" in text
        assert "工号" in text  # the header row repeats on every page
    everything = squeeze(pdftotext(content))
    assert "S0000" in everything
    assert "S0149" in everything
    assert "共150条" in everything


@needs_weasyprint
@needs_poppler
def test_header_qr_block_is_optional() -> None:
    assert 'class="doc-qr"' not in render_html("table.html", {"columns": [], "rows": [], "subtitle": ""}, title="空")
    html = render_html("table.html", {"columns": [], "rows": [], "subtitle": ""}, title="空", qr_text="SP-1")
    assert 'class="doc-qr"' in html
    assert "data:image/svg+xml;base64," in html
    assert page_count(table_pdf("空表", COLUMNS, [], qr_text="SP-1")) == 1


@pytest.fixture
def counting_server() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


@needs_weasyprint
def test_remote_and_outside_resources_are_never_fetched(counting_server: tuple[str, list[str]]) -> None:
    base, hits = counting_server
    html = f"""<html><head>
      <link rel="stylesheet" href="{base}/link.css">
      <style>@import url("{base}/import.css"); @font-face {{ font-family: X; src: url("{base}/font.woff"); }}
             body {{ background: url("{base}/bg.png"); }}</style></head>
      <body><img src="{base}/img.png"><img src="file:///etc/passwd"><p>城关镇卫生院</p></body></html>"""
    fetcher = local_url_fetcher()
    content = html_to_pdf(html, fetcher=fetcher)
    assert content.startswith(b"%PDF-")
    assert hits == []  # the server saw nothing
    blocked = set(fetcher.blocked)
    assert {f"{base}/link.css", f"{base}/import.css", f"{base}/img.png", "file:///etc/passwd"} <= blocked
