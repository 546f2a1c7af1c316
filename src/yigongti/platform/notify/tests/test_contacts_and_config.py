"""通讯录 (scoped address book, personal groups), message-type configuration, subscriptions."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from yigongti.core.audit.models import AuditLog
from yigongti.core.testing.api import assert_error
from yigongti.platform.notify.models import ContactGroup, MessageType, Subscription
from yigongti.platform.notify.tests.conftest import make_type
from yigongti.platform.testing import make_staff, make_user

pytestmark = pytest.mark.django_db
CONTACTS = "/api/v1/notify/contacts"
GROUPS = "/api/v1/notify/contact-groups"
TYPES = "/api/v1/notify/message-types"
SUBS = "/api/v1/notify/subscriptions"


def client_of(user: Any) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def names(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def test_address_book_shows_only_staff_in_the_users_scope(api_world: Any) -> None:
    make_staff(api_world.home, api_world.home_department, name="本院医生", phone="0523-1234567")
    make_staff(api_world.other, api_world.other_department, name="他院医生")
    make_staff(api_world.far, name="邻县医生")
    make_staff(api_world.home, name="离职医生", is_active=False)
    institution = api_world.client_for(["notify.contact.view"])
    assert "本院医生" in names(institution.get(CONTACTS, {"page_size": 500}))
    assert not {"他院医生", "邻县医生", "离职医生"} & names(institution.get(CONTACTS, {"page_size": 500}))
    community = api_world.client_for(["notify.contact.view"], scope="community")
    got = names(community.get(CONTACTS, {"page_size": 500}))
    assert {"本院医生", "他院医生"} <= got and "邻县医生" not in got
    other = api_world.client_for(["notify.contact.view"]).get(CONTACTS, {"search": "他院医生"})
    assert other.json()["results"] == []
    row = next(r for r in institution.get(CONTACTS, {"name": "本院"}).json()["results"])
    assert (row["institution_name"], row["department_name"], row["phone"]) == ("城关镇卫生院", "全科", "0523-1234567")
    assert_error(api_world.client_for([]).get(CONTACTS), 403, "PERMISSION_DENIED")


def test_address_book_masks_mobile_numbers(api_world: Any) -> None:
    user = make_user(api_world.home, phone="13800000001", name="手机用户")
    client = api_world.client_for(["notify.contact.view"])
    row = client.get(CONTACTS, {"search": user.staff.name}).json()["results"][0]  # type: ignore[union-attr]
    assert row["mobile"] == "138****0001"


def test_contact_groups_are_personal_and_members_stay_in_scope(api_world: Any) -> None:
    owner = make_user(api_world.home, [])
    colleague = make_staff(api_world.home, name="同事")
    stranger = make_staff(api_world.far, name="外人")
    client = client_of(owner)
    response = client.post(GROUPS, {"name": "会诊小组", "members": [colleague.pk]}, format="json")
    assert response.status_code == 201, response.content
    group = response.json()
    assert (group["name"], group["members"], group["member_names"]) == ("会诊小组", [colleague.pk], ["同事"])
    body = assert_error(
        client.post(GROUPS, {"name": "另一组", "members": [stranger.pk]}, format="json"), 400, "VALIDATION_ERROR"
    )
    assert "members" in body["fields"]
    assert_error(client.post(GROUPS, {"name": "会诊小组"}, format="json"), 400, "VALIDATION_ERROR")  # duplicate name
    someone_else = client_of(make_user(api_world.home, [], scope="all"))
    assert someone_else.get(GROUPS).json()["results"] == []
    assert_error(someone_else.get(f"{GROUPS}/{group['id']}"), 404, "NOT_FOUND")
    assert_error(someone_else.delete(f"{GROUPS}/{group['id']}"), 404, "NOT_FOUND")
    assert client.delete(f"{GROUPS}/{group['id']}").status_code == 204
    assert not ContactGroup.objects.exists()
    assert AuditLog.objects.filter(object_type="notify.contactgroup").count() == 2  # create + delete


def test_message_types_need_codes_and_the_all_scope_to_change(api_world: Any) -> None:
    mtype = make_type()
    reader = api_world.client_for(["notify.message_type.view"])
    assert [r["code"] for r in reader.get(TYPES, {"search": "test."}).json()["results"]] == ["test.notice"]
    assert_error(api_world.client_for([]).get(TYPES), 403, "PERMISSION_DENIED")
    local_admin = api_world.client_for(["notify.message_type.view", "notify.message_type.change"])
    assert_error(local_admin.patch(f"{TYPES}/{mtype.pk}", {"name": "改"}, format="json"), 404, "NOT_FOUND")
    admin = api_world.client_for(["notify.message_type.view", "notify.message_type.change"], scope="all")
    response = admin.patch(f"{TYPES}/{mtype.pk}", {"name": "改名", "channels": ["in_app"]}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["name"], response.json()["channels"]) == ("改名", ["in_app"])
    assert AuditLog.objects.filter(object_type="notify.messagetype", category="update").count() == 1


def test_builtin_message_types_cannot_be_deleted_or_renamed(api_world: Any) -> None:
    builtin = MessageType.objects.get(code="security.account_locked")
    admin = api_world.client_for(["notify.message_type.change", "notify.message_type.delete"], scope="all")
    assert_error(admin.delete(f"{TYPES}/{builtin.pk}"), 409, "BUILTIN_MESSAGE_TYPE")
    body = assert_error(admin.patch(f"{TYPES}/{builtin.pk}", {"code": "x.y"}, format="json"), 400, "VALIDATION_ERROR")
    assert body["fields"]["code"] == ["内置消息类型的编码不能修改。"]
    response = admin.patch(f"{TYPES}/{builtin.pk}", {"enabled": False}, format="json")
    assert response.status_code == 200 and response.json()["enabled"] is False


def test_subscriptions_are_my_own(api_world: Any) -> None:
    mtype = make_type()
    user = make_user(api_world.home)
    client = client_of(user)
    payload = {
        "message_type": mtype.code,
        "channels": ["sms"],
        "silent_start": "22:00",
        "silent_end": "07:00",
        "sound": False,
    }
    response = client.post(SUBS, payload, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["message_type_code"], created["silent_start"], created["enabled"]) == (
        "test.notice",
        "22:00:00",
        True,
    )
    assert Subscription.objects.get().user_id == user.pk
    assert_error(client.post(SUBS, payload, format="json"), 400, "VALIDATION_ERROR")  # already subscribed
    for bad in ({"message_type": mtype.code, "topic": "x"}, {}, {"topic": "t", "silent_start": "22:00"},
                {"topic": "t", "channels": ["in_app"]}):  # fmt: skip
        assert_error(client.post(SUBS, bad, format="json"), 400, "VALIDATION_ERROR")
    other = client_of(make_user(api_world.home))
    assert other.get(SUBS).json()["results"] == []
    assert_error(other.patch(f"{SUBS}/{created['id']}", {"enabled": False}, format="json"), 404, "NOT_FOUND")
    response = client.patch(f"{SUBS}/{created['id']}", {"enabled": False}, format="json")
    assert response.status_code == 200 and response.json()["enabled"] is False
