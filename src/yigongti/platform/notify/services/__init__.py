"""Writes of the notification service. ``notify`` is what the rest of the platform calls."""

from yigongti.platform.notify.services.delivery import notify
from yigongti.platform.notify.templating import TemplateError

__all__ = ["TemplateError", "notify"]
