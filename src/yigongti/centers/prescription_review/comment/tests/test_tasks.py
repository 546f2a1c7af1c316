"""Comment projects and tasks (RX-11): editable only before start; start samples, pre-reviews with the
engine (findings stored) and allocates round robin."""

from __future__ import annotations

from typing import Any

import pytest

from yigongti.centers.prescription_review.comment.models import CommentSample, CommentTask
from yigongti.centers.prescription_review.comment.tests.helpers import at, item, make_task, upload, visit_payload
from yigongti.platform.testing import make_user

pytestmark = pytest.mark.django_db
TASKS = "/api/v1/rx/comment/tasks"
PROJECTS = "/api/v1/rx/comment/projects"
CODES = ["rx.comment.task.view", "rx.comment.task.add", "rx.comment.task.change", "rx.comment.task.delete",
         "rx.comment.task.start", "rx.comment.project.view", "rx.comment.project.change", "rx.comment.project.delete"]  # fmt: skip


def _six_drugs(visit_id: str) -> dict[str, Any]:
    return visit_payload(visit_id, prescriptions=[{
        "prescription_id": f"{visit_id}-1", "prescribed_at": at("2026-03-12"),
        "items": [item(f"D{n}", f"药品{n}") for n in range(1, 7)],
    }])  # fmt: skip


def test_task_can_be_edited_before_start_and_is_locked_after(api_world: Any) -> None:
    client = api_world.client_for(CODES)
    pharmacists = [make_user(api_world.home, []), make_user(api_world.home, [])]
    for n in range(5):
        upload(api_world.home, visit_payload(f"T{n}", day="2026-03-05"))
    task = make_task(api_world.home, pharmacists, seed=42)

    renamed = client.patch(f"{TASKS}/{task.pk}", {"name": "三月门诊点评"}, format="json")
    assert renamed.status_code == 200
    started = client.post(f"{TASKS}/{task.pk}/start")
    assert started.status_code == 200, started.json()
    assert started.json() | {"id": 0} == {"id": 0, "status": "started", "seed": 42, "population_count": 5,
                                           "sample_count": 5}  # fmt: skip

    patched = client.patch(f"{TASKS}/{task.pk}", {"name": "改名"}, format="json")
    deleted = client.delete(f"{TASKS}/{task.pk}")
    project_patched = client.patch(f"{PROJECTS}/{task.project_id}", {"name": "改名"}, format="json")
    restarted = client.post(f"{TASKS}/{task.pk}/start")

    assert (patched.status_code, patched.json()["code"]) == (409, "RX_COMMENT_TASK_LOCKED")
    assert deleted.status_code == 409
    assert (project_patched.status_code, project_patched.json()["code"]) == (409, "RX_COMMENT_PROJECT_LOCKED")
    assert restarted.status_code == 409
    task.refresh_from_db()
    assert task.name == "三月门诊点评"
    assert CommentSample.objects.filter(task=task).count() == 5
    # round robin over the group's pharmacists in id order
    assert list(CommentSample.objects.filter(task=task).order_by("seq").values_list("assignee_id", flat=True)) == [
        pharmacists[0].pk, pharmacists[1].pk, pharmacists[0].pk, pharmacists[1].pk, pharmacists[0].pk
    ]  # fmt: skip


def test_draft_task_can_be_deleted(api_world: Any) -> None:
    client = api_world.client_for(CODES)
    task = make_task(api_world.home, [make_user(api_world.home, [])])
    assert client.delete(f"{TASKS}/{task.pk}").status_code == 204
    assert not CommentTask.objects.filter(pk=task.pk).exists()


def test_start_stores_the_engine_pre_review_findings(api_world: Any) -> None:
    client = api_world.client_for(CODES)
    upload(api_world.home, _six_drugs("SIX"))
    task = make_task(api_world.home, [make_user(api_world.home, [])], seed=1)

    assert client.post(f"{TASKS}/{task.pk}/start").status_code == 200

    sample = CommentSample.objects.get(task=task)
    assert sample.precheck_status == "done"
    checks = [f["check_type"] for f in sample.precheck_findings]
    assert "norm_item_count" in checks  # 处方审核规范 2018 规范性: 每张处方不得超过5种药品 (点评 1-11)
    assert sample.finding_count == len(sample.precheck_findings)
    assert sample.precheck_max_severity != ""
    assert sample.precheck_kb_version != ""


def test_start_without_matching_prescriptions_is_refused_and_nothing_changes(api_world: Any) -> None:
    client = api_world.client_for(CODES)
    task = make_task(api_world.home, [make_user(api_world.home, [])])

    response = client.post(f"{TASKS}/{task.pk}/start")

    assert (response.status_code, response.json()["code"]) == (400, "RX_COMMENT_TASK_EMPTY")
    task.refresh_from_db()
    assert (task.status, task.seed, task.sample_count) == ("draft", None, 0)


def test_create_task_from_a_template_copies_its_conditions(api_world: Any) -> None:
    client = api_world.client_for([*CODES, "rx.comment.template.add"])
    template = client.post(
        "/api/v1/rx/comment/condition-templates",
        {"institution": api_world.home.pk, "name": "抗菌药物专项", "conditions": {"drug_classes": ["antibiotic"]}},
        format="json",
    )
    assert template.status_code == 201, template.json()
    project = make_task(api_world.home, [make_user(api_world.home, [])]).project

    created = client.post(
        TASKS,
        {"project": project.pk, "name": "抗菌药物点评", "template": template.json()["id"], "period_start": "2026-03-01",
         "period_end": "2026-03-31"},
        format="json",
    )  # fmt: skip

    assert created.status_code == 201, created.json()
    assert created.json()["conditions"] == {"drug_classes": ["antibiotic"]}
    assert created.json()["institution"] == api_world.home.pk
    assert created.json()["status"] == "draft"


def test_task_in_another_institution_is_not_found(api_world: Any) -> None:
    client = api_world.client_for(CODES)
    task = make_task(api_world.other, [make_user(api_world.other, [])])
    assert client.patch(f"{TASKS}/{task.pk}", {"name": "x"}, format="json").status_code == 404
    assert client.post(f"{TASKS}/{task.pk}/start").status_code == 404
