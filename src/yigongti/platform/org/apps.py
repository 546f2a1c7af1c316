from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "yigongti.platform.org"
    label = "org"
    verbose_name = "组织机构"

    def ready(self) -> None:
        from yigongti.platform.org import permissions  # noqa: F401
