from django.apps import AppConfig


class CodesConfig(AppConfig):
    name = "yigongti.platform.codes"
    label = "codes"
    verbose_name = "字典与参数"
