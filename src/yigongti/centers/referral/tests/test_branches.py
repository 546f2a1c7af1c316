"""Every branch of the flow (issue 5 acceptance): rejection at each review, refusal, cancellation,
no-show by timer, 免审, 转回 and the down-referral with staged community feedback — and the slot
taken at submission is released on each way out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from yigongti.centers.referral.config.models import OnlineBooking, ReferralSettings
from yigongti.centers.referral.models import Referral
from yigongti.centers.referral.tests.conftest import (
    URL,
    client,
    create_draft,
    future,
    make_bed,
    make_slot,
    post,
)
from yigongti.core.workflow.models import ApprovalSetting, TimelineEntry, WorkflowTimer
from yigongti.core.workflow.timers import fire_due_timers
from yigongti.platform.notify.models import Message, SmsMessage


def submitted_with_slot(county: Any, capacity: int = 3) -> tuple[Referral, Any]:
    slot = make_slot(county, capacity=capacity)
    referral = create_draft(county)
    assert post(county.town_doctor, referral, "submit", {"data": {"slot": slot.pk}}).status_code == 200
    slot.refresh_from_db()
    assert slot.booked == 1
    return referral, slot


def to_reviewed(county: Any, referral: Referral) -> None:
    assert post(county.town_officer, referral, "applicant-approve").status_code == 200
    assert post(county.hosp_officer, referral, "receiver-approve").status_code == 200


def state_and_slot(referral: Referral, slot: Any) -> tuple[str, Any, int]:
    referral.refresh_from_db()
    slot.refresh_from_db()
    return referral.status, referral.slot_id, slot.booked


def test_rejection_at_the_applicant_review_needs_a_reason_and_releases_the_slot(
    county: Any, django_capture_on_commit_callbacks: Any
) -> None:
    referral, slot = submitted_with_slot(county)
    blank = post(county.town_officer, referral, "applicant-reject", {"comment": " "})
    assert (blank.status_code, blank.json()["code"]) == (400, "COMMENT_REQUIRED")
    assert state_and_slot(referral, slot) == ("submitted", slot.pk, 1)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(county.town_officer, referral, "applicant-reject", {"comment": "资料不全"})
    assert response.status_code == 200
    assert state_and_slot(referral, slot) == ("rejected", None, 0)
    message = Message.objects.get(type__code="referral.rejected")
    assert message.body == f"转诊单号 {referral.number}，驳回意见：资料不全"
    assert list(message.recipients.values_list("user_id", flat=True)) == [county.town_doctor.pk]
    assert SmsMessage.objects.get().text == "【医共体】孙大明您好，您的转诊申请未通过审核，请联系城关镇卫生院的医生。"


def test_rejection_at_the_receiver_review_releases_the_slot(county: Any) -> None:
    referral, slot = submitted_with_slot(county)
    assert post(county.town_officer, referral, "applicant-approve").status_code == 200
    # the township's officer cannot decide the hospital's review
    assert (
        post(county.town_officer, referral, "receiver-reject", {"comment": "x"}).json()["code"] == "WORKFLOW_NOT_ACTOR"
    )
    assert post(county.hosp_officer, referral, "receiver-reject", {"comment": "床位已满"}).status_code == 200
    assert state_and_slot(referral, slot) == ("rejected", None, 0)


def test_refusal_with_reason_releases_the_slot(county: Any) -> None:
    referral, slot = submitted_with_slot(county)
    to_reviewed(county, referral)
    missing = post(county.hosp_doctor, referral, "refuse", {"data": {}})
    assert missing.status_code == 400 and list(missing.json()["fields"]["data"]) == ["reason"]
    assert post(county.hosp_doctor, referral, "refuse", {"data": {"reason": "专科医生外出进修"}}).status_code == 200
    assert state_and_slot(referral, slot) == ("refused", None, 0)
    referral.refresh_from_db()
    assert referral.refuse_reason == "专科医生外出进修"


def test_cancellation_by_the_applicant_before_reception_releases_the_slot(county: Any) -> None:
    referral, slot = submitted_with_slot(county)
    to_reviewed(county, referral)
    arranged = post(county.hosp_doctor, referral, "arrange", {"data": {"department": county.hosp_department.pk}})
    assert arranged.status_code == 200, arranged.content
    # the receiving side may not cancel; the applicant may, with a reason
    assert post(county.hosp_doctor, referral, "cancel", {"comment": "x"}).json()["code"] == "WORKFLOW_NOT_ACTOR"
    assert post(county.town_doctor, referral, "cancel", {"comment": "患者决定暂不转诊"}).status_code == 200
    assert state_and_slot(referral, slot) == ("cancelled", None, 0)
    referral.refresh_from_db()
    assert referral.cancelled_at is not None
    assert WorkflowTimer.objects.get(workflow="referral").cancelled_at is not None


def test_no_cancellation_after_reception(county: Any) -> None:
    referral, _ = submitted_with_slot(county)
    to_reviewed(county, referral)
    post(county.hosp_doctor, referral, "arrange", {"data": {"department": county.hosp_department.pk}})
    assert post(county.hosp_doctor, referral, "receive").status_code == 200
    response = post(county.town_doctor, referral, "cancel", {"comment": "x"})
    assert (response.status_code, response.json()["code"]) == (409, "INVALID_STATE")


def test_no_show_fires_after_the_planned_time_plus_grace_and_releases_the_slot(
    county: Any, django_capture_on_commit_callbacks: Any
) -> None:
    referral, slot = submitted_with_slot(county)
    to_reviewed(county, referral)
    planned = future(days=1, hour=9)
    post(
        county.hosp_doctor, referral, "arrange",
        {"data": {"department": county.hosp_department.pk, "planned_at": planned.isoformat()}},
    )  # fmt: skip
    timer = WorkflowTimer.objects.get(workflow="referral", fired_at=None, cancelled_at=None)
    assert timer.due_at == planned + dt.timedelta(hours=24)  # referral_config default grace
    assert fire_due_timers().fired == 0
    WorkflowTimer.objects.filter(pk=timer.pk).update(due_at=timezone.now() - dt.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert fire_due_timers().fired == 1
    assert state_and_slot(referral, slot) == ("no_show", None, 0)
    last = TimelineEntry.objects.filter(object_id=str(referral.pk), workflow="referral").order_by("-id").first()
    assert last is not None
    assert (last.transition, last.actor_id, last.comment) == (
        "expire_no_show", None, "超过计划就诊时间及宽限期仍未接诊，自动标记爽约",
    )  # fmt: skip
    message = Message.objects.get(type__code="referral.no_show")
    assert sorted(message.recipients.values_list("user_id", flat=True)) == sorted(
        [county.town_doctor.pk, county.hosp_doctor.pk]
    )


def test_reviews_switched_off_pass_straight_to_arrangement(county: Any) -> None:
    # 免审 on both sides (REF-12): the settings app writes these rows
    ApprovalSetting.objects.create(workflow="referral", step="applicant_review", institution=county.town, enabled=False)
    ApprovalSetting.objects.create(
        workflow="referral", step="receiver_review", institution=county.hospital, enabled=False
    )
    referral = create_draft(county)
    response = post(county.town_doctor, referral, "submit")
    assert response.json()["status"] == "receiver_reviewed"
    rows = TimelineEntry.objects.filter(object_id=str(referral.pk), workflow="referral").order_by("at", "id")
    assert [(r.transition, r.actor_name, r.comment) for r in rows][1:] == [
        ("submit", "张医生", ""),
        ("applicant_approve", "系统", "免审，自动通过"),
        ("receiver_approve", "系统", "免审，自动通过"),
    ]


def test_inpatient_arrangement_needs_a_bed_of_the_hospital(county: Any) -> None:
    referral = create_draft(county, kind="inpatient")
    Referral.objects.filter(pk=referral.pk).update(status="receiver_reviewed")
    body = {"department": county.hosp_department.pk, "planned_at": future().isoformat()}
    no_bed = post(county.hosp_doctor, referral, "arrange", {"data": body})
    assert no_bed.json()["fields"]["data"] == {"bed": ["住院转诊请安排床位。"]}
    bed = make_bed(county)
    assert post(county.hosp_doctor, referral, "arrange", {"data": body | {"bed": bed.pk}}).status_code == 200
    referral.refresh_from_db()
    assert referral.arranged_bed_id == bed.pk


def arrived_up_referral(county: Any) -> Referral:
    referral = create_draft(county)
    post(county.town_doctor, referral, "submit")
    to_reviewed(county, referral)
    post(county.hosp_doctor, referral, "arrange", {"data": {"department": county.hosp_department.pk,
                                                            "planned_at": future().isoformat()}})  # fmt: skip
    assert post(county.hosp_doctor, referral, "receive").status_code == 200
    return referral


def test_return_creates_a_linked_down_referral_to_the_origin(county: Any) -> None:
    up = arrived_up_referral(county)
    post(
        county.hosp_doctor, up, "feedback",
        {"data": {"diagnosis_code": "I25.1", "diagnosis_name": "冠心病", "result": "支架植入", "advice": "社区康复"}},
    )  # fmt: skip
    # the applicant side may not 转回; the hospital may
    assert client(county.town_doctor).post(f"{URL}/{up.pk}/return", {}, format="json").status_code == 403
    response = client(county.hosp_doctor).post(f"{URL}/{up.pk}/return", {"target": "origin"}, format="json")
    assert response.status_code == 201, response.content
    down = Referral.objects.get(pk=response.json()["id"])
    assert (down.direction, down.status, down.parent_id) == ("down", "draft", up.pk)
    assert (down.from_institution_id, down.to_institution_id, down.from_doctor_id) == (
        county.hospital.pk, county.town.pk, county.hosp_doctor.pk,
    )  # fmt: skip
    assert (down.diagnosis_code, down.diagnosis_name, down.treatment) == ("I25.1", "冠心病", "支架植入")
    assert down.package["referral_summary"]["parent_number"] == up.number
    assert down.resident_id == up.resident_id
    assert response.json()["parent_detail"]["number"] == up.number
    assert [r["id"] for r in client(county.hosp_doctor).get(f"{URL}/{up.pk}").json()["returns"]] == [down.pk]
    # only once
    again = client(county.hosp_doctor).post(f"{URL}/{up.pk}/return", {}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "REFERRAL_RETURN_NOT_ALLOWED")


def test_down_referral_with_staged_community_feedback_notifies_the_hospital(
    county: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given the hospital refers a patient down to the township for rehabilitation
    # (the resident file belongs to the township: the hospital finds the patient by ID number + name)
    patient = {"id_number": county.resident.id_number, "name": "孙大明"}
    down = create_draft(
        county, user=county.hosp_doctor, direction="down", to_institution=county.town.pk, resident=None, patient=patient
    )
    assert down.resident_id == county.resident.pk
    assert (down.from_institution_id, down.to_institution_id) == (county.hospital.pk, county.town.pk)
    with django_capture_on_commit_callbacks(execute=True):
        post(county.hosp_doctor, down, "submit")
        post(county.hosp_officer, down, "applicant-approve")
        post(county.town_officer, down, "receiver-approve")
        post(county.town_doctor, down, "arrange", {"data": {"department": county.world.home_department.pk,
                                                            "planned_at": future().isoformat()}})  # fmt: skip
        post(county.town_doctor, down, "receive", {"data": {"note": "已到社区康复门诊"}})
        # the up-referral feedback form is refused for a down-referral
        wrong = post(county.town_doctor, down, "feedback", {"data": {"diagnosis_name": "冠心病", "result": "x"}})
        stage1 = post(county.town_doctor, down, "feedback", {"data": {
            "arrived": True, "recovery": "improving", "health_status": "血压平稳", "stage": "第1周",
            "stage_result": "步行 500 米无不适"}})  # fmt: skip
        stage2 = post(county.town_doctor, down, "feedback", {"data": {
            "arrived": True, "recovery": "good", "health_status": "恢复良好", "stage": "第4周",
            "stage_result": "康复结束"}})  # fmt: skip
        ended = post(county.town_doctor, down, "close", {"comment": "康复结束"})
    assert wrong.status_code == 400
    assert sorted(wrong.json()["fields"]["data"]) == ["arrived", "health_status", "recovery"]
    assert [r.json()["status"] for r in (stage1, stage2, ended)] == ["feedback", "feedback", "closed"]
    down.refresh_from_db()
    assert down.feedback["form"] == "down_outpatient"
    assert [(e["stage"], e["recovery"]) for e in down.feedback["entries"]] == [
        ("第1周", "improving"),
        ("第4周", "good"),
    ]
    # the hospital's doctor was told of each stage and of the end
    to_hospital = Message.objects.filter(
        recipients__user=county.hosp_doctor, type__code__in=["referral.feedback", "referral.closed"]
    )
    assert sorted(to_hospital.values_list("type__code", flat=True)) == [
        "referral.closed", "referral.feedback", "referral.feedback",
    ]  # fmt: skip


def test_online_booking_is_placed_at_submit_and_cancelled_with_the_referral(county: Any) -> None:
    # given the hospital works in 在线预约 mode (local adapter books its own slot covering the time)
    ReferralSettings.objects.create(institution=county.hospital, online_mode=True)
    slot = make_slot(county, capacity=1)
    start = timezone.make_aware(dt.datetime.combine(slot.date, dt.time(9, 0)))
    referral = create_draft(county)
    body = {"data": {"online": {"department": county.hosp_department.pk, "start": start.isoformat()}}}
    # when the doctor submits with an online booking
    response = post(county.town_doctor, referral, "submit", body)
    # then the booking number is kept and the planned time is the booked time
    assert response.status_code == 200, response.content
    referral.refresh_from_db()
    booking = OnlineBooking.objects.get()
    assert (referral.booking_ref, referral.planned_at, referral.to_department_id) == (
        booking.booking_ref, start, county.hosp_department.pk,
    )  # fmt: skip
    assert (booking.status, booking.referral_number, booking.slot_id) == ("booked", referral.number, slot.pk)
    slot.refresh_from_db()
    assert slot.booked == 1
    # and cancelling the referral cancels the booking
    assert post(county.town_doctor, referral, "cancel", {"comment": "患者改期"}).status_code == 200
    booking.refresh_from_db()
    slot.refresh_from_db()
    referral.refresh_from_db()
    assert (booking.status, slot.booked, referral.booking_ref) == ("cancelled", 0, "")


def test_the_actions_endpoint_lists_return_like_the_detail(county: Any) -> None:
    up = arrived_up_referral(county)
    post(
        county.hosp_doctor, up, "feedback",
        {"data": {"diagnosis_code": "I25.1", "diagnosis_name": "冠心病", "result": "支架植入", "advice": "社区康复"}},
    )  # fmt: skip
    listed = client(county.hosp_doctor).get(f"{URL}/{up.pk}/actions").json()
    detail = client(county.hosp_doctor).get(f"{URL}/{up.pk}").json()["actions"]
    assert [a["name"] for a in listed] == [a["name"] for a in detail]
    assert {"name": "return", "path": "return", "label": "转回", "requires_comment": False, "has_data": True} in listed
    town = [a["name"] for a in client(county.town_doctor).get(f"{URL}/{up.pk}/actions").json()]
    assert "return" not in town
