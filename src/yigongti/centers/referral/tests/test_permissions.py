"""The permission matrix (issue 5 acceptance): applicant institution, receiving institution, an
uninvolved institution (sees nothing: absent from lists, 404 on detail and actions), and each
built-in role (doctor, nurse, pharmacist, institution admin, community admin, supervisor)."""

from __future__ import annotations

from typing import Any

import pytest

from yigongti.centers.referral.tests.conftest import URL, client, create_draft, draft_body, post
from yigongti.core.audit.models import AuditLog
from yigongti.core.todos import registered_todos


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_both_institutions_see_a_sent_referral_and_an_uninvolved_one_sees_nothing(county: Any) -> None:
    referral = create_draft(county)
    # a draft is the applicant's own: the hospital does not see it yet
    assert ids(client(county.town_doctor).get(URL)) == [referral.pk]
    assert ids(client(county.hosp_doctor).get(URL)) == []
    assert client(county.hosp_doctor).get(f"{URL}/{referral.pk}").status_code == 404
    post(county.town_doctor, referral, "submit")
    assert ids(client(county.hosp_doctor).get(URL)) == [referral.pk]
    assert client(county.hosp_doctor).get(f"{URL}/{referral.pk}").json()["number"] == referral.number
    # an uninvolved institution: absent from the list, 404 on detail, actions, timeline, transitions
    far = client(county.far_doctor)
    assert ids(far.get(URL)) == []
    for path in ("", "/actions", "/timeline", "/shared", "/print"):
        response = far.get(f"{URL}/{referral.pk}{path}")
        assert (response.status_code, response.json()["code"]) == (404, "NOT_FOUND"), path
    for action in ("cancel", "arrange"):
        assert post(county.far_doctor, referral, action, {"comment": "x"}).status_code == 404
    referral.refresh_from_db()
    assert referral.status == "submitted"


@pytest.mark.parametrize(
    ("role", "list_code", "create_code"),
    [
        ("doctor", 200, 201),
        ("nurse", 200, 403),
        ("pharmacist", 403, 403),
        ("institution_admin", 200, 201),
        ("community_admin", 200, 201),
        ("referral_officer", 200, 403),
    ],
)
def test_roles_of_the_applicant_institution(county: Any, role: str, list_code: int, create_code: int) -> None:
    referral = create_draft(county)
    user = county.user(county.town, role)
    c = client(user)
    assert c.get(URL).status_code == list_code
    assert c.post(URL, draft_body(county), format="json").status_code == create_code
    if list_code == 200:
        assert ids(c.get(URL))[-1] == referral.pk


def test_supervisor_reads_everything_and_changes_nothing(county: Any) -> None:
    referral = create_draft(county)
    post(county.town_doctor, referral, "submit")
    supervisor = county.user(None, "supervisor")
    c = client(supervisor)
    assert ids(c.get(URL)) == [referral.pk]
    body = c.get(f"{URL}/{referral.pk}").json()
    assert body["actions"] == []
    assert c.post(URL, draft_body(county), format="json").status_code == 403
    assert post(supervisor, referral, "applicant-approve").status_code == 403
    assert post(supervisor, referral, "cancel", {"comment": "x"}).status_code == 403


def test_nurse_may_read_but_not_act(county: Any) -> None:
    referral = create_draft(county)
    nurse = county.user(county.town, "nurse")
    assert client(nurse).get(f"{URL}/{referral.pk}").json()["actions"] == []
    response = post(nurse, referral, "submit")
    assert (response.status_code, response.json()["code"]) == (403, "PERMISSION_DENIED")


def test_community_admin_of_the_community_sees_both_sides(county: Any) -> None:
    referral = create_draft(county)
    post(county.town_doctor, referral, "submit")
    admin = county.user(county.town, "community_admin")
    far_admin = county.user(county.far, "community_admin")
    assert ids(client(admin).get(URL)) == [referral.pk]
    assert ids(client(far_admin).get(URL)) == []


def test_only_the_applicant_institution_edits_a_draft(county: Any) -> None:
    referral = create_draft(county)
    changed = client(county.town_doctor).patch(f"{URL}/{referral.pk}", {"reason": "胸痛加重"}, format="json")
    assert changed.status_code == 200 and changed.json()["reason"] == "胸痛加重"
    assert client(county.hosp_doctor).patch(f"{URL}/{referral.pk}", {"reason": "x"}, format="json").status_code == 404
    post(county.town_doctor, referral, "submit")
    late = client(county.town_doctor).patch(f"{URL}/{referral.pk}", {"reason": "x"}, format="json")
    assert (late.status_code, late.json()["code"]) == (409, "REFERRAL_NOT_EDITABLE")
    assert AuditLog.objects.filter(action="referral.referral.update").count() == 1


def test_views_and_filters(county: Any) -> None:
    up = create_draft(county)
    post(county.town_doctor, up, "submit")
    down = create_draft(county, user=county.hosp_doctor, direction="down", to_institution=county.town.pk,
                        resident=None, patient={"id_number": county.resident.id_number, "name": "孙大明"})  # fmt: skip
    post(county.hosp_doctor, down, "submit")
    c = client(county.town_doctor)
    assert ids(c.get(URL, {"view": "outbound"})) == [up.pk]
    assert ids(c.get(URL, {"view": "inbound"})) == [down.pk]
    assert ids(c.get(URL, {"view": "mine"})) == [up.pk]
    assert ids(c.get(URL, {"direction": "down"})) == [down.pk]
    assert ids(c.get(URL, {"status": ["submitted"], "patient": "孙"})) == [down.pk, up.pk]
    assert ids(c.get(URL, {"search": up.number})) == [up.pk]
    assert ids(c.get(URL, {"to_institution": county.hospital.pk})) == [up.pk]


def test_workbench_todos_count_per_side(county: Any) -> None:
    referral = create_draft(county)
    post(county.town_doctor, referral, "submit")
    todos = {t.code: t for t in registered_todos()}

    class Req:
        def __init__(self, user: Any) -> None:
            self.user = user

    assert todos["referral.outbound_review"].count(Req(county.town_officer)) == 1
    assert todos["referral.inbound_review"].count(Req(county.hosp_officer)) == 0
    post(county.town_officer, referral, "applicant-approve")
    assert todos["referral.outbound_review"].count(Req(county.town_officer)) == 0
    assert todos["referral.inbound_review"].count(Req(county.hosp_officer)) == 1
    assert todos["referral.inbound_review"].count(Req(county.town_officer)) == 0
