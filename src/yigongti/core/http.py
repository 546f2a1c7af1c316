"""The one outbound HTTP client (conventions §10): timeouts, a host allow-list, no redirects.

Built on ``urllib.request`` (httpx is not a dependency). Every call to an external system goes
through ``request``/``post_json``; the host of the URL must be listed in the setting
``OUTBOUND_ALLOWED_HOSTS`` (default: loopback only). Entries are host names or addresses,
``*.example.com`` allows sub-domains. Redirects are not followed (a redirect could leave the
allow-list); proxies from the environment are ignored unless ``OUTBOUND_PROXY`` names one.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

DEFAULT_ALLOWED_HOSTS = ("127.0.0.1", "localhost", "::1")
DEFAULT_TIMEOUT = 10.0
MAX_RESPONSE_BYTES = 1024 * 1024
USER_AGENT = "yigongti-outbound/1"


class OutboundError(Exception):
    """The request did not produce an HTTP answer (refused, timed out, not allowed…)."""


class HostNotAllowed(OutboundError):
    pass


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx is returned to the caller as an ordinary (not ok) response


def allowed_hosts() -> list[str]:
    hosts = getattr(settings, "OUTBOUND_ALLOWED_HOSTS", None)
    return [h.strip().lower() for h in (hosts if hosts is not None else DEFAULT_ALLOWED_HOSTS) if h.strip()]


def host_allowed(host: str) -> bool:
    host = host.lower().strip("[]")
    for entry in allowed_hosts():
        if entry == "*" or host == entry.strip("[]"):
            return True
        if entry.startswith("*.") and host.endswith(entry[1:]):
            return True
    return False


def check_url(url: str) -> urllib.parse.SplitResult:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OutboundError(f"不支持的地址：{url}（只允许 http/https）")
    if not host_allowed(parts.hostname):
        raise HostNotAllowed(f"目标主机 {parts.hostname} 不在外发白名单（OUTBOUND_ALLOWED_HOSTS）中")
    return parts


def _opener() -> urllib.request.OpenerDirector:
    proxy = getattr(settings, "OUTBOUND_PROXY", "")
    proxies = {"http": proxy, "https": proxy} if proxy else {}
    return urllib.request.build_opener(urllib.request.ProxyHandler(proxies), _NoRedirect())


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float | None = None,
) -> HttpResponse:
    """Send one request; any HTTP status comes back as a response, transport failures raise."""
    check_url(url)
    limit = float(timeout if timeout is not None else getattr(settings, "OUTBOUND_TIMEOUT_SECONDS", DEFAULT_TIMEOUT))
    req = urllib.request.Request(url, data=body, method=method.upper())  # noqa: S310 — scheme checked above
    req.add_header("User-Agent", USER_AGENT)
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        with _opener().open(req, timeout=limit) as resp:
            return HttpResponse(resp.status, resp.read(MAX_RESPONSE_BYTES), dict(resp.headers.items()))
    except urllib.error.HTTPError as exc:
        with exc:
            return HttpResponse(exc.code, exc.read(MAX_RESPONSE_BYTES), dict(exc.headers.items()))
    except TimeoutError:
        raise OutboundError(f"请求超时（{limit:g} 秒）：{url}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise OutboundError(f"请求超时（{limit:g} 秒）：{url}") from None
        raise OutboundError(f"无法连接 {url}：{reason}") from None
    except (OSError, ValueError) as exc:
        raise OutboundError(f"请求 {url} 失败：{exc}") from None


def post_json(
    url: str, payload: Any, *, headers: dict[str, str] | None = None, timeout: float | None = None
) -> HttpResponse:
    body = json.dumps(payload, ensure_ascii=False, cls=DjangoJSONEncoder).encode("utf-8")
    merged = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json", **(headers or {})}
    return request("POST", url, body=body, headers=merged, timeout=timeout)
