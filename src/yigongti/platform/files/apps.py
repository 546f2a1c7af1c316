from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "yigongti.platform.files"
    label = "files"
    verbose_name = "附件"

    def ready(self) -> None:
        from yigongti.platform.files import permissions  # noqa: F401
        from yigongti.platform.files.attachables import register_attachable
        from yigongti.platform.org.models import Institution
        from yigongti.platform.registry.models import Resident

        # The shared kernel's records that accept attachments; centers register their own.
        register_attachable(Resident)
        register_attachable(Institution)
