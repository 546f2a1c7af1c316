from django.apps import AppConfig


class RxCommentConfig(AppConfig):
    name = "yigongti.centers.prescription_review.comment"
    label = "rx_comment"
    verbose_name = "处方点评与监管"

    def ready(self) -> None:
        from yigongti.centers.prescription_review.comment import permissions  # noqa: F401
