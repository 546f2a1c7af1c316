from django.apps import AppConfig


class PrescriptionReviewConfig(AppConfig):
    name = "yigongti.centers.prescription_review"
    label = "prescription_review"
    verbose_name = "县域审方中心"

    def ready(self) -> None:
        from yigongti.centers.prescription_review import permissions  # noqa: F401
