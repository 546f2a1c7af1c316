from django.apps import AppConfig


class RxEngineConfig(AppConfig):
    name = "yigongti.centers.prescription_review.engine"
    label = "rx_engine"
    verbose_name = "审方规则引擎"

    def ready(self) -> None:
        from yigongti.centers.prescription_review.engine import permissions  # noqa: F401
        from yigongti.centers.prescription_review.engine.services import seed_demo
        from yigongti.demo.contributions import register_demo

        register_demo("rx_rule_config", seed_demo, order=55)
