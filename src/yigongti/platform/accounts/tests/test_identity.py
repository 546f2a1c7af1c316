"""切换当前机构/角色: POST /auth/switch, validated, audited, and honoured by the data scope."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from yigongti.core.audit.models import AuditLog
from yigongti.core.scope import DataScope
from yigongti.core.testing.api import assert_error
from yigongti.platform.accounts.identity import SESSION_KEY
from yigongti.platform.org.models import Bed
from yigongti.platform.testing import make_role, make_user

pytestmark = pytest.mark.django_db
SWITCH, ME, BEDS = "/api/v1/auth/switch", "/api/v1/auth/me", "/api/v1/org/beds"


@pytest.fixture
def world(api_world: Any) -> Any:
    """A doctor of `home` who also practises at `other` (custom set) with two roles."""
    w = api_world
    Bed.objects.create(institution=w.home, department=w.home_department, code="H1")
    Bed.objects.create(institution=w.other, department=w.other_department, code="O1")
    w.ward = make_role(["org.bed.view"], DataScope.INSTITUTION, name="病区护士")
    w.visiting = make_role(["org.bed.view", "org.staff.view"], DataScope.CUSTOM, name="多点执业")
    w.visiting.custom_institutions.set([w.other])
    w.user = make_user(w.home, department=w.home_department, name="李医生")
    w.user.roles.set([w.ward, w.visiting])
    w.client = APIClient()
    w.client.force_login(w.user)
    return w


def bed_codes(client: APIClient) -> list[str]:
    response = client.get(BEDS, {"ordering": "code"})
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def test_me_lists_what_the_user_may_switch_to(world: Any) -> None:
    body = world.client.get(ME).json()

    assert body["identity"] == {
        "institutions": [
            {"id": world.home.pk, "name": "城关镇卫生院", "home": True},
            {"id": world.other.pk, "name": "河口镇卫生院", "home": False},
        ],
        "roles": sorted(
            [{"id": world.ward.pk, "code": world.ward.code, "name": "病区护士"},
             {"id": world.visiting.pk, "code": world.visiting.code, "name": "多点执业"}],
            key=lambda r: r["code"],
        ),
        "current_institution": world.home.pk,
        "current_role": None,
        "switched": False,
    }  # fmt: skip
    assert body["institution"] == {"id": world.home.pk, "name": "城关镇卫生院"}
    assert bed_codes(world.client) == ["H1", "O1"]  # the union of both roles


def test_switching_the_institution_moves_the_institution_scope(world: Any) -> None:
    response = world.client.post(SWITCH, {"institution": world.other.pk, "role": world.ward.pk}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["institution"] == {"id": world.other.pk, "name": "河口镇卫生院"}
    assert body["department"] is None
    assert body["roles"] == [{"code": world.ward.code, "name": "病区护士"}]
    assert body["permissions"] == ["org.bed.view"]
    assert body["identity"]["current_institution"] == world.other.pk
    assert body["identity"]["current_role"] == world.ward.pk
    assert body["identity"]["switched"] is True
    # the next requests see 本机构 = 河口镇卫生院 with the 病区护士 role only
    assert bed_codes(world.client) == ["O1"]
    assert world.client.get("/api/v1/org/staff").status_code == 403
    assert world.client.get(ME).json()["institution"]["id"] == world.other.pk


def test_switching_the_role_only_narrows_codes_and_scope(world: Any) -> None:
    world.client.post(SWITCH, {"role": world.ward.pk}, format="json")

    assert bed_codes(world.client) == ["H1"]
    me = world.client.get(ME).json()
    assert me["permissions"] == ["org.bed.view"]
    assert me["department"] == {"id": world.home_department.pk, "name": "全科"}


def test_switching_back_to_the_default_clears_the_session(world: Any) -> None:
    world.client.post(SWITCH, {"institution": world.other.pk, "role": world.ward.pk}, format="json")

    response = world.client.post(SWITCH, {"institution": world.home.pk, "role": None}, format="json")

    assert response.json()["identity"]["switched"] is False
    assert SESSION_KEY not in world.client.session
    assert bed_codes(world.client) == ["H1", "O1"]


def test_an_institution_or_role_not_held_is_refused(world: Any) -> None:
    stranger_role = make_role(["org.bed.view"], DataScope.ALL)

    far = world.client.post(SWITCH, {"institution": world.far.pk}, format="json")
    role = world.client.post(SWITCH, {"role": stranger_role.pk}, format="json")

    assert_error(far, 400, "IDENTITY_NOT_HELD")
    assert far.json()["fields"] == {"institution": ["您不在该机构任职，不能切换到该机构。"]}
    assert_error(role, 400, "IDENTITY_NOT_HELD")
    assert role.json()["fields"] == {"role": ["您没有该角色，不能切换到该角色。"]}
    assert SESSION_KEY not in world.client.session
    assert bed_codes(world.client) == ["H1", "O1"]


def test_a_bad_body_is_a_400(world: Any) -> None:
    assert_error(world.client.post(SWITCH, {"institution": "abc"}, format="json"), 400, "VALIDATION_ERROR")


def test_the_switch_is_audited(world: Any) -> None:
    world.client.post(SWITCH, {"institution": world.other.pk}, format="json")

    log = AuditLog.objects.get(action="accounts.identity.switch")
    assert log.content == "切换到 河口镇卫生院，角色：全部角色"
    assert log.object_id == str(world.user.pk)
    assert log.before == {"institution": world.home.pk, "role": None}
    assert log.after == {"institution": world.other.pk, "role": None}


def test_a_choice_no_longer_held_falls_back_to_the_default(world: Any) -> None:
    world.client.post(SWITCH, {"institution": world.other.pk, "role": world.visiting.pk}, format="json")
    assert bed_codes(world.client) == ["O1"]

    world.user.roles.remove(world.visiting)

    assert bed_codes(world.client) == ["H1"]
    assert SESSION_KEY not in world.client.session


def test_anonymous_cannot_switch() -> None:
    assert_error(APIClient().post(SWITCH, {}, format="json"), 401, "NOT_AUTHENTICATED")
