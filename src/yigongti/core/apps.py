from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yigongti.core"
    label = "core"
    verbose_name = "核心"
