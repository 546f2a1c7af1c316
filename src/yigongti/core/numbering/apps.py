from django.apps import AppConfig


class NumberingConfig(AppConfig):
    name = "yigongti.core.numbering"
    label = "numbering"
    verbose_name = "业务编号"
