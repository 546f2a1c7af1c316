"""Access to attachments follows access to the record they belong to (conventions §3).

``access_owner`` is the single check: the owner type must have opted in, the user must hold the
owner's view code, and the owner must be inside the user's data scope (a record of another
institution answers 404 exactly like a missing one). ``access_attachment`` finds an attachment by id
and then runs the same owner check, answering 404 for anything the user may not see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from rest_framework import exceptions

from yigongti.core.errors import BusinessError, not_found
from yigongti.core.scope import ScopedUser, apply_scope, model_scope
from yigongti.platform.files import error_codes as E
from yigongti.platform.files.attachables import Attachable, attachable_labels, get_attachable
from yigongti.platform.files.models import Attachment


@dataclass(frozen=True)
class OwnerRef:
    attachable: Attachable
    instance: models.Model

    @property
    def label(self) -> str:
        return self.attachable.label

    @property
    def object_id(self) -> str:
        return str(self.instance.pk)

    @property
    def institution_id(self) -> int | None:
        return self.attachable.institution_id_of(self.instance)

    def describe(self) -> str:
        return f"{self.instance._meta.verbose_name}“{self.instance}”"


def attachable_or_400(owner_type: Any) -> Attachable:
    attachable = get_attachable(str(owner_type or ""))
    if attachable is None:
        raise BusinessError(
            E.OWNER_TYPE_NOT_ATTACHABLE,
            "该类记录不支持附件。",
            fields={"owner_type": [f"可选值：{'、'.join(attachable_labels())}"]},
        )
    return attachable


def _find_owner(user: ScopedUser, attachable: Attachable, owner_id: Any, *, for_write: bool) -> models.Model:
    model = attachable.model
    try:
        pk = model._meta.pk.to_python(str(owner_id).strip()) if owner_id not in (None, "") else None  # type: ignore[union-attr]
    except (ValidationError, ValueError, TypeError):
        pk = None
    if pk is None:
        raise not_found()
    qs = apply_scope(model._default_manager.all(), model_scope(model), user.scope_context(), for_write=for_write)
    owner = qs.filter(pk=pk).first()
    if owner is None:
        raise not_found()
    return owner


def access_owner(user: ScopedUser, owner_type: Any, owner_id: Any, *, for_write: bool = False) -> OwnerRef:
    """The owning record if ``user`` may see it (``for_write``: change it); 403 without the
    owner's view code, 404 when the record is missing or outside the user's scope."""
    attachable = attachable_or_400(owner_type)
    if not user.has_code(attachable.view_code):
        raise exceptions.PermissionDenied()
    return OwnerRef(attachable, _find_owner(user, attachable, owner_id, for_write=for_write))


def access_attachment(user: ScopedUser, attachment_id: Any, *, for_write: bool = False) -> tuple[Attachment, OwnerRef]:
    """A live attachment and its owner if ``user`` may see the owner; otherwise 404 (never 403,
    so an id of another institution's attachment reveals nothing)."""
    try:
        pk = int(attachment_id)
    except (TypeError, ValueError):
        raise not_found() from None
    attachment = (
        Attachment.objects.select_related("content_type", "institution", "uploaded_by")
        .filter(pk=pk, is_deleted=False)
        .first()
    )
    if attachment is None:
        raise not_found()
    attachable = get_attachable(attachment.owner_type)
    if attachable is None or not user.has_code(attachable.view_code):
        raise not_found()
    owner = _find_owner(user, attachable, attachment.object_id, for_write=for_write)
    return attachment, OwnerRef(attachable, owner)
