"""One error shape for every 4xx: ``{"code", "message", "fields"}`` with Chinese messages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class BusinessError(exceptions.APIException):
    """A rule of the domain refused the request. ``code`` is stable, ``message`` is Chinese."""

    status_code: int = status.HTTP_400_BAD_REQUEST

    def __init__(
        self,
        code: str,
        message: str,
        *,
        fields: dict[str, Any] | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(detail=message, code=code)
        self.error_code = code
        self.message = message
        self.fields = fields or {}
        if status_code is not None:
            self.status_code = status_code


class ConflictError(BusinessError):
    status_code: int = status.HTTP_409_CONFLICT


def not_found() -> exceptions.NotFound:
    """The same answer whether the id does not exist or belongs to another institution."""
    return exceptions.NotFound("记录不存在或无权访问。")


_DEFAULTS: dict[type[exceptions.APIException], tuple[str, str]] = {
    exceptions.NotAuthenticated: ("NOT_AUTHENTICATED", "请先登录。"),
    exceptions.AuthenticationFailed: ("AUTHENTICATION_FAILED", "身份认证失败。"),
    exceptions.PermissionDenied: ("PERMISSION_DENIED", "没有执行该操作的权限。"),
    exceptions.NotFound: ("NOT_FOUND", "记录不存在或无权访问。"),
    exceptions.MethodNotAllowed: ("METHOD_NOT_ALLOWED", "不支持该请求方法。"),
    exceptions.NotAcceptable: ("NOT_ACCEPTABLE", "不支持请求的返回格式。"),
    exceptions.UnsupportedMediaType: ("UNSUPPORTED_MEDIA_TYPE", "不支持的请求内容类型。"),
    exceptions.ParseError: ("PARSE_ERROR", "请求内容格式错误，无法解析。"),
    exceptions.Throttled: ("THROTTLED", "请求过于频繁，请稍后再试。"),
}


def _flatten(detail: Any) -> Any:
    if isinstance(detail, list):
        flat = [_flatten(item) for item in detail]
        if all(isinstance(item, str) for item in flat):
            return flat
        return flat
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    return str(detail)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _validation_payload(detail: Any) -> dict[str, Any]:
    if isinstance(detail, dict):
        fields = _flatten(detail)
        non_field = fields.pop("non_field_errors", None)
        # Model.full_clean() files row-level errors (clean(), UniqueConstraint) under "__all__".
        model_level = fields.pop("__all__", None)
        if model_level:
            non_field = [*_as_list(non_field), *_as_list(model_level)]
        first: str | None = None
        if non_field:
            first = non_field[0] if isinstance(non_field, list) else str(non_field)
        message = first or "提交的数据有误，请检查标出的字段。"
        if non_field:
            fields["non_field_errors"] = non_field
        return {"code": "VALIDATION_ERROR", "message": message, "fields": fields}
    messages = _flatten(detail)
    text = messages[0] if isinstance(messages, list) and messages else str(messages)
    return {"code": "VALIDATION_ERROR", "message": text, "fields": {}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        detail: Any = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        exc = ConflictError("IN_USE", "该记录已被其他数据引用，无法删除。")
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    if request is not None and getattr(getattr(request, "accepted_renderer", None), "format", "json") != "json":
        # An export that fails answers in JSON like every other error, not as a spreadsheet.
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    if isinstance(exc, BusinessError):
        payload = {"code": exc.error_code, "message": exc.message, "fields": exc.fields}
    elif isinstance(exc, exceptions.ValidationError):
        payload = _validation_payload(exc.detail)
    else:
        code, message = next(
            (value for klass, value in _DEFAULTS.items() if isinstance(exc, klass)),
            ("ERROR", "请求无法处理。"),
        )
        text = getattr(exc, "detail", None)
        if isinstance(text, str) and _is_chinese(text):
            message = text
        payload = {"code": code, "message": message, "fields": {}}
    response.data = payload
    return response


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
