from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NotifyConfig(AppConfig):
    name = "yigongti.platform.notify"
    label = "notify"
    verbose_name = "消息与通知"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from yigongti.core.workflow.hooks import on_transition
        from yigongti.platform.notify import permissions  # noqa: F401
        from yigongti.platform.notify.declarations import seed_after_migrate
        from yigongti.platform.notify.hooks import on_user_locked_out, on_workflow_transition

        post_migrate.connect(seed_after_migrate, sender=self, dispatch_uid="notify.seed_message_types")
        on_transition(on_workflow_transition)
        user_locked_out.connect(on_user_locked_out, dispatch_uid="notify.account_locked")
