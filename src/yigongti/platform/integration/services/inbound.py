"""Inbound messages: store raw first, process separately, record failures, retry.

1. ``inbound_receive`` commits the raw payload in its own (durable) transaction before anything
   is interpreted, so nothing received is ever lost.
2. ``inbound_process`` runs the protocol's handler in a second durable transaction. A refusal
   (``Rejected``) or any error rolls back every write of the handler — no half-registered
   patient — and the failure, its error and the answer sent (e.g. an AE ACK) are stored in a
   third transaction. Unexpected errors are marked retryable with a backoff; refusals are not.
3. ``inbound_retry`` (admin endpoint) and ``inbound_retry_due`` (periodic task) process again.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from yigongti.core.audit.choices import Category, LogType
from yigongti.core.audit.context import Actor, reset_actor, set_actor
from yigongti.core.audit.services import AuditEntry, audit_write
from yigongti.core.crypto import sm3_hex
from yigongti.core.errors import ConflictError
from yigongti.core.jobs import backoff_delay
from yigongti.platform.integration import error_codes
from yigongti.platform.integration.choices import InboundStatus
from yigongti.platform.integration.models import ApiClient, ClientPrincipal, InboundMessage

logger = logging.getLogger(__name__)
PROJECT = "系统集成"


@dataclass
class Processed:
    response: str = ""
    result: dict[str, Any] = field(default_factory=dict)


class Rejected(Exception):
    """The handler refused the message; ``response`` is the answer to send (e.g. an ACK)."""

    def __init__(self, code: str, text: str, *, response: str = "", status: int = 422, retryable: bool = False):
        super().__init__(text)
        self.code, self.text, self.response, self.status, self.retryable = code, text, response, status, retryable


class Handler(Protocol):
    def process(self, message: InboundMessage, actor: Any) -> Processed: ...

    def error_response(self, message: InboundMessage, text: str) -> str: ...


HANDLERS: dict[str, Handler] = {}


def register_handler(protocol: str, handler: Handler) -> None:
    HANDLERS[protocol] = handler


@dataclass
class Outcome:
    message: InboundMessage
    status: int  # the HTTP status to answer with
    response: str


def inbound_receive(
    *,
    protocol: str,
    payload: str,
    client: ApiClient | None,
    institution_id: int | None,
    message_type: str = "",
    control_id: str = "",
    sender: str = "",
) -> tuple[InboundMessage, bool]:
    """Store the raw message and commit. Returns ``(message, created)``; a message identical to
    one already stored (same sender, control id and content) returns that one."""
    digest = sm3_hex(payload.encode("utf-8"))
    fields = {
        "institution_id": institution_id,
        "protocol": protocol,
        "sender": sender[:200],
        "control_id": control_id[:64],
        "payload_digest": digest,
    }
    if control_id:
        try:
            with transaction.atomic(durable=True):
                return InboundMessage.objects.create(
                    client=client, message_type=message_type[:40], payload=payload, **fields
                ), True
        except IntegrityError:
            existing = InboundMessage.objects.filter(**fields).first()
            if existing is not None:
                return existing, False
            raise
    with transaction.atomic(durable=True):
        return InboundMessage.objects.create(
            client=client, message_type=message_type[:40], payload=payload, **fields
        ), True


def control_id_taken(message: InboundMessage) -> bool:
    """An earlier message from the same sender used this control id for other content."""
    if not message.control_id or message.institution_id is None:
        return False
    return (
        InboundMessage.objects.filter(
            institution_id=message.institution_id,
            protocol=message.protocol,
            sender=message.sender,
            control_id=message.control_id,
            pk__lt=message.pk,
        )
        .exclude(payload_digest=message.payload_digest)
        .exists()
    )


def _record_failure(message_id: int, *, code: str, text: str, response: str, retryable: bool) -> InboundMessage:
    with transaction.atomic(durable=True):
        message = InboundMessage.objects.select_for_update().get(pk=message_id)
        attempts = message.attempts + 1
        limit = int(getattr(settings, "INBOUND_RETRY_MAX_ATTEMPTS", 5))
        retry = retryable and attempts < limit
        base = float(getattr(settings, "INBOUND_RETRY_BASE_SECONDS", 60))
        message.status = InboundStatus.FAILED
        message.error_code = code[:50]
        message.error = text[:4000]
        message.response = response
        message.attempts = attempts
        message.retryable = retry
        message.next_attempt_at = (
            timezone.now() + dt.timedelta(seconds=backoff_delay(attempts, base=base)) if retry else None
        )
        message.save(
            update_fields=[
                "status", "error_code", "error", "response", "attempts", "retryable", "next_attempt_at", "updated_at",
            ]
        )  # fmt: skip
        return message


def inbound_process(*, message: InboundMessage, actor: Any) -> Outcome:
    """Process (or re-process) a stored message; answers with what the sender should receive."""
    handler = HANDLERS[message.protocol]
    try:
        with transaction.atomic(durable=True):
            locked = InboundMessage.objects.select_for_update().get(pk=message.pk)
            if locked.status == InboundStatus.PROCESSED:
                return Outcome(locked, 200, locked.response)
            processed = handler.process(locked, actor)
            locked.status = InboundStatus.PROCESSED
            locked.response, locked.result = processed.response, processed.result
            locked.error_code, locked.error = "", ""
            locked.retryable, locked.next_attempt_at = False, None
            locked.attempts = F("attempts") + 1
            locked.processed_at = timezone.now()
            locked.save(
                update_fields=[
                    "status", "response", "result", "error_code", "error", "retryable", "next_attempt_at", "attempts",
                    "processed_at", "updated_at",
                ]
            )  # fmt: skip
            locked.refresh_from_db(fields=["attempts"])
            return Outcome(locked, 200, locked.response)
    except Rejected as exc:
        failed = _record_failure(
            message.pk, code=exc.code, text=exc.text, response=exc.response, retryable=exc.retryable
        )
        return Outcome(failed, exc.status, exc.response)
    except Exception as exc:
        logger.exception("inbound message %s failed", message.pk)
        text = f"处理失败（系统错误，将自动重试）：{type(exc).__name__}: {exc}"[:1000]
        response = handler.error_response(message, "系统内部错误，消息已保存，将自动重试。")
        failed = _record_failure(
            message.pk, code=error_codes.PROCESSING_ERROR, text=text, response=response, retryable=True
        )
        return Outcome(failed, 500, response)


def principal_for(message: InboundMessage) -> ClientPrincipal | None:
    if message.client_id is None:
        return None
    client = ApiClient.objects.select_related("institution").get(pk=message.client_id)
    return ClientPrincipal.for_client(client)


def inbound_retry(*, message: InboundMessage, actor: Any) -> Outcome:
    """管理员重新处理一条失败的消息 (registry writes act as the message's client)."""
    if message.status != InboundStatus.FAILED:
        raise ConflictError(error_codes.MESSAGE_NOT_FAILED, "只有处理失败的消息可以重新处理。")
    principal = principal_for(message)
    if principal is not None and not principal.api_client.enabled:
        raise ConflictError(error_codes.CLIENT_DISABLED, "发送该消息的接口客户端已停用，不能重新处理。")
    audit_write(
        AuditEntry(
            log_type=LogType.BUSINESS,
            category=Category.SYSTEM,
            action="integration.inboundmessage.retry",
            project=PROJECT,
            object_type="integration.inboundmessage",
            object_id=str(message.pk),
            object_repr=str(message)[:200],
            content=f"重新处理入站消息 #{message.pk}（{message.message_type} {message.control_id}）",
        )
    )
    return inbound_process(message=message, actor=principal or actor)


def _client_actor(principal: ClientPrincipal) -> Actor:
    identity = principal.audit_identity()
    return Actor(
        user_id=principal.pk,
        user_code=principal.username,
        user_name=f"{identity['name']}（自动重试）",
        role_names=str(identity["roles"]),
        institution_id=principal.api_client.institution_id,
        institution_name=str(identity["institution_name"]),
    )


def inbound_retry_due(*, limit: int = 100) -> int:
    """Periodic task: process again the failures that are due. Returns how many were tried."""
    due = list(
        InboundMessage.objects.filter(
            status=InboundStatus.FAILED, retryable=True, next_attempt_at__lte=timezone.now()
        ).order_by("next_attempt_at")[:limit]
    )
    for message in due:
        principal = principal_for(message)
        if principal is not None and not principal.api_client.enabled:
            InboundMessage.objects.filter(pk=message.pk).update(retryable=False, next_attempt_at=None)
            continue
        token = set_actor(_client_actor(principal) if principal is not None else None)
        try:
            inbound_process(message=message, actor=principal)
        finally:
            reset_actor(token)
    return len(due)
