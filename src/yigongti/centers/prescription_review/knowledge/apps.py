from django.apps import AppConfig


class RxKnowledgeConfig(AppConfig):
    name = "yigongti.centers.prescription_review.knowledge"
    label = "rx_knowledge"
    verbose_name = "合理用药知识库"

    def ready(self) -> None:
        from yigongti.centers.prescription_review.knowledge import permissions  # noqa: F401
