from django.db import models

from yigongti.core.scope import DataScope  # noqa: F401  (re-exported for the app)


class AdminKind(models.TextChoices):
    """三员分立 (等保三级): no account may hold two of these; the auditor reads logs only."""

    SYSTEM = "system", "系统管理员"
    SECURITY = "security", "安全保密管理员"
    AUDITOR = "auditor", "安全审计员"


class SessionEndReason(models.TextChoices):
    LOGOUT = "logout", "主动退出"
    IDLE = "idle", "空闲超时"
    FORCED = "forced", "强制下线"
    EXPIRED = "expired", "会话过期"
