from django.apps import AppConfig


class NumberingConfig(AppConfig):
    name = "yigongti.core.numbering"
    label = "numbering"
    verbose_name = "业务编号"

    def ready(self) -> None:
        from yigongti.core.numbering import permissions  # noqa: F401
