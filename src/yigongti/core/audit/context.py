"""Who is acting, from where: set once per request by the middleware, read by ``audit_write``."""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user_id: int | None = None
    user_code: str = ""
    user_name: str = ""
    role_names: str = ""
    ip: str = ""
    user_agent: str = ""
    institution_id: int | None = None
    institution_name: str = ""
    department_name: str = ""


SYSTEM_ACTOR = Actor(user_code="system", user_name="系统")
ActorSource = Actor | Callable[[], Actor]
_current: contextvars.ContextVar[ActorSource | None] = contextvars.ContextVar("audit_actor", default=None)


def current_actor() -> Actor:
    source = _current.get()
    if source is None:
        return SYSTEM_ACTOR
    return source if isinstance(source, Actor) else source()


def set_actor(actor: ActorSource | None) -> contextvars.Token[ActorSource | None]:
    """Set the actor, or a (cached) callable that works it out only when something is audited."""
    if actor is not None and not isinstance(actor, Actor):
        actor = functools.cache(actor)
    return _current.set(actor)


def reset_actor(token: contextvars.Token[ActorSource | None]) -> None:
    _current.reset(token)


def client_ip(meta: dict[str, object], proxy_count: int = 0) -> str:
    """The client address; ``X-Forwarded-For`` is trusted only behind ``proxy_count`` proxies."""
    if proxy_count:
        forwarded = str(meta.get("HTTP_X_FORWARDED_FOR", ""))
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxy_count:
            return hops[-proxy_count]
    return str(meta.get("REMOTE_ADDR", ""))
