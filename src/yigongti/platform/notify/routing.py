"""WebSocket routes of the notification service (mounted by ``config/asgi.py``)."""

from django.urls import path

from yigongti.platform.notify.consumers import NotifyConsumer

websocket_urlpatterns = [path("ws/notify/", NotifyConsumer.as_asgi())]
