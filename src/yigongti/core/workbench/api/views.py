"""``GET /api/v1/workbench``: the signed-in user's home page data."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yigongti.core.api.authentication import ConsoleSessionAuthentication
from yigongti.core.workbench.api.serializers import WorkbenchSerializer
from yigongti.core.workbench.selectors import workbench_for


class WorkbenchView(APIView):
    """Every signed-in console user has a workbench (not hospital systems: session only); what it
    lists follows their permission codes."""

    authentication_classes = [ConsoleSessionAuthentication]
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: WorkbenchSerializer}, summary="工作台：各中心待办、未读消息与公告")
    def get(self, request: Request) -> Response:
        return Response(WorkbenchSerializer(workbench_for(request)).data)
