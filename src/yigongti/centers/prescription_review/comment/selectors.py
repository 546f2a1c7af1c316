"""Scoped reads of 处方点评与监管."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from yigongti.centers.prescription_review.comment.choices import AppealStatus, SampleStatus, TaskStatus
from yigongti.centers.prescription_review.comment.models import Appeal, CommentSample
from yigongti.core.scope import apply_scope, model_scope


def sample_list(*, user: Any) -> QuerySet[CommentSample]:
    return apply_scope(CommentSample.objects.all(), model_scope(CommentSample), user.scope_context())


def my_pending_samples(*, user: Any) -> QuerySet[CommentSample]:
    """Samples allocated to ``user`` that wait for a judgment in a running task (待点评处方)."""
    return sample_list(user=user).filter(assignee=user, status=SampleStatus.PENDING, task__status=TaskStatus.STARTED)


def appeal_list(*, user: Any) -> QuerySet[Appeal]:
    return apply_scope(Appeal.objects.all(), model_scope(Appeal), user.scope_context())


def open_appeals(*, user: Any) -> QuerySet[Appeal]:
    """Appeals waiting for a pharmacist within the user's scope (待处理申诉), excluding the user's own."""
    return appeal_list(user=user).filter(status=AppealStatus.SUBMITTED).exclude(doctor=user)
