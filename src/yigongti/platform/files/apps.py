from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "yigongti.platform.files"
    label = "files"
    verbose_name = "附件"
