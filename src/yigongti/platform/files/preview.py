"""Previews: a PNG of at most 512×512 pixels.

Images are scaled with Pillow; a PDF's first page is rendered by ``pdftoppm`` (poppler-utils) when
the server has it (``PDFTOPPM_PATH`` or on ``PATH``). Anything else, or a missing tool, answers 415
with a Chinese message: the console then offers the download instead.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path
from typing import IO

from yigongti.core.errors import BusinessError
from yigongti.platform.files import conf
from yigongti.platform.files import error_codes as E
from yigongti.platform.files.detection import BY_KIND, PDF
from yigongti.platform.files.models import Attachment

MAX_EDGE = 512
PDF_TIMEOUT_SECONDS = 30
MAX_PIXELS = 40_000_000  # e.g. 8000 × 5000; larger images are not decoded for a preview


def _unsupported(message: str = "该类型文件不支持预览，请下载后查看。") -> BusinessError:
    return BusinessError(E.PREVIEW_NOT_SUPPORTED, message, status_code=415)


def _unavailable(message: str) -> BusinessError:
    return BusinessError(E.PREVIEW_UNAVAILABLE, message, status_code=415)


def pillow_available() -> bool:
    try:
        import PIL.Image  # noqa: F401
    except ImportError:
        return False
    return True


def pdftoppm_path() -> str | None:
    configured = conf.setting("PDFTOPPM_PATH")
    return str(configured) if configured else shutil.which("pdftoppm")


def can_preview(attachment: Attachment) -> bool:
    file_type = BY_KIND.get(attachment.kind)
    if file_type is not None and file_type.image:
        return pillow_available()
    return attachment.kind == PDF.kind and pdftoppm_path() is not None


def ensure_previewable(attachment: Attachment) -> None:
    """Refuse (415) before any bytes are read when no preview can be made."""
    file_type = BY_KIND.get(attachment.kind)
    if file_type is not None and file_type.image:
        if not pillow_available():
            raise _unavailable("服务器未安装图片处理组件（Pillow），暂时无法预览图片，请下载后查看。")
        return
    if attachment.kind == PDF.kind:
        if pdftoppm_path() is None:
            raise _unavailable("服务器未安装 PDF 预览组件（poppler-utils），暂时无法预览 PDF，请下载后查看。")
        return
    raise _unsupported()


def render_preview(attachment: Attachment, data: IO[bytes]) -> bytes:
    """The preview PNG of verified bytes ``data``."""
    ensure_previewable(attachment)
    if attachment.kind == PDF.kind:
        return _pdf_first_page(data)
    return _thumbnail(data)


def _thumbnail(data: IO[bytes]) -> bytes:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(data) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise _unsupported("图片尺寸过大，无法生成预览，请下载后查看。")
                image.draft("RGB", (MAX_EDGE, MAX_EDGE))  # JPEG: decode at reduced size
                frame = ImageOps.exif_transpose(image) or image
                if frame.mode not in {"RGB", "RGBA", "L", "LA"}:
                    frame = frame.convert("RGBA" if "transparency" in frame.info or "A" in frame.mode else "RGB")
                frame.thumbnail((MAX_EDGE, MAX_EDGE))
                out = io.BytesIO()
                frame.save(out, format="PNG", optimize=True)
                return out.getvalue()
    except BusinessError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError, ValueError):
        raise _unsupported("图片无法解码，不能生成预览，请下载后查看。") from None


def _pdf_first_page(data: IO[bytes]) -> bytes:
    tool = pdftoppm_path()
    if tool is None:
        raise _unavailable("服务器未安装 PDF 预览组件（poppler-utils），暂时无法预览 PDF，请下载后查看。")
    with tempfile.TemporaryDirectory(prefix="yg-preview-") as work:
        source = Path(work) / "input.pdf"
        with source.open("wb") as handle:
            shutil.copyfileobj(data, handle)
        target = Path(work) / "page"
        command = [
            tool,
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            "-scale-to",
            str(MAX_EDGE),
            str(source),
            str(target),
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=PDF_TIMEOUT_SECONDS)  # noqa: S603
            png = target.with_suffix(".png").read_bytes()
        except (subprocess.SubprocessError, OSError):
            raise _unsupported("PDF 无法渲染，不能生成预览，请下载后查看。") from None
    if not png.startswith(b"\x89PNG\r\n\x1a\n"):
        raise _unsupported("PDF 无法渲染，不能生成预览，请下载后查看。")
    return png
