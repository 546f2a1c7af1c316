"""药师点评 (RX-12) with the 15/9/4 categories, results to the doctor, appeals (RX-10), to-dos."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from yigongti.centers.prescription_review.comment import standards
from yigongti.centers.prescription_review.comment.models import Appeal, CommentSample, ReasonTemplate, SampleReason
from yigongti.centers.prescription_review.comment.services.tasks import task_start
from yigongti.centers.prescription_review.comment.tests.helpers import make_task, upload, visit_payload
from yigongti.core.todos import registered_todos
from yigongti.platform.notify.models import Message
from yigongti.platform.testing import make_user

pytestmark = pytest.mark.django_db
SAMPLES = "/api/v1/rx/comment/samples"
APPEALS = "/api/v1/rx/comment/appeals"
PHARMACIST = ["rx.comment.sample.view", "rx.comment.sample.judge", "rx.comment.appeal.view", "rx.comment.appeal.reply"]
DOCTOR = ["rx.comment.sample.view", "rx.comment.appeal.view", "rx.comment.appeal.submit", "rx.comment.reply_template.add",
          "rx.comment.reply_template.view"]  # fmt: skip


def _reason(code: str) -> int:
    return ReasonTemplate.objects.get(is_builtin=True, code=code).pk


def test_builtin_reasons_are_the_15_9_4_items_with_their_articles() -> None:
    rows = list(
        ReasonTemplate.objects.filter(is_builtin=True).order_by("order").values_list("code", "category", "text")
    )
    assert rows == [(c, str(cat), t) for c, cat, t in standards.REASONS]
    counts = {cat: sum(1 for _, c, _ in rows if c == cat) for cat in ("irregular", "inappropriate", "excessive")}
    assert counts == {"irregular": 15, "inappropriate": 9, "excessive": 4}
    assert ReasonTemplate.objects.get(code="1-11").source == "《医院处方点评管理规范（试行）》第十七条 1-11"
    assert ReasonTemplate.objects.get(code="3-4").source == "《医院处方点评管理规范（试行）》第十九条 3-4"


def _started(api_world: Any, pharmacist: Any, doctor_code: str = "") -> CommentSample:
    upload(api_world.home, visit_payload("J1", doctor_code=doctor_code))
    task = make_task(api_world.home, [pharmacist], seed=5)
    task_start(task=task, actor=pharmacist)
    return CommentSample.objects.get(task=task)


def test_unreasonable_judgment_stores_categories_and_notifies_the_doctor(api_world: Any) -> None:
    client = api_world.client_for(PHARMACIST)
    pharmacist = api_world.last_user
    doctor = make_user(api_world.home, DOCTOR)
    sample = _started(api_world, pharmacist, doctor_code=doctor.staff.code)

    response = client.post(f"{SAMPLES}/{sample.pk}/judge", {
        "result": "unreasonable",
        "reasons": [{"template": _reason("1-11")}, {"template": _reason("2-7")}, {"template": _reason("2-8")},
                    {"category": "excessive", "text": "无正当理由开具辅助用药"}],
        "remark": "请注意",
    }, format="json")  # fmt: skip

    assert response.status_code == 200, response.json()
    sample.refresh_from_db()
    assert (sample.status, sample.result, sample.judged_by_id) == ("judged", "unreasonable", pharmacist.pk)
    assert (sample.irregular_count, sample.inappropriate_count, sample.excessive_count) == (1, 2, 1)
    assert list(SampleReason.objects.filter(sample=sample).values_list("code", "category")) == [
        ("1-11", "irregular"), ("2-7", "inappropriate"), ("2-8", "inappropriate"), ("", "excessive")
    ]  # fmt: skip
    message = Message.objects.get(type__code="rx_comment.result")
    assert message.title == "您开具的处方 J1-1 点评结果：不合理"
    assert list(message.recipients.values_list("user_id", flat=True)) == [doctor.pk]


def test_reasonable_with_reasons_and_unreasonable_without_are_refused(api_world: Any) -> None:
    client = api_world.client_for(PHARMACIST)
    sample = _started(api_world, api_world.last_user)

    with_reasons = client.post(
        f"{SAMPLES}/{sample.pk}/judge",
        {"result": "reasonable", "reasons": [{"template": _reason("1-1")}]},
        format="json",
    )
    without = client.post(f"{SAMPLES}/{sample.pk}/judge", {"result": "unreasonable", "reasons": []}, format="json")
    unknown = client.post(
        f"{SAMPLES}/{sample.pk}/judge", {"result": "unreasonable", "reasons": [{"template": 999999}]}, format="json"
    )

    assert [r.status_code for r in (with_reasons, without, unknown)] == [400, 400, 400]
    assert without.json()["code"] == "RX_COMMENT_JUDGE_REASONS"
    sample.refresh_from_db()
    assert (sample.status, sample.result) == ("pending", "")
    assert not Message.objects.filter(type__code="rx_comment.result").exists()


def test_only_the_assigned_pharmacist_judges(api_world: Any) -> None:
    sample = _started(api_world, make_user(api_world.home, PHARMACIST))
    other = api_world.client_for(PHARMACIST)

    response = other.post(f"{SAMPLES}/{sample.pk}/judge", {"result": "reasonable"}, format="json")

    assert (response.status_code, response.json()["code"]) == (403, "RX_COMMENT_NOT_ASSIGNEE")


def test_appeal_flow_upheld_turns_the_result_reasonable(api_world: Any) -> None:
    pharmacist_client = api_world.client_for(PHARMACIST)
    pharmacist = api_world.last_user
    doctor_client = api_world.client_for(DOCTOR)
    doctor = api_world.last_user
    sample = _started(api_world, pharmacist, doctor_code=doctor.staff.code)
    pharmacist_client.post(
        f"{SAMPLES}/{sample.pk}/judge",
        {"result": "unreasonable", "reasons": [{"template": _reason("2-1")}]},
        format="json",
    )
    template = doctor_client.post("/api/v1/rx/comment/reply-templates", {"text": "诊断已补录"}, format="json").json()

    appealed = doctor_client.post(
        f"{SAMPLES}/{sample.pk}/appeal", {"template": template["id"], "text": "见病历"}, format="json"
    )
    again = doctor_client.post(f"{SAMPLES}/{sample.pk}/appeal", {"text": "再次申诉"}, format="json")

    assert appealed.status_code == 201, appealed.json()
    assert appealed.json()["text"] == "诊断已补录；见病历"
    assert (again.status_code, again.json()["code"]) == (409, "RX_COMMENT_APPEAL_OPEN")
    assert Message.objects.filter(type__code="rx_comment.appeal", recipients__user=pharmacist).count() == 1
    todos = {t.code: t for t in registered_todos()}
    request = RequestFactory().get("/")
    request.user = pharmacist
    assert todos["rx_comment.open_appeals"].count(request) == 1

    replied = pharmacist_client.post(
        f"{APPEALS}/{appealed.json()['id']}/reply", {"upheld": True, "reply": "同意，改判合理"}, format="json"
    )

    assert replied.status_code == 200, replied.json()
    assert replied.json()["status"] == "upheld"
    sample.refresh_from_db()
    assert (sample.result, sample.inappropriate_count) == ("reasonable", 0)
    assert not SampleReason.objects.filter(sample=sample).exists()
    assert Message.objects.get(type__code="rx_comment.appeal_replied").title == "处方 J1-1 的申诉已处理：申诉成立"
    assert todos["rx_comment.open_appeals"].count(request) == 0


def test_appeal_rejected_keeps_the_judgment_and_only_the_prescriber_may_appeal(api_world: Any) -> None:
    pharmacist_client = api_world.client_for(PHARMACIST)
    pharmacist = api_world.last_user
    doctor_client = api_world.client_for(DOCTOR)
    doctor = api_world.last_user
    stranger = api_world.client_for(DOCTOR)
    sample = _started(api_world, pharmacist, doctor_code=doctor.staff.code)

    early = doctor_client.post(f"{SAMPLES}/{sample.pk}/appeal", {"text": "尚未点评"}, format="json")
    pharmacist_client.post(
        f"{SAMPLES}/{sample.pk}/judge",
        {"result": "unreasonable", "reasons": [{"template": _reason("1-12")}]},
        format="json",
    )
    by_stranger = stranger.post(f"{SAMPLES}/{sample.pk}/appeal", {"text": "不是我开的"}, format="json")
    appealed = doctor_client.post(f"{SAMPLES}/{sample.pk}/appeal", {"text": "慢性病"}, format="json")
    replied = pharmacist_client.post(
        f"{APPEALS}/{appealed.json()['id']}/reply", {"upheld": False, "reply": "未注明延长理由"}, format="json"
    )
    twice = pharmacist_client.post(
        f"{APPEALS}/{appealed.json()['id']}/reply", {"upheld": True, "reply": "改判"}, format="json"
    )

    assert (early.status_code, early.json()["code"]) == (409, "RX_COMMENT_APPEAL_NOT_ALLOWED")
    assert by_stranger.status_code == 403
    assert replied.json()["status"] == "rejected"
    assert twice.status_code == 409
    sample.refresh_from_db()
    assert (sample.result, sample.irregular_count) == ("unreasonable", 1)
    assert Appeal.objects.count() == 1


def test_pending_samples_todo_counts_my_allocated_samples(api_world: Any) -> None:
    pharmacist = make_user(api_world.home, PHARMACIST)
    sample = _started(api_world, pharmacist)
    todo = {t.code: t for t in registered_todos()}["rx_comment.pending_samples"]
    request = RequestFactory().get("/")
    request.user = pharmacist
    assert todo.count(request) == 1
    sample.status = "judged"
    sample.save(update_fields=["status"])
    assert todo.count(request) == 0
