from django.apps import AppConfig


class WorkflowExampleConfig(AppConfig):
    name = "tests.workflow_example"
    label = "workflow_example"
    verbose_name = "流程示例"

    def ready(self) -> None:
        from tests.workflow_example import permissions  # noqa: F401
