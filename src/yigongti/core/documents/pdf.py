"""PDF documents (PLAT-13): Jinja2 HTML templates rendered by WeasyPrint.

What every PDF from here guarantees (see ``docs/services/exports.md``):

* Page size A4, A5 or B5 (ISO 216), portrait or landscape, exact to the point.
* Chinese text in Noto Sans CJK SC / Noto Serif CJK SC (Debian ``fonts-noto-cjk``), embedded as
  subsets, so a PDF prints the same on any machine.
* Nothing is fetched from the network: the URL fetcher only serves ``data:`` URIs and files inside
  this package's ``templates/`` directory; anything else is refused and logged.
* Every value put into a template is HTML-escaped (Jinja2 autoescape).
* Pages carry the institution and document title at the top and "第 N 页 / 共 M 页" at the bottom.

WeasyPrint needs Pango (``libpango-1.0-0``, ``libpangoft2-1.0-0``) and is imported only when a PDF
is rendered, so the rest of the platform starts without it. ``libharfbuzz-subset0`` makes font
subsetting ~40× faster (0.1 s instead of ~5 s per document with two CJK fonts).
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import logging
import re
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from django.utils import timezone

from yigongti.core.documents import error_codes
from yigongti.core.documents.labels import data_uri, qr_svg
from yigongti.core.documents.paper import check_page_size, page_css
from yigongti.core.errors import BusinessError

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
DISPLAY_TZ = ZoneInfo("Asia/Shanghai")

FONT_SANS = "Noto Sans CJK SC"
FONT_SERIF = "Noto Serif CJK SC"
PLATFORM_NAME = "县域医共体协同平台"
MAX_TABLE_ROWS = 1000  # ~30 A4 pages, ~8 s of layout; larger lists go to Excel

log = logging.getLogger(__name__)


# -- templates ---------------------------------------------------------------------------------
APP_TEMPLATES_SUBDIR = Path("templates") / "documents"


def app_template_dirs() -> dict[str, Path]:
    """``{app_label: <app>/templates/documents}`` for every installed app that has one: a center
    keeps its print templates there and renders them as ``"<app_label>/<file>.html"``."""
    from django.apps import apps

    found = {}
    for config in apps.get_app_configs():
        folder = Path(config.path) / APP_TEMPLATES_SUBDIR
        if folder.is_dir():
            found[config.label] = folder
    return found


@functools.cache
def jinja_env() -> jinja2.Environment:
    """The one Jinja2 environment of the document templates: autoescape on, unknown names fail.
    ``base.html`` and the shared templates come from this package; ``"<app_label>/…"`` names from
    that app's ``templates/documents/`` folder."""
    apps_loader = jinja2.PrefixLoader({label: jinja2.FileSystemLoader(d) for label, d in app_template_dirs().items()})
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(TEMPLATES_DIR), apps_loader]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = cell_text
    env.globals.update(FONT_SANS=FONT_SANS, FONT_SERIF=FONT_SERIF, PLATFORM_NAME=PLATFORM_NAME)
    return env


