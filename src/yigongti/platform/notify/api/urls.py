from django.urls import path
from rest_framework.routers import SimpleRouter

from yigongti.platform.notify.api import views_announcements, views_config, views_messages, views_sms

router = SimpleRouter(trailing_slash=False)
router.register("message-type-groups", views_config.MessageTypeGroupViewSet, basename="notify-type-group")
router.register("message-types", views_config.MessageTypeViewSet, basename="notify-type")
router.register("messages", views_messages.MessageViewSet, basename="notify-message")
router.register("inbox", views_messages.InboxViewSet, basename="notify-inbox")
router.register("outbox", views_messages.OutboxViewSet, basename="notify-outbox")
router.register("subscriptions", views_config.SubscriptionViewSet, basename="notify-subscription")
router.register("announcements", views_announcements.AnnouncementViewSet, basename="notify-announcement")
router.register("contacts", views_config.ContactViewSet, basename="notify-contact")
router.register("contact-groups", views_config.ContactGroupViewSet, basename="notify-contact-group")
router.register("sms-messages", views_sms.SmsMessageViewSet, basename="notify-sms")

urlpatterns = [
    path("unread-count", views_messages.UnreadCountView.as_view(), name="notify-unread-count"),
    *router.urls,
]
