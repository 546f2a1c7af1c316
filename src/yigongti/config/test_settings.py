"""Settings for the test suite: fast password hashing, immediate tasks."""

import sys
from pathlib import Path

from yigongti.config.settings import *  # noqa: F403
from yigongti.config.settings import HUEY, INSTALLED_APPS

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {**HUEY, "immediate": True}
AUDIT_CHAINS = 3

# A test-only app with a small model proving the workflow mechanism (tests/workflow_example).
# pytest puts the checkout root on sys.path; management commands and mypy run with these settings
# need it too (only in a source checkout, where tests/ exists).
_ROOT = Path(__file__).resolve().parents[3]
if (_ROOT / "tests" / "workflow_example").is_dir():
    if str(_ROOT) not in sys.path:
        sys.path.append(str(_ROOT))
    INSTALLED_APPS = [*INSTALLED_APPS, "tests.workflow_example"]
