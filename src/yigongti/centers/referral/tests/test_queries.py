"""The list does not grow queries with its rows (conventions: no N+1)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from yigongti.centers.referral.tests.conftest import URL, client, create_draft


def list_queries(user: Any) -> int:
    c = client(user)
    c.get(URL)  # warm the session and permission caches
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_rows(county: Any) -> None:
    create_draft(county)
    one = list_queries(county.town_doctor)
    for _ in range(4):
        create_draft(county)
    assert list_queries(county.town_doctor) == one


def test_list_count_is_capped_and_says_so(county: Any, monkeypatch: Any) -> None:
    from yigongti.core.api.pagination_capped import CappedPagePagination

    for _ in range(3):
        create_draft(county)
    exact = client(county.town_doctor).get(URL).json()
    assert (exact["count"], exact["count_capped"], len(exact["results"])) == (3, False, 3)
    monkeypatch.setattr(CappedPagePagination, "count_cap", 2)
    capped = client(county.town_doctor).get(URL + "?page_size=1&page=3").json()
    assert (capped["count"], capped["count_capped"], len(capped["results"])) == (2, True, 1)


def submit_queries(county: Any, capture: Any) -> tuple[int, int]:
    from yigongti.platform.notify.models import Message

    referral = create_draft(county)
    c = client(county.town_doctor)
    with CaptureQueriesContext(connection) as ctx, capture(execute=True):
        assert c.post(f"{URL}/{referral.pk}/submit", {}, format="json").status_code == 200
    message = Message.objects.filter(type__code="referral.submitted", object_id=str(referral.pk)).get()
    return len(ctx.captured_queries), message.recipients.count()


def test_submit_queries_do_not_grow_with_the_reviewers(county: Any, django_capture_on_commit_callbacks: Any) -> None:
    submit_queries(county, django_capture_on_commit_callbacks)  # warm caches
    before, one_reviewer = submit_queries(county, django_capture_on_commit_callbacks)
    for _ in range(5):
        county.user(county.town, "referral_officer")
    after, six_reviewers = submit_queries(county, django_capture_on_commit_callbacks)
    assert (one_reviewer, six_reviewers) == (1, 6)
    assert after == before