_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def display_time(value: dt.datetime) -> str:
    """A timestamp as a reader in the county reads it: Asia/Shanghai, to the minute."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value, DISPLAY_TZ)
    return value.astimezone(DISPLAY_TZ).strftime("%Y-%m-%d %H:%M")


def cell_text(value: Any) -> str:
    """One table cell as printed text (the PDF counterpart of the Excel export's cell values)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return display_time(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "、".join(cell_text(v) for v in value)
    if isinstance(value, dict):
        return str(value.get("name") or value.get("display") or value.get("label") or "")
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        # Serializer output: ISO 8601 strings. Print them in local time like every other timestamp.
        try:
            return display_time(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def render_html(
    template_name: str,
    context: Mapping[str, Any],
    *,
    title: str,
    page_size: str = "A4",
    institution_name: str = "",
    qr_text: str | None = None,
    qr_caption: str = "",
    generated_at: dt.datetime | None = None,
) -> str:
    """The HTML of a document. Templates extending ``base.html`` get the standard header."""
    base = {
        "title": title,
        "page_size": check_page_size(page_size),
        "institution_name": institution_name,
        "generated_at": display_time(generated_at or timezone.now()),
        "qr_image": data_uri(qr_svg(qr_text), "image/svg+xml") if qr_text else "",
        "qr_caption": qr_caption,
    }
    return jinja_env().get_template(template_name).render({**base, **context})


# -- network isolation -------------------------------------------------------------------------
def is_allowed_url(url: str) -> bool:
    """``data:`` URIs, and ``file:`` URLs that resolve (after ``..`` and symlinks) inside
    ``templates/``. Everything else — http(s), ftp, other files — is refused."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return True
    if scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(urllib.request.url2pathname(parts.path)).resolve()
    return path.is_relative_to(TEMPLATES_DIR)


@functools.cache
def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher

    class LocalOnlyURLFetcher(URLFetcher):  # type: ignore[misc]
        """WeasyPrint's fetcher with every remote protocol switched off (see ``is_allowed_url``)."""

        def __init__(self) -> None:
            super().__init__(timeout=2, allowed_protocols=("data", "file"), allow_redirects=False, fail_on_errors=False)
            self.blocked: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not is_allowed_url(url):
                self.blocked.append(url)
                log.warning("文档渲染已阻止外部资源：%s", url[:200])
                raise ValueError(f"已阻止外部资源：{url[:200]}")
            return super().fetch(url, headers)

    return LocalOnlyURLFetcher


def local_url_fetcher() -> Any:
    """A fresh fetcher (its ``blocked`` list records the refused URLs of one rendering)."""
    return _fetcher_class()()


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: libpango missing
        log.error("WeasyPrint 不可用：%s", exc)
        raise BusinessError(
            error_codes.RENDERER_UNAVAILABLE,
            "PDF 生成组件不可用（需要 WeasyPrint、Pango 与 Noto CJK 字体），请联系系统管理员。",
            status_code=503,
        ) from None
    return weasyprint


def html_to_pdf(html: str, *, page_size: str = "A4", landscape: bool = False, fetcher: Any = None) -> bytes:
    """Render finished HTML to PDF bytes with the local-only fetcher and the chosen page size."""
    size_rule = page_css(page_size, landscape=landscape)
    weasyprint = _weasyprint()
    fetcher = fetcher or local_url_fetcher()
    document = weasyprint.HTML(string=html, base_url=TEMPLATES_DIR.as_uri() + "/", url_fetcher=fetcher)
    stylesheet = weasyprint.CSS(string=size_rule, url_fetcher=fetcher)
    content: bytes = document.write_pdf(stylesheets=[stylesheet])
    return content


def render_pdf(
    template_name: str,
    context: Mapping[str, Any],
    *,
    page_size: str = "A4",
    landscape: bool = False,
    title: str,
    institution_name: str = "",
    qr_text: str | None = None,
    qr_caption: str = "",
    generated_at: dt.datetime | None = None,
) -> bytes:
    """Render ``templates/<template_name>`` with ``context`` to PDF bytes.

    ``title`` becomes the heading, the running header and the PDF's Title metadata;
    ``institution_name`` the first header line; ``qr_text`` (optional) a QR code in the header.
    """
    html = render_html(
        template_name,
        context,
        title=title,
        page_size=page_size,
        institution_name=institution_name,
        qr_text=qr_text,
        qr_caption=qr_caption,
        generated_at=generated_at,
    )
    return html_to_pdf(html, page_size=page_size, landscape=landscape)


def table_pdf(
    title: str,
    columns: Sequence[tuple[str, str]],
    rows: Iterable[Mapping[str, Any]],
    *,
    page_size: str = "A4",
    landscape: bool = False,
    institution_name: str = "",
    subtitle: str = "",
    qr_text: str | None = None,
) -> bytes:
    """A list print: ``columns`` are ``(field name, 中文表头)`` pairs exactly as for the Excel
    export (``core.api.export.export_columns``), ``rows`` dicts keyed by field name. The header row
    repeats on every page."""
    check_page_size(page_size)
    printed: list[list[str]] = []
    for row in rows:
        if len(printed) >= MAX_TABLE_ROWS:
            raise BusinessError(
                error_codes.DOCUMENT_TOO_LARGE,
                f"打印数据超过 {MAX_TABLE_ROWS} 行，请缩小查询范围或改用 Excel 导出。",
            )
        printed.append([cell_text(row.get(name)) for name, _ in columns])
    context = {"columns": [label for _, label in columns], "rows": printed, "subtitle": subtitle}
    return render_pdf(
        "table.html",
        context,
        page_size=page_size,
        landscape=landscape,
        title=title,
        institution_name=institution_name,
        qr_text=qr_text,
    )
