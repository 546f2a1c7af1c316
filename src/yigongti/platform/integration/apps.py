from django.apps import AppConfig


class IntegrationConfig(AppConfig):
    name = "yigongti.platform.integration"
    label = "integration"
    verbose_name = "系统集成"

    def ready(self) -> None:
        from oauth2_provider.signals import app_authorized

        from yigongti.platform.integration import permissions  # noqa: F401
        from yigongti.platform.integration.hl7v2 import handlers  # noqa: F401  (registers the ADT handler)
        from yigongti.platform.integration.signals import token_issued

        app_authorized.connect(token_issued, dispatch_uid="integration.token_issued")
