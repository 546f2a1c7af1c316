from django.db import models


class LogType(models.TextChoices):
    """The three logs of guide §3.7.1.7 (PLAT-06)."""

    BUSINESS = "business", "业务日志"
    DATA = "data", "数据日志"
    USER = "user", "用户日志"


class Category(models.TextChoices):
    """审计类型 / class of the event."""

    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOGOUT = "logout", "退出"
    LOCKED = "locked", "账号锁定"
    PASSWORD = "password", "密码变更"
    OTP = "otp", "双因素认证"
    FORCED_LOGOUT = "forced_logout", "强制下线"
    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    RESTORE = "restore", "恢复"
    READ = "read", "查看"
    LIST = "list", "查询"
    REVEAL = "reveal", "查看敏感信息"
    EXPORT = "export", "导出"
    IMPORT = "import", "导入"
    GRANT = "grant", "授权"
    SYSTEM = "system", "系统"
