"""Extension points of the mechanism, filled by other apps at start-up.

* ``on_transition(receiver)`` — ``receiver(event)`` runs after the transaction of every transition
  commits (never when it rolls back). The notification service subscribes here and sends
  ``event.message`` (e.g. ``referral.submitted``) when it is not empty.
* ``register_parameter_resolver(fn)`` — ``fn(code, institution_id)`` returns a parameter's value,
  for ``Timer(after=Param(...))`` (the codes app: ``param_value(code, institution=...)``).
* ``register_attachment_validator(fn)`` — ``fn(obj, ids, actor)`` raises when the attachment ids
  sent with a transition do not belong to the actor or the record (the files app).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TransitionEvent:
    workflow: str
    transition: str
    transition_label: str
    message: str
    object_type: str
    """``app_label.model_name``."""
    object_id: str
    from_state: str
    to_state: str
    actor_id: int | None
    actor_name: str
    at: dt.datetime
    timeline_id: int
    comment: str = ""
    attachments: tuple[int, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def system(self) -> bool:
        return self.actor_id is None


Receiver = Callable[[TransitionEvent], None]
_receivers: list[Receiver] = []
_transaction_receivers: list[Receiver] = []


def on_transition(receiver: Receiver) -> Receiver:
    """Subscribe ``receiver`` (usable as a decorator); subscribing twice has no effect.

    It runs after the transition's transaction commits; a failing receiver is logged and never
    undoes the transition (notifications, pushes)."""
    if receiver not in _receivers:
        _receivers.append(receiver)
    return receiver


def on_transition_in_transaction(receiver: Receiver) -> Receiver:
    """Subscribe ``receiver`` to run INSIDE the transition's transaction, right after its timeline row:
    for writes that must commit or roll back with the transition (e.g. an outbox message). An
    exception in it aborts the transition."""
    if receiver not in _transaction_receivers:
        _transaction_receivers.append(receiver)
    return receiver


def disconnect(receiver: Receiver) -> None:
    if receiver in _receivers:
        _receivers.remove(receiver)
    if receiver in _transaction_receivers:
        _transaction_receivers.remove(receiver)


def receivers() -> list[Receiver]:
    return list(_receivers)


def transaction_receivers() -> list[Receiver]:
    return list(_transaction_receivers)


ParameterResolver = Callable[[str, "int | None"], Any]
_parameter_resolver: list[ParameterResolver] = []


def register_parameter_resolver(resolver: ParameterResolver | None) -> None:
    _parameter_resolver[:] = [resolver] if resolver is not None else []


def resolve_parameter(code: str, institution_id: int | None) -> Any:
    """The parameter's value, or ``None`` when no resolver is registered."""
    if not _parameter_resolver:
        return None
    return _parameter_resolver[0](code, institution_id)


AttachmentValidator = Callable[[Any, Sequence[int], Any], None]
_attachment_validators: list[AttachmentValidator] = []


def register_attachment_validator(validator: AttachmentValidator) -> None:
    if validator not in _attachment_validators:
        _attachment_validators.append(validator)


def validate_attachments(obj: Any, ids: Sequence[int], actor: Any) -> None:
    for validator in _attachment_validators:
        validator(obj, ids, actor)
