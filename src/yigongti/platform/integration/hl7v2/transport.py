"""HL7 v2 over HTTP: ``POST /api/v1/integration/hl7/v2`` with one ER7 message, answered with an ACK.

Body content types: ``application/hl7-v2``, ``x-application/hl7-v2+er7`` or ``text/plain``; the
charset comes from the Content-Type, else UTF-8, else GB18030 (still common in Chinese HIS).
The message is stored raw before it is read (see ``services.inbound``). Status: 200 AA, 400 AR,
409 AR (control id reused with other content), 422 AE, 500 AE (stored, retried automatically).
Authentication and permission errors answer in the platform's JSON error shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from yigongti.core.api.permissions import ActionPermission
from yigongti.core.errors import BusinessError
from yigongti.platform.integration import error_codes
from yigongti.platform.integration.choices import Protocol
from yigongti.platform.integration.hl7v2.header import read_header
from yigongti.platform.integration.scopes import HL7_SUBMIT
from yigongti.platform.integration.services.inbound import inbound_process, inbound_receive

MEDIA_TYPE = "application/hl7-v2"
ACCEPTED_TYPES = (MEDIA_TYPE, "x-application/hl7-v2+er7", "text/plain")
MAX_BYTES = 1024 * 1024


def decode(raw: bytes, charset: str | None) -> str:
    for encoding in [c for c in (charset, "utf-8") if c]:
        try:
            return raw.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("gb18030", errors="replace")


class _Er7Parser(BaseParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> str:  # type: ignore[override]  # the ER7 text itself
        raw = stream.read(MAX_BYTES + 1) if stream is not None else b""
        if len(raw) > MAX_BYTES:
            raise BusinessError(error_codes.HL7_TOO_LARGE, "消息过大（上限 1 MB）。", status_code=413)
        charset = None
        for part in (media_type or "").split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset":
                charset = value.strip().strip('"')
        return decode(raw, charset)


class Hl7Parser(_Er7Parser):
    media_type = MEDIA_TYPE


class Hl7Er7Parser(_Er7Parser):
    media_type = "x-application/hl7-v2+er7"


class TextParser(_Er7Parser):
    media_type = "text/plain"


class JsonErrors(BaseContentNegotiation):
    """Errors are JSON whatever the client accepts; the ACK itself is a plain HttpResponse."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        content_type = request.content_type.split(";")[0].strip().lower()
        return next((p for p in parsers if p.media_type == content_type), None)

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


def ack_response(text: str, status: int) -> HttpResponse:
    body = text.replace("\n", "\r")
    return HttpResponse(body.encode("utf-8"), status=status, content_type=f"{MEDIA_TYPE}; charset=utf-8")


class Hl7InboundView(APIView):
    """接收 HL7 v2 ADT 消息（A04 登记、A08 更新、A40 合并），返回 ACK。"""

    parser_classes = [Hl7Parser, Hl7Er7Parser, TextParser]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JsonErrors
    permission_classes = [ActionPermission]
    action_codes = {"post": HL7_SUBMIT}

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.action = request.method.lower() if request.method else ""
        super().initial(request, *args, **kwargs)

    @extend_schema(
        operation_id="integration_hl7_v2_submit",
        request=dict.fromkeys(ACCEPTED_TYPES, OpenApiTypes.STR),
        responses={
            (200, MEDIA_TYPE): OpenApiResponse(OpenApiTypes.STR, description="ACK，MSA-1 = AA"),
            (400, MEDIA_TYPE): OpenApiResponse(OpenApiTypes.STR, description="ACK，MSA-1 = AR（无法解析、不支持）"),
            (409, MEDIA_TYPE): OpenApiResponse(OpenApiTypes.STR, description="ACK，MSA-1 = AR（控制号重复使用）"),
            (422, MEDIA_TYPE): OpenApiResponse(OpenApiTypes.STR, description="ACK，MSA-1 = AE（数据有误）"),
            (500, MEDIA_TYPE): OpenApiResponse(OpenApiTypes.STR, description="ACK，MSA-1 = AE（已保存，将自动重试）"),
        },
    )
    def post(self, request: Request) -> HttpResponse:
        text = request.data if isinstance(request.data, str) else ""
        if not text.strip():
            raise BusinessError(error_codes.HL7_EMPTY, "消息内容为空。")
        user: Any = request.user
        client = getattr(user, "api_client", None) if getattr(user, "is_api_client", False) else None
        institution_id = client.institution_id if client is not None else getattr(user, "institution_id", None)
        if institution_id is None:
            raise BusinessError(
                error_codes.HL7_NO_INSTITUTION, "当前账号未绑定机构，不能提交 HL7 消息。", status_code=403
            )
        header = read_header(text)
        message, _ = inbound_receive(
            protocol=Protocol.HL7V2,
            payload=text,
            client=client,
            institution_id=institution_id,
            message_type=header.message_type,
            control_id=header.control_id,
            sender=header.sender,
        )
        outcome = inbound_process(message=message, actor=user)
        return ack_response(outcome.response, outcome.status)
