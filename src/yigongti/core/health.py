"""``GET /api/v1/health``: is the database reachable, is a background worker alive."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yigongti import __version__
from yigongti.core.models import WorkerHeartbeat

WORKER_STALE_AFTER = dt.timedelta(seconds=150)


def health_report() -> tuple[bool, dict[str, Any]]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # the point is to report, not to fail
        database = {"ok": False, "vendor": connection.vendor, "error": type(exc).__name__}
    worker: dict[str, Any] = {"ok": False, "last_seen": None}
    if database["ok"]:
        beat = WorkerHeartbeat.objects.order_by("-last_seen").first()
        if beat is not None:
            worker = {
                "ok": timezone.now() - beat.last_seen < WORKER_STALE_AFTER,
                "last_seen": beat.last_seen.isoformat(),
                "name": beat.name,
            }
    return bool(database["ok"]), {
        "status": "ok" if database["ok"] and worker["ok"] else "degraded",
        "version": __version__,
        "database": database,
        "worker": worker,
    }


class HealthView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        summary="健康检查",
        responses={
            200: inline_serializer(
                "Health",
                {
                    "status": serializers.CharField(),
                    "version": serializers.CharField(),
                    "database": serializers.DictField(),
                    "worker": serializers.DictField(),
                },
            )
        },
    )
    def get(self, request: Request) -> Response:
        db_ok, report = health_report()
        return Response(report, status=200 if db_ok else 503)
