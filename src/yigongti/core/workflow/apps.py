from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "yigongti.core.workflow"
    label = "workflow"
    verbose_name = "流程引擎"

    def ready(self) -> None:
        from yigongti.core.workflow import checks, permissions  # noqa: F401
