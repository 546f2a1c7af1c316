"""公告: publish to an audience within the publisher's data scope, notify it, record read receipts."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from yigongti.core.audit.choices import Category
from yigongti.core.audit.services import audit_model_change, snapshot
from yigongti.core.errors import BusinessError
from yigongti.core.jobs import enqueue_on_commit
from yigongti.core.scope import apply_scope, model_scope
from yigongti.platform.notify import error_codes as E
from yigongti.platform.notify.models import Announcement, AnnouncementRead, MessageRecipient
from yigongti.platform.notify.realtime import push_after_commit
from yigongti.platform.notify.sanitize import plain_text, sanitize_html
from yigongti.platform.notify.selectors import UNREAD, announcement_audience
from yigongti.platform.notify.services.delivery import notify

PROJECT = "消息与通知"
AUDIENCE_FIELDS = ("audience_users", "audience_roles", "audience_institutions")
ANNOUNCEMENT_TYPE = "system.announcement"


def announcement_reach(user: Any) -> tuple[bool, set[int]]:
    """(全部, institution ids) a publisher reaches: the institutions of their data scope."""
    from yigongti.platform.org.models import Department, Institution

    ctx = user.scope_context()
    if ctx.all:
        return True, set()
    ids = set(ctx.institution_ids)
    if ctx.community_ids:
        ids |= set(Institution.objects.filter(community_id__in=ctx.community_ids).values_list("pk", flat=True))
    if ctx.department_ids:
        ids |= set(Department.objects.filter(pk__in=ctx.department_ids).values_list("institution_id", flat=True))
    return False, ids


def _check_attachments(ids: list[int], user: Any) -> None:
    if not ids:
        return
    from yigongti.platform.files.models import Attachment

    visible = apply_scope(Attachment.objects.filter(is_deleted=False), model_scope(Attachment), user.scope_context())
    missing = sorted(set(ids) - set(visible.filter(pk__in=ids).values_list("pk", flat=True)))
    if missing:
        text = f"附件不存在或无权使用：{'、'.join(map(str, missing))}"
        raise BusinessError("VALIDATION_ERROR", text, fields={"attachment_ids": [text]})


def _check_audience(data: dict[str, Any], m2m: dict[str, list[Any]]) -> None:
    if not data.get("audience_all") and not any(m2m.values()):
        raise BusinessError(
            "VALIDATION_ERROR",
            "请选择收件人、收件角色或收件机构，或选择发送给全体用户。",
            fields={"audience_users": ["请至少选择一种收件范围。"]},
        )


def _schedule_fanout(announcement: Announcement) -> None:
    from yigongti.platform.notify.tasks import announcement_notify_task

    if announcement.notified_at is not None:
        return
    if announcement.publish_at > timezone.now():
        enqueue_on_commit(announcement_notify_task, announcement.pk, eta=announcement.publish_at)
    else:
        enqueue_on_commit(announcement_notify_task, announcement.pk)


@transaction.atomic
def announcement_create(*, data: dict[str, Any], actor: Any) -> Announcement:
    values = dict(data)
    m2m = {name: list(values.pop(name, []) or []) for name in AUDIENCE_FIELDS}
    _check_audience(values, m2m)
    reach_all, reach_ids = announcement_reach(actor)
    if not reach_all and not reach_ids:
        raise BusinessError(E.ANNOUNCEMENT_REACH, "您的数据权限不包含任何机构，不能发布公告。", status_code=403)
    _check_attachments(values.get("attachment_ids") or [], actor)
    announcement = Announcement(
        **values,
        reach_all=reach_all,
        institution_id=actor.institution_id,
        published_by=actor,
        created_by=actor,
        updated_by=actor,
    )
    announcement.content = sanitize_html(announcement.content)
    announcement.full_clean()
    announcement.save()
    for name, items in m2m.items():
        getattr(announcement, name).set(items)
    announcement.reach_institutions.set(sorted(reach_ids))
    audit_model_change(
        category=Category.CREATE, instance=announcement, before=None, after=snapshot(announcement), project=PROJECT
    )
    _schedule_fanout(announcement)
    return announcement


@transaction.atomic
def announcement_update(*, announcement: Announcement, data: dict[str, Any], actor: Any) -> Announcement:
    """Change an announcement (its reach stays the one fixed when it was published)."""
    locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
    before = snapshot(locked)
    values = dict(data)
    m2m = {name: values.pop(name) for name in AUDIENCE_FIELDS if name in values}
    for name, value in values.items():
        setattr(locked, name, value)
    current = {name: m2m.get(name, list(getattr(locked, name).all())) for name in AUDIENCE_FIELDS}
    _check_audience({"audience_all": locked.audience_all}, current)
    if "attachment_ids" in values:
        _check_attachments(locked.attachment_ids or [], actor)
    locked.content = sanitize_html(locked.content)
    locked.updated_by = actor
    locked.full_clean()
    locked.save()
    for name, items in m2m.items():
        getattr(locked, name).set(items)
    audit_model_change(
        category=Category.UPDATE, instance=locked, before=before, after=snapshot(locked), project=PROJECT
    )
    _schedule_fanout(locked)
    return locked


def announcement_notify(announcement_id: int) -> int:
    """Send the 公告通知 message to the audience once the announcement is due (idempotent)."""
    now = timezone.now()
    with transaction.atomic():
        announcement = (
            Announcement.objects.select_for_update().filter(pk=announcement_id, notified_at__isnull=True).first()
        )
        if announcement is None or announcement.publish_at > now:
            return 0
        count = 0
        if announcement.expires_at is None or announcement.expires_at > now:
            users = list(announcement_audience(announcement).values_list("pk", flat=True))
            publisher = announcement.published_by
            notify(
                ANNOUNCEMENT_TYPE,
                recipients=users,
                context={
                    "title": announcement.title,
                    "publisher": (publisher.name or publisher.username) if publisher is not None else "系统",
                    "summary": plain_text(announcement.content, 100),
                },
                related=announcement,
                sender=publisher,
                institution=announcement.institution_id,
            )
            count = len(users)
        announcement.notified_at = now
        announcement.save(update_fields=["notified_at"])
        return count


def announcements_due() -> list[int]:
    now = timezone.now()
    return list(
        Announcement.objects.filter(notified_at__isnull=True, publish_at__lte=now).values_list("pk", flat=True)[:100]
    )


@transaction.atomic
def announcement_mark_read(*, announcement: Announcement, user: Any) -> AnnouncementRead:
    """Record that ``user`` read it (once) and mark its notification in the inbox read."""
    receipt, _ = AnnouncementRead.objects.get_or_create(announcement=announcement, user=user)
    ct = ContentType.objects.get_for_model(Announcement)
    changed = MessageRecipient.objects.filter(
        UNREAD,
        user_id=user.pk,
        deleted=False,
        message__content_type=ct,
        message__object_id=str(announcement.pk),
    ).update(read_at=timezone.now())
    if changed:
        push_after_commit(unread_for=[user.pk])
    return receipt
