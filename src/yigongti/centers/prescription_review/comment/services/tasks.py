"""Comment projects and tasks: edit lock, start (sampling + pre-review + allocation), finish."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from rest_framework import serializers

from yigongti.centers.prescription_review.comment import error_codes
from yigongti.centers.prescription_review.comment.choices import SampleMode, SampleStatus, TaskStatus
from yigongti.centers.prescription_review.comment.models import CommentProject, CommentSample, CommentTask
from yigongti.centers.prescription_review.comment.precheck import PRECHECK_FIELDS, precheck_samples
from yigongti.centers.prescription_review.comment.services.sampling import sample_task
from yigongti.core.audit.choices import Category
from yigongti.core.audit.services import audit_model_change, snapshot
from yigongti.core.crud import resource_delete, resource_update
from yigongti.core.errors import BusinessError, ConflictError

PROJECT = "处方点评"


def _locked(task: CommentTask) -> ConflictError:
    return ConflictError(
        error_codes.TASK_LOCKED, f"点评任务“{task.name}”已{task.get_status_display()}，只有未开始的任务可以修改或删除。"
    )


@transaction.atomic
def task_update(*, serializer: serializers.BaseSerializer[Any], user: Any, visible: models.QuerySet[Any]) -> Any:
    task = CommentTask.objects.select_for_update().get(pk=serializer.instance.pk)  # type: ignore[union-attr]
    if task.status != TaskStatus.DRAFT:
        raise _locked(task)
    return resource_update(serializer=serializer, user=user, visible=visible, project=PROJECT)


@transaction.atomic
def task_delete(*, task: CommentTask, user: Any) -> None:
    locked = CommentTask.objects.select_for_update().get(pk=task.pk)
    if locked.status != TaskStatus.DRAFT:
        raise _locked(locked)
    resource_delete(instance=locked, user=user, project=PROJECT)


def _project_started(project: CommentProject) -> bool:
    return project.tasks.exclude(status=TaskStatus.DRAFT).exists()


@transaction.atomic
def project_update(*, serializer: serializers.BaseSerializer[Any], user: Any, visible: models.QuerySet[Any]) -> Any:
    project = CommentProject.objects.select_for_update().get(pk=serializer.instance.pk)  # type: ignore[union-attr]
    list(CommentTask.objects.select_for_update().filter(project=project).values_list("id", flat=True))  # vs task_start
    if _project_started(project):
        raise ConflictError(error_codes.PROJECT_LOCKED, f"点评项目“{project.name}”已有任务开始，不能再修改或删除。")
    return resource_update(serializer=serializer, user=user, visible=visible, project=PROJECT)


@transaction.atomic
def project_delete(*, project: CommentProject, user: Any) -> None:
    locked = CommentProject.objects.select_for_update().get(pk=project.pk)
    if _project_started(locked):
        raise ConflictError(error_codes.PROJECT_LOCKED, f"点评项目“{locked.name}”已有任务开始，不能再修改或删除。")
    for task in locked.tasks.all():
        resource_delete(instance=task, user=user, project=PROJECT)
    resource_delete(instance=locked, user=user, project=PROJECT)


@transaction.atomic
def task_start(*, task: CommentTask, actor: Any) -> CommentTask:
    """Draw the sample (seed recorded), pre-review it with the engine, allocate it round robin to the
    group's pharmacists, and lock the task."""
    task = CommentTask.objects.select_for_update(of=("self",)).select_related("institution", "group").get(pk=task.pk)
    if task.status != TaskStatus.DRAFT:
        raise ConflictError(
            error_codes.TASK_LOCKED, f"点评任务“{task.name}”已{task.get_status_display()}，不能重复开始。"
        )
    if task.sample_mode == SampleMode.COUNT and not task.sample_size:
        raise BusinessError(
            error_codes.SAMPLE_CONFIG, "按张数抽样时请填写抽样张数。", fields={"sample_size": ["必填。"]}
        )
    if task.sample_mode == SampleMode.RATE and not task.sample_rate:
        raise BusinessError(
            error_codes.SAMPLE_CONFIG, "按比例抽样时请填写抽样比例。", fields={"sample_rate": ["必填。"]}
        )
    members = list(task.group.members.filter(is_active=True).order_by("id")) if task.group else []
    if not members:
        raise BusinessError(
            error_codes.GROUP_EMPTY, "请为任务选择至少有一名药师的药师任务组。", fields={"group": ["必填。"]}
        )
    before = snapshot(task)
    seed = task.seed if task.seed is not None else secrets.randbits(48)
    population_size, ids = sample_task(task, seed)
    if not ids:
        raise BusinessError(error_codes.TASK_EMPTY, "没有符合点评条件的处方，请调整条件或时间范围。")
    samples = [
        CommentSample(task=task, prescription_id=pk, seq=n, assignee=members[(n - 1) % len(members)])
        for n, pk in enumerate(ids, start=1)
    ]
    CommentSample.objects.bulk_create(samples)
    stored = list(
        CommentSample.objects.filter(task=task)
        .select_related("prescription__visit")
        .prefetch_related(
            "prescription__items",
            "prescription__visit__diagnoses",
            "prescription__visit__labs__results",
            "prescription__visit__exams",
        )
        .order_by("seq")
    )
    precheck_samples(stored)
    CommentSample.objects.bulk_update(stored, PRECHECK_FIELDS, batch_size=500)
    task.seed = seed
    task.population_count = population_size
    task.sample_count = len(ids)
    task.status = TaskStatus.STARTED
    task.started_at = timezone.now()
    task.updated_by = actor
    task.save(
        update_fields=["seed", "population_count", "sample_count", "status", "started_at", "updated_by", "updated_at"]
    )
    audit_model_change(
        category=Category.UPDATE,
        instance=task,
        before=before,
        after=snapshot(task),
        project=PROJECT,
        content=f"开始点评任务“{task.name}”：符合条件 {population_size} 张，抽样 {len(ids)} 张，随机种子 {seed}",
    )
    return task


@transaction.atomic
def task_finish(*, task: CommentTask, actor: Any) -> CommentTask:
    task = CommentTask.objects.select_for_update().get(pk=task.pk)
    if task.status != TaskStatus.STARTED:
        raise ConflictError(error_codes.TASK_NOT_STARTED, "只有点评中的任务可以完成。")
    pending = task.samples.filter(status=SampleStatus.PENDING).count()
    if pending:
        raise ConflictError(error_codes.TASK_UNFINISHED_SAMPLES, f"还有 {pending} 张处方未点评，不能完成任务。")
    before = snapshot(task)
    task.status = TaskStatus.FINISHED
    task.finished_at = timezone.now()
    task.updated_by = actor
    task.save(update_fields=["status", "finished_at", "updated_by", "updated_at"])
    audit_model_change(
        category=Category.UPDATE,
        instance=task,
        before=before,
        after=snapshot(task),
        project=PROJECT,
        content=f"完成点评任务“{task.name}”",
    )
    return task
