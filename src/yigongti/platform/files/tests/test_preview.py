"""Previews: image thumbnails with Pillow, PDF first pages with pdftoppm when present, 415 otherwise."""

from __future__ import annotations

import io
import shutil
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from yigongti.core.audit.models import AuditLog
from yigongti.core.testing.api import assert_error
from yigongti.platform.files import preview
from yigongti.platform.files.tests import samples
from yigongti.platform.files.tests.conftest import ALL_CODES, URL, upload

pytestmark = pytest.mark.django_db


def uploaded(world: Any, resident: Any, content: bytes, name: str, category: str = "imaging") -> tuple[Any, int]:
    client = world.client_for(ALL_CODES)
    response = upload(client, resident, content, name, category=category)
    assert response.status_code == 201, response.content
    return client, response.json()["id"]


def test_png_preview_is_a_thumbnail(api_world: Any, residents: Any) -> None:
    client, pk = uploaded(api_world, residents.home, samples.png(1024, 600), "胸片.png")
    response = client.get(f"{URL}/{pk}/preview")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    assert image.size == (512, 300)
    assert image.getpixel((10, 10))[:3] == (200, 30, 30)
    log = AuditLog.objects.filter(category="read", object_id=str(pk)).get()
    assert "预览附件" in log.content


def test_small_image_is_not_enlarged_and_jpeg_works(api_world: Any, residents: Any) -> None:
    client, pk = uploaded(api_world, residents.home, samples.pillow_image("JPEG", (300, 200)), "照片.jpg")
    response = client.get(f"{URL}/{pk}/preview", HTTP_ACCEPT="image/png")
    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.content)).size == (300, 200)


def test_list_tells_which_rows_can_be_previewed(
    api_world: Any, residents: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(preview, "pdftoppm_path", lambda: None)
    client, png_id = uploaded(api_world, residents.home, samples.png(), "a.png")
    _, pdf_id = uploaded(api_world, residents.home, samples.PDF, "a.pdf", category="lab_report")
    rows = client.get(URL, {"owner_type": "registry.resident", "owner_id": residents.home.pk}).json()["results"]
    assert {row["id"]: row["preview_available"] for row in rows} == {png_id: True, pdf_id: False}


def test_pdf_without_poppler_is_a_chinese_415(api_world: Any, residents: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    client, pk = uploaded(api_world, residents.home, samples.PDF, "报告.pdf", category="lab_report")
    reads_before = AuditLog.objects.filter(category="read").count()
    body = assert_error(client.get(f"{URL}/{pk}/preview"), 415, "PREVIEW_UNAVAILABLE")
    assert "poppler-utils" in body["message"] and "预览" in body["message"]
    assert AuditLog.objects.filter(category="read").count() == reads_before  # refused before reading


def test_other_types_cannot_be_previewed(api_world: Any, residents: Any) -> None:
    client, pk = uploaded(api_world, residents.home, samples.docx(), "病历.docx", category="medical_record")
    body = assert_error(client.get(f"{URL}/{pk}/preview"), 415, "PREVIEW_NOT_SUPPORTED")
    assert "不支持预览" in body["message"]


@pytest.fixture
def fake_pdftoppm(tmp_path: Path, settings: Any) -> Path:
    """A stand-in for poppler's pdftoppm: checks the arguments, writes a 400×200 PNG."""
    script = tmp_path / "pdftoppm"
    script.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        "from PIL import Image\n"
        "args = sys.argv[1:]\n"
        "assert args[:9] == ['-png', '-f', '1', '-l', '1', '-singlefile', '-scale-to', '512', args[8]], args\n"
        "assert open(args[-2], 'rb').read(5) == b'%PDF-'\n"
        "Image.new('RGB', (400, 200), (255, 255, 255)).save(args[-1] + '.png')\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    settings.PDFTOPPM_PATH = str(script)
    return script


def test_pdf_first_page_through_pdftoppm(api_world: Any, residents: Any, fake_pdftoppm: Path) -> None:
    client, pk = uploaded(api_world, residents.home, samples.PDF, "报告.pdf", category="lab_report")
    response = client.get(f"{URL}/{pk}/preview")
    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.content)).size == (400, 200)


def test_pdftoppm_failure_is_a_415(api_world: Any, residents: Any, settings: Any, tmp_path: Path) -> None:
    broken = tmp_path / "pdftoppm"
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)
    settings.PDFTOPPM_PATH = str(broken)
    client, pk = uploaded(api_world, residents.home, samples.PDF, "报告.pdf", category="lab_report")
    assert_error(client.get(f"{URL}/{pk}/preview"), 415, "PREVIEW_NOT_SUPPORTED")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_pdf_first_page_with_real_poppler(api_world: Any, residents: Any) -> None:
    client, pk = uploaded(api_world, residents.home, samples.PDF, "报告.pdf", category="lab_report")
    response = client.get(f"{URL}/{pk}/preview")
    assert response.status_code == 200
    assert max(Image.open(io.BytesIO(response.content)).size) == 512


def test_undecodable_image_is_a_415(api_world: Any, residents: Any) -> None:
    broken = samples.png(8, 8)[:40]  # PNG signature and header, no image data
    client, pk = uploaded(api_world, residents.home, broken, "坏图.png")
    assert_error(client.get(f"{URL}/{pk}/preview"), 415, "PREVIEW_NOT_SUPPORTED")
