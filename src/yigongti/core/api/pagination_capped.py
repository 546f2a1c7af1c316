"""Page pagination whose total is counted only up to a cap (large lists: the ``COUNT(*)`` over
hundreds of thousands of rows is most of a list request's time).

``count`` is ``queryset[:cap + 1].count()`` (the database stops after ``cap + 1`` rows). When more
rows exist the answer says ``count = cap`` and ``count_capped = true``: the count is then a lower
bound, and pages past it are still served (an empty ``results`` past the real end).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger
from django.core.paginator import Paginator as DjangoPaginator
from rest_framework.response import Response

from yigongti.core.api.pagination import PagePagination

DEFAULT_COUNT_CAP = 10_000


class CappedPaginator(DjangoPaginator):
    def __init__(self, object_list: Any, per_page: int, *, cap: int = DEFAULT_COUNT_CAP, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        rows: Any = self.object_list
        found = int(rows[: self.cap + 1].count())
        self.capped = found > self.cap
        return min(found, self.cap)

    def validate_number(self, number: Any) -> int:
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            value = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if value < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if self.count and self.capped:
            return value  # the total is unknown past the cap: any page may exist
        if value > self.num_pages and not (value == 1 and self.allow_empty_first_page):
            raise EmptyPage(self.error_messages["no_results"])
        return value

    def page(self, number: Any) -> Page:
        value = self.validate_number(number)
        bottom = (value - 1) * self.per_page
        top = bottom + self.per_page
        if not self.capped and top + self.orphans >= self.count:
            top = self.count
        return Page(self.object_list[bottom:top], value, self)


class CappedPagePagination(PagePagination):
    """``PagePagination`` with ``count`` capped at ``count_cap``; adds ``count_capped``."""

    count_cap = DEFAULT_COUNT_CAP

    def django_paginator_class(self, object_list: Any, per_page: int) -> CappedPaginator:  # type: ignore[override]
        return CappedPaginator(object_list, per_page, cap=self.count_cap)

    def get_paginated_response(self, data: Any) -> Response:
        assert self.page is not None
        paginator = self.page.paginator
        return Response(
            {
                "count": paginator.count,
                "count_capped": bool(getattr(paginator, "capped", False)),
                "page": self.page.number,
                "page_size": paginator.per_page,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        out = super().get_paginated_response_schema(schema)
        out["required"] = ["count", "count_capped", "page", "page_size", "results"]
        out["properties"] = {
            "count": {
                "type": "integer",
                "example": 123,
                "description": f"记录总数；count_capped 为 true 时只是下限（最多数到 {self.count_cap} 条）。",
            },
            "count_capped": {
                "type": "boolean",
                "example": False,
                "description": "为 true 表示实际记录数超过 count（只统计到上限，用于大列表提速）。",
            },
            **{k: v for k, v in out["properties"].items() if k != "count"},
        }
        return out
