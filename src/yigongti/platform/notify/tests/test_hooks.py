"""Messages nobody sends by hand: workflow transitions, account lockout, password expiry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient
from tests.workflow_example.models import LeaveRequest

from yigongti.core.scope import DataScope
from yigongti.core.workflow.services import workflow_transition
from yigongti.platform.accounts.builtin_roles import ensure_builtin_roles
from yigongti.platform.notify.hooks import Delivery, register_recipient_resolver, unregister_recipient_resolver
from yigongti.platform.notify.models import Message, MessageRecipient
from yigongti.platform.notify.tasks import password_expiry_reminders
from yigongti.platform.notify.tests.conftest import make_type
from yigongti.platform.testing import make_role, make_user

pytestmark = pytest.mark.django_db
VIEW, SUBMIT, REVIEW = "workflow_example.leave.view", "workflow_example.leave.submit", "workflow_example.leave.review"
LEAVE_VARIABLES = {"actor": "操作人", "record": "事由", "comment": "意见", "transition": "操作", "at": "时间"}


@pytest.fixture
def resolvers() -> Iterator[list[str]]:
    keys: list[str] = []
    yield keys
    for key in keys:
        unregister_recipient_resolver(key)


def test_transition_message_goes_to_role_holders_covering_the_records_institution(
    api_world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    reviewer_role = make_role([], DataScope.INSTITUTION, code="leave_reviewer_x")
    make_type(
        "leave.submitted",
        variables=LEAVE_VARIABLES,
        title_template="{{ actor }} 提交了请假申请：{{ record }}",
        body_template="{{ comment }}（{{ at }}）",
        recipient_roles=["leave_reviewer_x"],
        handling_mode="must_handle",
        unique_handling=True,
    )
    owner = make_user(api_world.home, [VIEW, SUBMIT], name="张医生")
    here, there = make_user(api_world.home), make_user(api_world.other)
    here.roles.add(reviewer_role)
    there.roles.add(reviewer_role)
    leave = LeaveRequest.objects.create(institution=api_world.home, owner=owner, title="家中有事")
    with django_capture_on_commit_callbacks(execute=True):
        workflow_transition(leave, "submit", actor=owner, comment="请批准")
    message = Message.objects.get(type__code="leave.submitted")
    assert message.title == "张医生 提交了请假申请：家中有事"
    assert message.body.startswith("请批准（")
    assert (message.sender_id, message.institution_id, message.object_id) == (
        owner.pk,
        api_world.home.pk,
        str(leave.pk),
    )
    assert message.data["transition"] == "submit"
    assert list(message.recipients.values_list("user_id", flat=True)) == [here.pk]


def test_rolled_back_transition_sends_nothing(api_world: Any, django_capture_on_commit_callbacks: Any) -> None:
    make_role([], code="lr_x").users.add(make_user(api_world.home))
    make_type(
        "leave.submitted",
        variables=LEAVE_VARIABLES,
        title_template="{{ record }}",
        body_template="",
        recipient_roles=["lr_x"],
    )
    owner = make_user(api_world.home, [VIEW, SUBMIT])
    leave = LeaveRequest.objects.create(institution=api_world.home, owner=owner, title="x")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        workflow_transition(leave, "submit", actor=owner)
        raise RuntimeError("回滚")
    assert Message.objects.count() == 0


def test_a_registered_resolver_chooses_the_recipients(
    api_world: Any, resolvers: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    make_type(
        "leave.approved",
        variables={**LEAVE_VARIABLES, "days": "天数"},
        title_template="您的请假（{{ days }} 天）已由 {{ actor }} {{ transition }}",
        body_template="",
        recipient_parties=["applicant"],
    )

    def applicant(event: Any, mtype: Any, record: Any) -> Delivery:
        assert mtype.recipient_parties == ["applicant"]
        return Delivery(recipients=[record.owner], context={"days": record.days})

    register_recipient_resolver("leave", applicant)
    resolvers.append("leave")
    owner = make_user(api_world.home, [VIEW, SUBMIT])
    reviewer = make_user(api_world.home, [VIEW, REVIEW], name="李主任")
    leave = LeaveRequest.objects.create(institution=api_world.home, owner=owner, title="x", days=3)
    with django_capture_on_commit_callbacks(execute=True):
        workflow_transition(leave, "submit", actor=owner)  # no leave.submitted type: nothing sent
        workflow_transition(leave, "approve", actor=reviewer)
    row = MessageRecipient.objects.get()
    assert (row.user_id, row.message.title) == (owner.pk, "您的请假（3 天）已由 李主任 审核通过")


def test_account_lockout_notifies_security_administrators(api_world: Any, settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    roles = ensure_builtin_roles()
    secadmin = make_user(None)
    secadmin.roles.add(roles["secadmin"])
    victim = make_user(api_world.home, username="victim", name="赵医生")
    client = APIClient()
    for _ in range(5):  # the third failure locks; later attempts while locked notify nobody again
        client.post("/api/v1/auth/login", {"username": "victim", "password": "wrong-password"}, format="json")
    client.post("/api/v1/auth/login", {"username": "nobody", "password": "x"}, format="json")
    message = Message.objects.get(type__code="security.account_locked")
    assert message.title == "账号 victim 因连续登录失败被锁定"
    assert "赵医生（victim，城关镇卫生院）" in message.body and "连续 3 次登录失败" in message.body
    assert (message.must_handle, message.unique_handling, message.object_id) == (True, True, str(victim.pk))
    assert list(message.recipients.values_list("user_id", flat=True)) == [secadmin.pk]


def test_password_expiry_reminders_once_a_day_at_7_3_and_1_days(api_world: Any, settings: Any) -> None:
    settings.YIGONGTI_PASSWORD_MAX_AGE_DAYS = 90
    today = timezone.localdate()
    midday = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))

    def changed(days_ago: int) -> Any:
        return make_user(api_world.home, password_changed_at=midday - dt.timedelta(days=days_ago))

    in_seven, in_three, in_one, in_five, expired = changed(83), changed(87), changed(89), changed(85), changed(95)
    assert password_expiry_reminders(today=today) == 3
    assert password_expiry_reminders(today=today) == 0  # at most once per day
    rows = MessageRecipient.objects.filter(message__type__code="security.password_expiring")
    assert sorted(rows.values_list("user_id", flat=True)) == sorted([in_seven.pk, in_three.pk, in_one.pk])
    assert not rows.filter(user__in=[in_five, expired]).exists()
    title = rows.get(user=in_three).message.title
    assert title == "您的登录密码将在 3 天后过期"
