"""ASGI entry point: Django for HTTP, Channels for WebSockets (``/ws/notify/``).

WebSockets authenticate with the console's session cookie (``AuthMiddlewareStack``) and must come
from an allowed origin (``AllowedHostsOriginValidator``: the Origin's host must be in
``ALLOWED_HOSTS``), which stops other sites from opening sockets with a user's cookie.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yigongti.config.settings")
django_application = get_asgi_application()  # sets up Django before anything imports models

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from yigongti.platform.notify.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
