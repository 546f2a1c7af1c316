"""Paper sizes the platform prints on: ISO 216 A4, A5 and B5 (CSS uses the same named sizes)."""

from __future__ import annotations

from yigongti.core.documents import error_codes
from yigongti.core.errors import BusinessError

# width × height in millimetres, portrait
PAGE_SIZES: dict[str, tuple[int, int]] = {"A4": (210, 297), "A5": (148, 210), "B5": (176, 250)}
POINTS_PER_MM = 72 / 25.4


def check_page_size(page_size: str) -> str:
    size = str(page_size or "").upper()
    if size not in PAGE_SIZES:
        choices = "、".join(PAGE_SIZES)
        raise BusinessError(
            error_codes.PAGE_SIZE_INVALID,
            f"不支持的纸张大小“{page_size}”，可选：{choices}。",
            fields={"page_size": [f"可选：{choices}"]},
        )
    return size


def page_points(page_size: str, *, landscape: bool = False) -> tuple[float, float]:
    """(width, height) in PDF points, e.g. A4 portrait → (595.28, 841.89)."""
    width, height = PAGE_SIZES[check_page_size(page_size)]
    if landscape:
        width, height = height, width
    return round(width * POINTS_PER_MM, 2), round(height * POINTS_PER_MM, 2)


def page_css(page_size: str, *, landscape: bool = False) -> str:
    """The @page size rule. Built only from the allow-listed size names, never from user text."""
    return f"@page {{ size: {check_page_size(page_size)} {'landscape' if landscape else 'portrait'}; }}"
