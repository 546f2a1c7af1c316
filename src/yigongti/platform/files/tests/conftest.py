"""Fixtures of the attachment tests: a private storage root per test, a resident per institution,
clients with the attachment codes, and an upload helper."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yigongti.platform.registry.testing import make_resident

URL = "/api/v1/files/attachments"
ALL_CODES = ["files.attachment.view", "files.attachment.add", "files.attachment.delete", "registry.resident.view"]


@pytest.fixture(autouse=True)
def storage_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "store"
    settings.FILE_STORAGE = "local"
    settings.FILE_STORAGE_ROOT = str(root)
    return root


@pytest.fixture
def residents(api_world: Any) -> Any:
    class Residents:
        home = make_resident(api_world.home)
        other = make_resident(api_world.other)
        far = make_resident(api_world.far)

    return Residents


def upload(
    client: Any,
    owner: Any,
    content: bytes,
    name: str = "报告.pdf",
    category: str = "lab_report",
    owner_type: str = "registry.resident",
    **extra: Any,
) -> Any:
    data = {
        "owner_type": owner_type,
        "owner_id": str(owner.pk),
        "category": category,
        "file": SimpleUploadedFile(name, content),
        **extra,
    }
    return client.post(URL, data, format="multipart")


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
