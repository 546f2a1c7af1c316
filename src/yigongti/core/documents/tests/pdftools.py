"""Reading generated PDFs back with poppler-utils (pdfinfo, pdffonts, pdftotext), and the skip
markers for machines without the system packages. ``make system-deps`` installs all of them, so in
``make test`` nothing here is skipped."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest


def _weasyprint_problem() -> str | None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        return f"WeasyPrint 无法加载（需要 pip 包 weasyprint 与 Debian 包 libpango-1.0-0、libpangoft2-1.0-0）：{exc}"
    return None


_POPPLER = ("pdfinfo", "pdffonts", "pdftotext")
_missing_poppler = [tool for tool in _POPPLER if shutil.which(tool) is None]

needs_weasyprint = pytest.mark.skipif(_weasyprint_problem() is not None, reason=_weasyprint_problem() or "")
needs_poppler = pytest.mark.skipif(
    bool(_missing_poppler),
    reason=f"缺少 poppler-utils 的 {', '.join(_missing_poppler)}（apt-get install poppler-utils，make system-deps 会安装）",
)


def _run(tool: str, content: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "document.pdf"
        path.write_bytes(content)
        result = subprocess.run(
            [tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
            capture_output=True,
            check=True,
            timeout=60,
        )
    return result.stdout.decode("utf-8")


def pdfinfo(content: bytes) -> dict[str, str]:
    info = {}
    for line in _run("pdfinfo", content).splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def page_count(content: bytes) -> int:
    return int(pdfinfo(content)["Pages"])


def page_size_points(content: bytes) -> tuple[int, int]:
    """Rounded (width, height) of the first page, e.g. (595, 842) for A4."""
    size = pdfinfo(content)["Page size"]  # "595.276 x 841.89 pts (A4)"
    width, _, rest = size.partition(" x ")
    return round(float(width)), round(float(rest.split()[0]))


def pdffonts(content: bytes) -> list[dict[str, Any]]:
    """One dict per font: name, type, emb (bool), sub (bool)."""
    lines = _run("pdffonts", content).splitlines()
    fonts = []
    for line in lines[2:]:
        parts = line.split()
        # name, type words…, encoding, emb, sub, uni, object, id
        fonts.append({"name": parts[0], "emb": parts[-5] == "yes", "sub": parts[-4] == "yes"})
    return fonts


def pdftotext(content: bytes, *, first: int | None = None, last: int | None = None) -> str:
    args = ["-enc", "UTF-8"]
    if first is not None:
        args += ["-f", str(first)]
    if last is not None:
        args += ["-l", str(last)]
    return _run("pdftotext", content, *args)


def squeeze(text: str) -> str:
    """Text without whitespace: pdftotext spaces CJK text unpredictably."""
    return "".join(text.split())
