"""Reads of the notification service, always for a given user."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from yigongti.core.scope import DataScope
from yigongti.platform.accounts.models import User
from yigongti.platform.notify.choices import InboxFilter
from yigongti.platform.notify.models import Announcement, AnnouncementRead, Message, MessageRecipient, Subscription

UNREAD = Q(read_at__isnull=True, handled_at__isnull=True)
UNHANDLED = Q(message__must_handle=True, handled_at__isnull=True)


# -- inbox / outbox ---------------------------------------------------------------------------
def inbox_queryset(*, user: Any, status: str = InboxFilter.ALL) -> QuerySet[MessageRecipient]:
    qs = MessageRecipient.objects.filter(user_id=user.pk, deleted=False).select_related(
        "message", "message__type", "message__type__group", "handled_by"
    )
    if status == InboxFilter.UNREAD:
        qs = qs.filter(UNREAD)
    elif status == InboxFilter.UNHANDLED:
        qs = qs.filter(UNHANDLED)
    return qs


def unread_count(user_id: int) -> int:
    return MessageRecipient.objects.filter(UNREAD, user_id=user_id, deleted=False).count()


def unread_counts(user_ids: Iterable[int]) -> dict[int, int]:
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    rows = (
        MessageRecipient.objects.filter(UNREAD, user_id__in=ids, deleted=False)
        .order_by()
        .values("user_id")
        .annotate(n=Count("id"))
    )
    return {row["user_id"]: row["n"] for row in rows}


def outbox_queryset(*, user: Any) -> QuerySet[Message]:
    return with_counts(Message.objects.filter(sender_id=user.pk).select_related("type", "type__group"))


def with_counts(qs: QuerySet[Message]) -> QuerySet[Message]:
    # GROUP BY queries ignore Meta.ordering: order explicitly for stable pages
    return qs.annotate(
        recipient_count=Count("recipients", distinct=True),
        read_count=Count("recipients", filter=Q(recipients__read_at__isnull=False), distinct=True),
        handled_count=Count("recipients", filter=Q(recipients__handled_at__isnull=False), distinct=True),
    ).order_by("-created_at", "-id")


# -- recipients -------------------------------------------------------------------------------
def users_covering(role_codes: Iterable[str], institution_id: int | None) -> QuerySet[User]:
    """Active users holding one of ``role_codes`` whose work covers ``institution_id``: they belong
    to it, or one of their roles has the 全部 scope, the 本医共体 scope of its community, or a
    custom institution set that includes it. Without an institution: every holder of the roles."""
    from yigongti.platform.org.models import Institution

    codes = sorted(set(role_codes))
    users = User.objects.filter(is_active=True, roles__code__in=codes)
    if institution_id is not None:
        community = Institution.objects.filter(pk=institution_id).values("community_id")
        covers = (
            Q(institution_id=institution_id)
            | Q(is_superuser=True)
            | Q(roles__data_scope=DataScope.ALL)
            | Q(roles__data_scope=DataScope.COMMUNITY, institution__community_id__in=community)
            | Q(roles__data_scope=DataScope.CUSTOM, roles__custom_institutions__id=institution_id)
        )
        users = User.objects.filter(pk__in=users.values("pk")).filter(covers)
    return User.objects.filter(pk__in=users.values("pk")).order_by("pk")


def subscriptions_for(user_ids: Iterable[int], *, type_id: int, topic: str) -> dict[int, Subscription]:
    """Each user's subscription that applies: the one for the type, else the one for its topic."""
    q = Q(message_type_id=type_id)
    if topic:
        q |= Q(topic=topic)
    found: dict[int, Subscription] = {}
    for sub in Subscription.objects.filter(q, user_id__in=sorted(set(user_ids))):
        current = found.get(sub.user_id)
        if current is None or (sub.message_type_id is not None and current.message_type_id is None):
            found[sub.user_id] = sub
    return found


# -- announcements ----------------------------------------------------------------------------
def _through(field: str) -> Any:
    return Announcement._meta.get_field(field).remote_field.through  # type: ignore[union-attr]


def announcements_visible(*, user: Any, now: Any = None) -> QuerySet[Announcement]:
    """Announcements published, not expired, addressed to ``user`` and within the publisher's reach."""
    now = now or timezone.now()
    role_ids = list(user.roles.values_list("pk", flat=True))
    users_t, roles_t, inst_t, reach_t = (
        _through(f) for f in ("audience_users", "audience_roles", "audience_institutions", "reach_institutions")
    )
    audience = Q(audience_all=True) | Q(pk__in=users_t.objects.filter(user_id=user.pk).values("announcement_id"))
    if role_ids:
        audience |= Q(pk__in=roles_t.objects.filter(role_id__in=role_ids).values("announcement_id"))
    reach = Q(reach_all=True)
    if user.institution_id:
        audience |= Q(pk__in=inst_t.objects.filter(institution_id=user.institution_id).values("announcement_id"))
        reach |= Q(pk__in=reach_t.objects.filter(institution_id=user.institution_id).values("announcement_id"))
    read = AnnouncementRead.objects.filter(announcement=OuterRef("pk"), user_id=user.pk)
    return (
        Announcement.objects.filter(publish_at__lte=now)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .filter(audience)
        .filter(reach)
        .select_related("published_by", "institution")
        .annotate(is_read=Exists(read))
    )


def announcement_audience(announcement: Announcement) -> QuerySet[User]:
    """The active users an announcement reaches (the inverse of ``announcements_visible``)."""
    users = User.objects.filter(is_active=True)
    if not announcement.reach_all:
        users = users.filter(institution_id__in=announcement.reach_institutions.values("pk"))
    if not announcement.audience_all:
        users = users.filter(
            Q(pk__in=announcement.audience_users.values("pk"))
            | Q(pk__in=User.objects.filter(roles__in=announcement.audience_roles.values("pk")).values("pk"))
            | Q(institution_id__in=announcement.audience_institutions.values("pk"))
        )
    return users.order_by("pk")
