"""Secret material: taken from the environment, or generated once into ``var/`` (never committed).

The generated file is only for development and the embedded demo; production settings refuse it.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

SECRET_NAMES = ("SECRET_KEY", "YIGONGTI_SM4_KEY", "YIGONGTI_BLIND_INDEX_KEY")


def _generate() -> dict[str, str]:
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        # SM4 uses a 128-bit key; the blind index uses a 256-bit HMAC-SM3 key.
        "YIGONGTI_SM4_KEY": secrets.token_hex(16),
        "YIGONGTI_BLIND_INDEX_KEY": secrets.token_hex(32),
    }


def load_secrets(var_dir: Path) -> tuple[dict[str, str], bool]:
    """Return (secrets, generated) where ``generated`` tells whether any came from ``var/``."""
    from_env = {name: os.environ[name] for name in SECRET_NAMES if os.environ.get(name)}
    if len(from_env) == len(SECRET_NAMES):
        return from_env, False
    path = var_dir / "secrets.json"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".secrets.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(_generate(), fh)
        try:
            os.link(tmp, path)  # atomic: the first process to link wins, the others read its file
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    stored = json.loads(path.read_text(encoding="utf-8"))
    stored.update(from_env)
    return stored, True
