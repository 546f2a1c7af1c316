from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "yigongti.platform.accounts"
    label = "accounts"
    verbose_name = "用户与权限"

    def ready(self) -> None:
        from yigongti.platform.accounts import permissions  # noqa: F401
