from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _refresh_builtin_roles(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """After every ``migrate`` the built-in roles pick up codes newly registered by other apps."""
    from django.db import connections

    from yigongti.platform.accounts.builtin_roles import ensure_builtin_roles
    from yigongti.platform.accounts.models import Role

    if using == "default" and Role._meta.db_table in connections[using].introspection.table_names():
        ensure_builtin_roles()


class AccountsConfig(AppConfig):
    name = "yigongti.platform.accounts"
    label = "accounts"
    verbose_name = "用户与权限"

    def ready(self) -> None:
        from yigongti.platform.accounts import permissions  # noqa: F401

        post_migrate.connect(_refresh_builtin_roles, sender=self, dispatch_uid="accounts.builtin_roles")
