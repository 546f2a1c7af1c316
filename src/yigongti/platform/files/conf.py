"""Settings of the attachment service.

Each value is read from Django settings first and, for the storage settings, from the environment
variable of the same name second, so a deployment can switch to S3 without a settings change.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings

from yigongti.platform.files.choices import AttachmentCategory

MB = 1024 * 1024
DEFAULT_MAX_SIZE = 20 * MB
DEFAULT_MAX_SIZE_BY_CATEGORY = {
    AttachmentCategory.IMAGING.value: 100 * MB,
    AttachmentCategory.ECG_WAVEFORM.value: 100 * MB,
}


def setting(name: str, default: Any = None) -> Any:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name)
    return default if value in (None, "") else value


def max_size(category: str) -> int:
    """The size limit in bytes of one file of ``category``."""
    by_category = {**DEFAULT_MAX_SIZE_BY_CATEGORY, **(getattr(settings, "FILE_MAX_SIZE_BY_CATEGORY", None) or {})}
    if category in by_category:
        return int(by_category[category])
    return int(getattr(settings, "FILE_MAX_SIZE", None) or DEFAULT_MAX_SIZE)


def storage_name() -> str:
    return str(setting("FILE_STORAGE", "local")).strip().lower()


def local_root() -> Path:
    root = setting("FILE_STORAGE_ROOT") or Path(settings.MEDIA_ROOT) / "attachments"
    return Path(root).resolve()


def human_size(size: int) -> str:
    if size >= MB and size % MB == 0:
        return f"{size // MB} MB"
    if size >= MB:
        return f"{size / MB:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} 字节"
