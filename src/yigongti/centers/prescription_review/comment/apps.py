from django.apps import AppConfig


class RxCommentConfig(AppConfig):
    name = "yigongti.centers.prescription_review.comment"
    label = "rx_comment"
    verbose_name = "处方点评与监管"

    def ready(self) -> None:
        from yigongti.centers.prescription_review.comment import permissions  # noqa: F401
        from yigongti.centers.prescription_review.comment.demo import seed_comment_demo
        from yigongti.centers.prescription_review.comment.messages import declare
        from yigongti.demo.contributions import register_demo

        declare()
        register_demo("rx_comment", seed_comment_demo, order=60)
