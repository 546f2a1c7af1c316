"""Serves the built console (Vue SPA) at ``/`` with history-mode fallback."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import ensure_csrf_cookie

_NOT_BUILT = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>医共体协同平台</title>
<body style="font-family:sans-serif;padding:2em"><h1>控制台尚未构建</h1>
<p>请运行 <code>make run</code>（会自动构建控制台）。接口文档见 <a href="/api/docs/">/api/docs/</a>。</p></body></html>"""


@ensure_csrf_cookie
def console_index(request: HttpRequest) -> HttpResponse:
    index = settings.CONSOLE_DIR / "index.html"
    if index.exists():
        return HttpResponse(index.read_text(encoding="utf-8"), content_type="text/html; charset=utf-8")
    return HttpResponse(_NOT_BUILT, content_type="text/html; charset=utf-8", status=503)


def api_not_found(request: HttpRequest) -> HttpResponse:
    """Unknown API paths answer in the API's error shape, never with an HTML page."""
    from django.http import JsonResponse

    return JsonResponse({"code": "NOT_FOUND", "message": "接口不存在。", "fields": {}}, status=404)
