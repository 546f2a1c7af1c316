"""Transport to the regional platform's FHIR server: paged searches through ``core.http``
(timeouts, host allow-list, no redirects). Next pages follow ``Bundle.link[relation=next]``,
only on the configured server's own origin, with a page limit and loop protection."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from typing import Any

from yigongti.core import http


class RegionalError(Exception):
    """The regional platform could not be read (the run stops; rows already saved stay)."""


def _origin(url: str) -> tuple[str, str]:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme, parts.netloc


class FhirSource:
    def __init__(self, base_url: str, *, token: str = "", page_size: int = 100, max_pages: int = 1000) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.page_size = page_size
        self.max_pages = max_pages
        self.pages_read = 0

    def _get(self, url: str) -> dict[str, Any]:
        headers = {"Accept": "application/fhir+json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            response = http.request("GET", url, headers=headers)
        except http.OutboundError as exc:
            raise RegionalError(str(exc)) from None
        if not response.ok:
            raise RegionalError(f"区域平台返回 HTTP {response.status}：{url}")
        try:
            body = response.json()
        except (ValueError, UnicodeDecodeError):
            raise RegionalError(f"区域平台返回的内容不是有效的 JSON：{url}") from None
        if not isinstance(body, dict) or body.get("resourceType") != "Bundle":
            raise RegionalError(f"区域平台返回的不是 FHIR Bundle：{url}")
        return body

    def pages(self, resource_type: str) -> Iterator[list[dict[str, Any]]]:
        """The resources of every page of ``GET <base>/<resource_type>``."""
        url: str | None = f"{self.base_url}/{resource_type}?" + urllib.parse.urlencode({"_count": self.page_size})
        seen: set[str] = set()
        while url:
            if url in seen:
                raise RegionalError(f"区域平台的分页链接出现循环：{url}")
            if len(seen) >= self.max_pages:
                raise RegionalError(f"{resource_type} 超过分页上限 {self.max_pages} 页，已停止。")
            seen.add(url)
            body = self._get(url)
            self.pages_read += 1
            entries = body.get("entry") or []
            yield [e["resource"] for e in entries if isinstance(e, dict) and isinstance(e.get("resource"), dict)]
            url = self._next(body)

    def _next(self, body: dict[str, Any]) -> str | None:
        for link in body.get("link") or []:
            if isinstance(link, dict) and link.get("relation") == "next" and link.get("url"):
                target = urllib.parse.urljoin(self.base_url + "/", str(link["url"]))
                if _origin(target) != _origin(self.base_url):
                    raise RegionalError(f"分页链接指向其他服务器，已拒绝：{target}")
                return target
        return None


def describe(resource: dict[str, Any]) -> str:
    return f"{resource.get('resourceType', '?')}/{resource.get('id', '?')}"
