"""Capped-count page pagination: ``count`` stops at the cap and says so; pages past it still work."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from yigongti.core.api.pagination_capped import CappedPagePagination, CappedPaginator


class CapFive(CappedPagePagination):
    count_cap = 5


def paginate(query: str, qs: Any) -> tuple[list[int], dict[str, Any]]:
    request = Request(APIRequestFactory().get(f"/x?{query}"))
    pager = CapFive()
    page = pager.paginate_queryset(qs, request)
    assert page is not None
    ids = [obj.pk for obj in page]
    body = dict(pager.get_paginated_response(ids).data)
    return ids, body


def test_more_rows_than_the_cap_answer_the_cap_as_a_lower_bound(db: Any) -> None:
    qs = ContentType.objects.order_by("pk")
    first = list(qs.values_list("pk", flat=True)[:8])
    assert qs.count() > 8
    ids, body = paginate("page=1&page_size=2", qs)
    assert ids == first[:2]
    assert body == {"count": 5, "count_capped": True, "page": 1, "page_size": 2, "results": first[:2]}


def test_a_page_past_the_cap_is_still_served(db: Any) -> None:
    qs = ContentType.objects.order_by("pk")
    expected = list(qs.values_list("pk", flat=True)[6:8])
    ids, body = paginate("page=4&page_size=2", qs)
    assert ids == expected
    assert (body["count"], body["count_capped"], body["page"]) == (5, True, 4)


def test_fewer_rows_than_the_cap_answer_the_exact_count(db: Any) -> None:
    qs = ContentType.objects.order_by("pk")
    three = qs.filter(pk__in=list(qs.values_list("pk", flat=True)[:3]))
    ids, body = paginate("page=2&page_size=2", three)
    assert len(ids) == 1
    assert (body["count"], body["count_capped"]) == (3, False)
    with pytest.raises(NotFound):
        paginate("page=3&page_size=2", three)


def test_exactly_the_cap_is_not_capped(db: Any) -> None:
    qs = ContentType.objects.order_by("pk")
    five = qs.filter(pk__in=list(qs.values_list("pk", flat=True)[:5]))
    _, body = paginate("page=1&page_size=2", five)
    assert (body["count"], body["count_capped"]) == (5, False)


def test_the_count_query_is_limited_to_cap_plus_one(db: Any) -> None:
    paginator = CappedPaginator(ContentType.objects.order_by("pk"), 2, cap=5)
    with CaptureQueriesContext(connection) as ctx:
        assert paginator.count == 5
    assert len(ctx.captured_queries) == 1
    assert "LIMIT 6" in ctx.captured_queries[0]["sql"].upper()


def test_schema_documents_count_capped() -> None:
    schema = CapFive().get_paginated_response_schema({"type": "array"})
    assert schema["required"] == ["count", "count_capped", "page", "page_size", "results"]
    assert schema["properties"]["count_capped"]["type"] == "boolean"
    assert "下限" in schema["properties"]["count"]["description"]
