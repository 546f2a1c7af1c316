from django.apps import AppConfig


class RxCommentConfig(AppConfig):
    name = "yigongti.centers.prescription_review.comment"
    label = "rx_comment"
    verbose_name = "处方点评与监管"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from yigongti.centers.prescription_review.comment import permissions  # noqa: F401
        from yigongti.centers.prescription_review.comment.demo import seed_comment_demo
        from yigongti.centers.prescription_review.comment.messages import declare
        from yigongti.centers.prescription_review.comment.seeding import seed_after_migrate
        from yigongti.demo.contributions import register_demo

        declare()
        register_demo("rx_comment", seed_comment_demo, order=60)
        post_migrate.connect(seed_after_migrate, sender=self, dispatch_uid="rx_comment.seed_reasons")
