from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "yigongti.core.outbox"
    label = "outbox"
    verbose_name = "后台任务与外发消息"
