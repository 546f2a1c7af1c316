from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "yigongti.core.outbox"
    label = "outbox"
    verbose_name = "后台任务与外发消息"

    def ready(self) -> None:
        from yigongti.core.outbox import (
            permissions,  # noqa: F401
            signals,
        )

        signals.connect()
