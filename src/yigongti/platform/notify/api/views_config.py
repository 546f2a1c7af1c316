"""Message types and groups (configuration), subscriptions, the address book and contact groups."""

from __future__ import annotations

import django_filters
from django.db import models

from yigongti.core.api.viewsets import ReadOnlyResourceViewSet, ResourceViewSet
from yigongti.core.errors import BusinessError
from yigongti.platform.notify.api import serializers as s
from yigongti.platform.notify.api import serializers_more as sm
from yigongti.platform.notify.api.personal import PersonalViewSet
from yigongti.platform.notify.models import ContactGroup, MessageType, MessageTypeGroup, Subscription
from yigongti.platform.org.models import Staff

PROJECT = "消息与通知"


class MessageTypeGroupViewSet(ResourceViewSet):
    queryset = MessageTypeGroup.objects.all()
    serializer_class = s.MessageTypeGroupSerializer
    brief_serializer_class = s.MessageTypeBriefSerializer
    permission_base = "notify.message_type"
    project = PROJECT
    search_fields = ["code", "name", "mnemonic"]
    ordering_fields = ["sort", "code", "name"]


class MessageTypeViewSet(ResourceViewSet):
    queryset = MessageType.objects.select_related("group")
    serializer_class = s.MessageTypeSerializer
    brief_serializer_class = s.MessageTypeBriefSerializer
    permission_base = "notify.message_type"
    project = PROJECT
    import_enabled = False  # templates and JSON lists do not travel well through spreadsheets
    filterset_fields = ["group", "enabled", "persisted", "display_mode", "handling_mode", "urgent", "topic"]
    search_fields = ["code", "name", "mnemonic", "description"]
    ordering_fields = ["code", "name", "created_at"]

    def perform_destroy(self, instance: models.Model) -> None:
        if getattr(instance, "is_builtin", False):
            raise BusinessError("BUILTIN_MESSAGE_TYPE", "内置消息类型不能删除，可以停用。", status_code=409)
        super().perform_destroy(instance)


class SubscriptionViewSet(PersonalViewSet):
    """消息订阅: the requesting user's own."""

    queryset = Subscription.objects.select_related("message_type", "message_type__group")
    serializer_class = s.SubscriptionSerializer
    owner_field = "user"
    filterset_fields = ["message_type", "topic", "enabled"]
    ordering_fields = ["id", "created_at"]


class ContactFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label="姓名")

    class Meta:
        model = Staff
        fields = ["institution", "department", "title", "post", "name"]


class ContactViewSet(ReadOnlyResourceViewSet):
    """通讯录: active staff within the user's data scope."""

    queryset = Staff.objects.filter(is_active=True).select_related("institution", "department", "title", "post", "user")
    serializer_class = sm.ContactSerializer
    permission_base = "notify.contact"
    project = PROJECT
    filterset_class = ContactFilter
    search_fields = ["code", "name", "phone", "department__name", "institution__name"]
    ordering_fields = ["code", "name"]


class ContactGroupViewSet(PersonalViewSet):
    """通讯录分组: the requesting user's own; members limited to staff within their data scope."""

    queryset = ContactGroup.objects.prefetch_related("members")
    serializer_class = sm.ContactGroupSerializer
    owner_field = "owner"
    search_fields = ["name"]
    ordering_fields = ["sort", "name", "created_at"]
