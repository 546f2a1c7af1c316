"""Production settings: refuse to start with default secrets or DEBUG (SEC-05)."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from yigongti.config.settings import *  # noqa: F403
from yigongti.config.settings import DEBUG, SECRETS_GENERATED, YIGONGTI_SM4_KEY

if DEBUG:
    raise ImproperlyConfigured("生产环境不得开启 DEBUG (DEBUG must be off in production).")
if SECRETS_GENERATED:
    raise ImproperlyConfigured(
        "生产环境必须通过环境变量提供 SECRET_KEY、YIGONGTI_SM4_KEY、YIGONGTI_BLIND_INDEX_KEY，"
        "不得使用自动生成的开发密钥。"
    )
if len(YIGONGTI_SM4_KEY) != 32:
    raise ImproperlyConfigured("YIGONGTI_SM4_KEY 必须是 32 位十六进制字符 (128 位 SM4 密钥)。")

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
