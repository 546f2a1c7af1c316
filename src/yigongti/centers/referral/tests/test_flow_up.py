"""上转 end to end through the API (issue 5 acceptance): a township doctor refers a patient to the
hospital; both reviews, arrangement, reception, feedback and close, with a slot taken at submit."""

from __future__ import annotations

from typing import Any

from yigongti.centers.referral.config.models import ReferralSlot
from yigongti.centers.referral.models import Referral
from yigongti.centers.referral.tests.conftest import URL, client, create_draft, future, make_slot, post
from yigongti.core.audit.models import AuditLog
from yigongti.core.workflow.models import TimelineEntry, WorkflowTimer
from yigongti.platform.notify.models import Message, SmsMessage


def timeline(referral: Referral) -> list[tuple[str, str, str, str]]:
    rows = TimelineEntry.objects.filter(workflow="referral", object_id=str(referral.pk)).order_by("at", "id")
    return [(r.transition, r.from_state, r.to_state, r.actor_name) for r in rows]


def test_up_referral_from_draft_to_closed(county: Any, django_capture_on_commit_callbacks: Any) -> None:
    # given a draft by the township doctor and a published slot of the hospital
    slot = make_slot(county, capacity=2)
    referral = create_draft(county)
    assert referral.number.startswith("ZZ") and len(referral.number) == 14
    assert (referral.status, referral.from_institution_id, referral.from_doctor_id) == (
        "draft", county.town.pk, county.town_doctor.pk,
    )  # fmt: skip
    assert referral.from_department_id == county.world.home_department.pk
    assert referral.package["basic"]["name"] == "孙大明"
    assert county.resident.id_number not in str(referral.package)
    id_number = county.resident.id_number
    assert referral.package["basic"]["id_number_masked"] == f"{id_number[:6]}{'*' * 8}{id_number[-4:]}"

    with django_capture_on_commit_callbacks(execute=True):
        # when the doctor submits with the slot
        submitted = post(county.town_doctor, referral, "submit", {"data": {"slot": slot.pk}})
        # and the township's officer approves, the hospital's officer approves
        approved_out = post(county.town_officer, referral, "applicant-approve", {"comment": "同意转出"})
        approved_in = post(county.hosp_officer, referral, "receiver-approve", {"comment": "同意接收"})
        # the hospital doctor arranges (planned time defaults to the slot's time), receives, gives feedback
        arranged = post(
            county.hosp_doctor, referral, "arrange",
            {"data": {"department": county.hosp_department.pk, "doctor": county.hosp_doctor.pk, "note": "携带既往资料"}},
        )  # fmt: skip
        received = post(county.hosp_doctor, referral, "receive", {"data": {"note": "患者已到诊"}})
        fed_back = post(
            county.hosp_doctor, referral, "feedback",
            {"data": {"diagnosis_code": "I25.1", "diagnosis_name": "冠心病", "result": "冠脉造影示狭窄 70%",
                      "advice": "规律服用阿司匹林，1 月后社区随访"}},
        )  # fmt: skip
        closed = post(county.town_doctor, referral, "close", {"comment": "已阅反馈"})

    # then every step answered 200 with the new state
    answers = [submitted, approved_out, approved_in, arranged, received, fed_back, closed]
    assert [r.status_code for r in answers] == [200] * 7, [r.content for r in answers]
    assert [r.json()["status"] for r in answers] == [
        "submitted", "applicant_reviewed", "receiver_reviewed", "arranged", "received", "feedback", "closed",
    ]  # fmt: skip
    referral.refresh_from_db()
    slot.refresh_from_db()
    assert (slot.booked, referral.slot_id, referral.to_department_id) == (1, slot.pk, county.hosp_department.pk)
    assert referral.planned_at is not None and referral.planned_at.date() == slot.date
    assert (referral.arranged_doctor_id, referral.arrangement_note) == (county.hosp_doctor.pk, "携带既往资料")
    assert (referral.reception_note, referral.to_doctor_id) == ("患者已到诊", county.hosp_doctor.pk)
    assert referral.feedback["form"] == "up_outpatient"
    assert [e["diagnosis_name"] for e in referral.feedback["entries"]] == ["冠心病"]
    stamps = [
        referral.submitted_at, referral.applicant_reviewed_at, referral.receiver_reviewed_at, referral.arranged_at,
        referral.received_at, referral.feedback_at, referral.closed_at,
    ]  # fmt: skip
    present = [s for s in stamps if s is not None]
    assert len(present) == 7 and present == sorted(present)
    assert timeline(referral) == [
        ("create", "", "draft", "张医生"),
        ("submit", "draft", "submitted", "张医生"),
        ("applicant_approve", "submitted", "applicant_reviewed", "王转诊"),
        ("receiver_approve", "applicant_reviewed", "receiver_reviewed", "赵转诊"),
        ("arrange", "receiver_reviewed", "arranged", "李医生"),
        ("receive", "arranged", "received", "李医生"),
        ("feedback", "received", "feedback", "李医生"),
        ("close", "feedback", "closed", "张医生"),
    ]
    # the no-show timer was scheduled on arrangement and cancelled on reception
    timer = WorkflowTimer.objects.get(workflow="referral")
    assert (timer.transition, timer.fired_at is None, timer.cancelled_at is not None) == ("expire_no_show", True, True)
    # one audit row per step
    actions = list(
        AuditLog.objects.filter(object_type="referral.referral", log_type="business", category="update")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [f"referral.referral.{t}" for t in (
        "submit", "applicant_approve", "receiver_approve", "arrange", "receive", "feedback", "close")]  # fmt: skip
    # messages: reviewers on each side, the hospital doctor, the applying doctor; the patient by SMS
    sent = {
        m.type.code: sorted(m.recipients.values_list("user_id", flat=True))
        for m in Message.objects.filter(type__group__code="referral")
    }
    assert sent == {
        "referral.submitted": [county.town_officer.pk],
        "referral.applicant_approved": [county.hosp_officer.pk],
        "referral.receiver_approved": sorted([county.hosp_doctor.pk]),
        "referral.arranged": sorted([county.town_doctor.pk, county.hosp_doctor.pk]),
        "referral.received": [county.town_doctor.pk],
        "referral.feedback": [county.town_doctor.pk],
        "referral.closed": sorted([county.town_doctor.pk, county.hosp_doctor.pk]),
    }
    arranged_msg = Message.objects.get(type__code="referral.arranged")
    assert arranged_msg.title == "孙大明的转诊已安排"
    sms = SmsMessage.objects.get()
    assert sms.phone == "13900001111"
    assert sms.text.startswith(
        f"【医共体】孙大明您好，您的转诊已安排：请于{slot.date:%Y-%m-%d} 08:00到河口镇卫生院心内科就诊"
    )


def test_detail_shows_timeline_and_the_actions_of_the_current_user(county: Any) -> None:
    referral = create_draft(county)
    body = client(county.town_doctor).get(f"{URL}/{referral.pk}").json()
    assert [a["name"] for a in body["actions"]] == ["submit", "cancel"]
    assert [t["transition"] for t in body["timeline"]] == ["create"]
    assert body["package"]["initial_opinion"] == "建议上级医院心内科明确诊断"
    assert body["feedback_required"] == ["diagnosis_name", "result", "advice"]
    post(county.town_doctor, referral, "submit")
    officer_view = client(county.town_officer).get(f"{URL}/{referral.pk}").json()
    assert [a["name"] for a in officer_view["actions"]] == ["applicant_approve", "applicant_reject"]
    assert client(county.hosp_officer).get(f"{URL}/{referral.pk}").json()["actions"] == []


def test_arrangement_must_belong_to_the_receiving_institution(county: Any) -> None:
    referral = create_draft(county)
    Referral.objects.filter(pk=referral.pk).update(status="receiver_reviewed")
    foreign_department = county.world.home_department
    response = post(
        county.hosp_doctor, referral, "arrange",
        {"data": {"department": foreign_department.pk, "planned_at": future().isoformat()}},
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["code"] == "VALIDATION_ERROR"
    assert "department" in response.json()["fields"]["data"]
    referral.refresh_from_db()
    assert referral.status == "receiver_reviewed" and referral.arranged_department_id is None


def test_slot_full_refuses_the_submission_and_writes_nothing(county: Any) -> None:
    slot = make_slot(county, capacity=1)
    first, second = create_draft(county), create_draft(county)
    assert post(county.town_doctor, first, "submit", {"data": {"slot": slot.pk}}).status_code == 200
    response = post(county.town_doctor, second, "submit", {"data": {"slot": slot.pk}})
    assert response.status_code == 409
    assert response.json()["message"] == "所选号源已约满，请选择其他号源。"
    second.refresh_from_db()
    assert (second.status, second.slot_id, second.submitted_at) == ("draft", None, None)
    assert ReferralSlot.objects.get(pk=slot.pk).booked == 1
    assert not TimelineEntry.objects.filter(object_id=str(second.pk), transition="submit").exists()
