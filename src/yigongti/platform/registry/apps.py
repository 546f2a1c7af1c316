from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "yigongti.platform.registry"
    label = "registry"
    verbose_name = "居民档案"

    def ready(self) -> None:
        from yigongti.platform.registry import permissions  # noqa: F401
