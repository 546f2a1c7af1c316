"""Reads of attachments, always through the owning record's access check."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from yigongti.platform.files.access import OwnerRef
from yigongti.platform.files.models import Attachment


def attachment_queryset() -> QuerySet[Attachment]:
    return Attachment.objects.select_related("content_type", "institution", "uploaded_by")


def attachments_of(owner: OwnerRef) -> QuerySet[Attachment]:
    """The live attachments of a record the caller has already accessed (``access_owner``)."""
    content_type = ContentType.objects.get_for_model(owner.attachable.model, for_concrete_model=False)
    return attachment_queryset().filter(content_type=content_type, object_id=owner.object_id, is_deleted=False)
