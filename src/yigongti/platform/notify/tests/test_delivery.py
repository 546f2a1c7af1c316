"""notify(): rendering, recipients, subscriptions, silent hours, urgent messages, SMS queueing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from yigongti.core.scope import DataScope
from yigongti.platform.notify.models import Message, MessageRecipient, SmsMessage, Subscription
from yigongti.platform.notify.services import TemplateError, notify
from yigongti.platform.notify.services.delivery import silent_until
from yigongti.platform.notify.tests.conftest import CONTEXT, Pushes, make_type
from yigongti.platform.testing import make_role, make_user

pytestmark = pytest.mark.django_db
BEIJING = dt.timezone(dt.timedelta(hours=8))


def at(hour: int, minute: int = 0, day: int = 10) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=BEIJING)


def test_message_is_rendered_stored_and_pushed_after_commit(
    api_world: Any, pushes: Pushes, django_capture_on_commit_callbacks: Any
) -> None:
    mtype = make_type(sound=True, sound_name="ding")
    alice, bob = make_user(api_world.home), make_user(api_world.home)
    sender = make_user(api_world.home, name="李医生")
    with django_capture_on_commit_callbacks() as callbacks:
        message = notify("test.notice", recipients=[alice, bob.pk], context=CONTEXT, sender=sender, related=alice)
        assert pushes.calls == []  # nothing before the commit
    assert message is not None
    assert (message.title, message.body) == ("城关镇卫生院 转来患者 张三", "请尽快处理 张三 的申请。")
    assert (message.sender_name, message.institution_id, message.object_id) == (
        "李医生",
        api_world.home.pk,
        str(alice.pk),
    )
    assert sorted(message.recipients.values_list("user_id", flat=True)) == sorted([alice.pk, bob.pk])
    for callback in callbacks:
        callback()
    [(_events, unread)] = pushes.calls
    assert sorted(unread) == sorted([alice.pk, bob.pk])
    popup = pushes.events_for(alice.pk)[0]
    row = MessageRecipient.objects.get(message=message, user=alice)
    assert popup["type"] == "popup" and popup["sound"] == "ding"
    assert popup["message"]["id"] == row.pk and popup["message"]["type"] == mtype.code
    assert popup["message"]["title"] == "城关镇卫生院 转来患者 张三"
    assert popup["message"]["related_type"] == "accounts.user"


def test_rolled_back_transaction_keeps_nothing_and_pushes_nothing(
    api_world: Any, pushes: Pushes, django_capture_on_commit_callbacks: Any
) -> None:
    make_type(channels=["in_app", "realtime", "sms"], sms_template="{{ patient }} 待处理")
    user = make_user(api_world.home, phone="13800000001")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify("test.notice", recipients=[user], context=CONTEXT)
        raise RuntimeError("业务失败")
    assert callbacks == []
    assert pushes.calls == []
    assert (Message.objects.count(), SmsMessage.objects.count()) == (0, 0)


def test_missing_context_variable_raises_and_writes_nothing(api_world: Any) -> None:
    make_type()
    with pytest.raises(TemplateError, match="缺少标题模板变量：institution"):
        notify("test.notice", recipients=[make_user(api_world.home)], context={"patient": "张三"})
    assert Message.objects.count() == 0


def test_unknown_or_disabled_type_sends_nothing(api_world: Any) -> None:
    make_type(enabled=False)
    user = make_user(api_world.home)
    assert notify("test.notice", recipients=[user], context=CONTEXT) is None
    assert notify("test.nothing", recipients=[user], context=CONTEXT) is None
    assert Message.objects.count() == 0


def test_inactive_users_are_skipped_and_no_recipients_sends_nothing(api_world: Any) -> None:
    make_type()
    gone = make_user(api_world.home, is_active=False)
    assert notify("test.notice", recipients=[gone], context=CONTEXT) is None
    assert notify("test.notice", recipients=[], context=CONTEXT) is None
    assert Message.objects.count() == 0


def test_recipient_roles_reach_holders_whose_work_covers_the_institution(api_world: Any) -> None:
    reviewer = make_role([], DataScope.INSTITUTION, code="reviewer_x")
    county = make_role([], DataScope.ALL, code="county_x")
    community = make_role([], DataScope.COMMUNITY, code="community_x")
    make_type(recipient_roles=["reviewer_x", "county_x", "community_x"])
    here, there = make_user(api_world.home), make_user(api_world.other)
    everywhere, far_community = make_user(None), make_user(api_world.far)
    same_community = make_user(api_world.other)
    here.roles.add(reviewer)
    there.roles.add(reviewer)
    everywhere.roles.add(county)
    far_community.roles.add(community)
    same_community.roles.add(community)
    make_user(api_world.home)  # no role: never a recipient
    message = notify("test.notice", context=CONTEXT, institution=api_world.home)
    assert message is not None
    got = set(message.recipients.values_list("user_id", flat=True))
    assert got == {here.pk, everywhere.pk, same_community.pk}


def test_switched_off_type_is_not_delivered_but_must_handle_still_reaches_inbox(
    api_world: Any, pushes: Pushes, django_capture_on_commit_callbacks: Any
) -> None:
    plain = make_type()
    work = make_type("test.work", handling_mode="must_handle")
    user = make_user(api_world.home)
    Subscription.objects.create(user=user, message_type=plain, enabled=False)
    Subscription.objects.create(user=user, message_type=work, enabled=False)
    assert notify("test.notice", recipients=[user], context=CONTEXT) is None
    with django_capture_on_commit_callbacks(execute=True):
        message = notify("test.work", recipients=[user], context=CONTEXT)
    assert message is not None and message.recipients.get().user_id == user.pk
    assert pushes.events_for(user.pk) == []  # no popup
    assert pushes.unread_for() == [user.pk]  # but the badge updates


def test_topic_subscription_applies_when_there_is_none_for_the_type(api_world: Any) -> None:
    make_type(topic="referral")
    user = make_user(api_world.home)
    Subscription.objects.create(user=user, topic="referral", enabled=False)
    assert notify("test.notice", recipients=[user], context=CONTEXT) is None


def test_silent_hours_hold_back_popup_and_defer_sms_to_the_end_of_the_window(
    api_world: Any, pushes: Pushes, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    mtype = make_type(
        channels=["in_app", "realtime", "sms"], sms_template="{{ patient }} 待处理", sms_template_code="SMS_1"
    )
    user = make_user(api_world.home, phone="13800000001")
    Subscription.objects.create(user=user, message_type=mtype, silent_start=dt.time(22), silent_end=dt.time(7))
    monkeypatch.setattr(timezone, "now", lambda: at(23, 30))
    with django_capture_on_commit_callbacks(execute=True):
        message = notify("test.notice", recipients=[user], context=CONTEXT)
    assert message is not None
    assert pushes.events_for(user.pk) == []
    sms = SmsMessage.objects.get()
    assert (sms.status, sms.scheduled_at, sms.text, sms.params) == (
        "queued",
        at(7, day=11),
        "张三 待处理",
        {"patient": "张三"},
    )


def test_urgent_messages_ignore_silent_hours_and_switching_off(
    api_world: Any, pushes: Pushes, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    mtype = make_type(
        urgent=True, display_mode="inbox", channels=["in_app", "realtime", "sms"], sms_template="急：{{ patient }}"
    )
    user = make_user(api_world.home, phone="13800000001")
    Subscription.objects.create(
        user=user, message_type=mtype, enabled=False, silent_start=dt.time(22), silent_end=dt.time(7), channels=[]
    )
    monkeypatch.setattr(timezone, "now", lambda: at(23, 30))
    with django_capture_on_commit_callbacks(execute=True):
        assert notify("test.notice", recipients=[user], context=CONTEXT) is not None
    [popup] = pushes.events_for(user.pk)
    assert popup["message"]["urgent"] is True and popup["message"]["display_mode"] == "popup"
    sms = SmsMessage.objects.get()
    assert sms.scheduled_at == at(23, 30)
    assert sms.status == "sent"  # sent at once by the (immediate) worker with the logging backend


def test_subscription_can_narrow_channels(
    api_world: Any, pushes: Pushes, django_capture_on_commit_callbacks: Any
) -> None:
    mtype = make_type(channels=["in_app", "realtime", "sms"], sms_template="{{ patient }}")
    user = make_user(api_world.home, phone="13800000001")
    Subscription.objects.create(user=user, message_type=mtype, channels=["sms"])
    with django_capture_on_commit_callbacks(execute=True):
        notify("test.notice", recipients=[user], context=CONTEXT)
    assert pushes.events_for(user.pk) == []
    assert SmsMessage.objects.count() == 1


def test_sms_only_for_valid_mobile_numbers(api_world: Any) -> None:
    make_type(channels=["in_app", "sms"], sms_template="{{ patient }}")
    landline, none = make_user(api_world.home, phone="0523-1234567"), make_user(api_world.home)
    notify("test.notice", recipients=[landline, none], context=CONTEXT)
    assert SmsMessage.objects.count() == 0


def test_not_persisted_type_only_pops_up(
    api_world: Any, pushes: Pushes, django_capture_on_commit_callbacks: Any
) -> None:
    make_type(persisted=False, channels=["realtime"])
    user = make_user(api_world.home)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify("test.notice", recipients=[user], context=CONTEXT) is None
    [popup] = pushes.events_for(user.pk)
    assert popup["message"]["id"] is None and popup["message"]["title"] == "城关镇卫生院 转来患者 张三"
    assert Message.objects.count() == 0


@pytest.mark.parametrize(
    ("start", "end", "now", "expected"),
    [
        (dt.time(22), dt.time(7), at(23), at(7, day=11)),
        (dt.time(22), dt.time(7), at(6, 59), at(7)),
        (dt.time(22), dt.time(7), at(7), None),
        (dt.time(12), dt.time(14), at(13), at(14)),
        (dt.time(12), dt.time(14), at(14), None),
        (None, None, at(13), None),
    ],
)
def test_silent_window(start: Any, end: Any, now: dt.datetime, expected: Any) -> None:
    assert silent_until(start, end, now) == expected
