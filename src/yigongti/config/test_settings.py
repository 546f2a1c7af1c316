"""Settings for the test suite: fast password hashing, immediate tasks."""

from yigongti.config.settings import *  # noqa: F403
from yigongti.config.settings import HUEY

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {**HUEY, "immediate": True}
AUDIT_CHAINS = 3
