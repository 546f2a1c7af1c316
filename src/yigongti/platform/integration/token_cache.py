"""Per-process cache of bearer token → API client → ``ClientPrincipal`` (issue 6 performance).

Resolving a token costs three queries (access token, client with institution, service account);
a HIS sends hundreds of requests a second with the same token. An entry is keyed by the SHA-256
of the token (the token itself is never kept as a key) and lives at most ``TOKEN_CACHE_TTL``
seconds (setting ``INTEGRATION_TOKEN_CACHE_TTL``, default 60) and never beyond the token's own
expiry. Revocation takes effect at once in the process that makes it: saving or deleting an
``ApiClient`` (disable, enable, scope change, secret rotation), deleting or changing an access
token, or saving a service account drops the affected entries (signal receivers below). Other
worker processes (each has its own cache) see the change when their entry expires, at most
``TOKEN_CACHE_TTL`` seconds later — which is why the TTL is short.

Each hit returns a fresh shallow copy of the principal so that per-request attributes set on
``request.user`` never leak between requests or threads.
"""

from __future__ import annotations

import copy
import hashlib
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from oauth2_provider.settings import oauth2_settings

from yigongti.platform.integration.models import ApiClient, ClientPrincipal

DEFAULT_TTL = 60.0
MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class CachedToken:
    principal: ClientPrincipal
    token: Any
    client_id: int
    user_id: int
    token_id: int
    expires_at: float  # time.time() seconds


_lock = threading.Lock()
_entries: dict[str, CachedToken] = {}


def ttl() -> float:
    return float(getattr(settings, "INTEGRATION_TOKEN_CACHE_TTL", DEFAULT_TTL))


def token_key(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def lookup(raw_token: str, *, now: float | None = None) -> tuple[ClientPrincipal, Any] | None:
    """The cached (principal copy, token) of ``raw_token``, or ``None`` when absent or expired."""
    key = token_key(raw_token)
    entry = _entries.get(key)
    if entry is None:
        return None
    if entry.expires_at <= (time.time() if now is None else now):
        with _lock:
            if _entries.get(key) is entry:
                del _entries[key]
        return None
    return copy.copy(entry.principal), entry.token


def store(raw_token: str, principal: ClientPrincipal, token: Any) -> None:
    """Remember a verified token; nothing is cached when the TTL is 0 or the token is about to expire."""
    now = time.time()
    expires_at = now + ttl()
    token_expiry = getattr(token, "expires", None)
    if token_expiry is not None:
        expires_at = min(expires_at, token_expiry.timestamp())
    if expires_at <= now:
        return
    entry = CachedToken(
        principal=copy.copy(principal),
        token=token,
        client_id=principal.api_client.pk,
        user_id=principal.pk,
        token_id=token.pk,
        expires_at=expires_at,
    )
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _drop(lambda e: e.expires_at <= now)
            if len(_entries) >= MAX_ENTRIES:
                _entries.clear()
        _entries[token_key(raw_token)] = entry


def _drop(predicate: Any) -> int:
    stale = [key for key, entry in _entries.items() if predicate(entry)]
    for key in stale:
        del _entries[key]
    return len(stale)


def forget_client(client_id: int) -> int:
    with _lock:
        return _drop(lambda e: e.client_id == client_id)


def forget_user(user_id: int) -> int:
    with _lock:
        return _drop(lambda e: e.user_id == user_id)


def forget_token(token_id: int) -> int:
    with _lock:
        return _drop(lambda e: e.token_id == token_id)


def clear() -> None:
    with _lock:
        _entries.clear()


def size() -> int:
    return len(_entries)


def _client_changed(sender: Any, instance: ApiClient, **kwargs: Any) -> None:
    forget_client(instance.pk)


def _token_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    forget_token(instance.pk)


def _user_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    forget_user(instance.pk)


def connect_signals() -> None:
    """Connected at import (lazy model references: this module is imported while models load)."""
    access_token = oauth2_settings.ACCESS_TOKEN_MODEL
    user = settings.AUTH_USER_MODEL
    post_save.connect(_client_changed, sender=ApiClient, dispatch_uid="integration.token_cache.client_save")
    post_delete.connect(_client_changed, sender=ApiClient, dispatch_uid="integration.token_cache.client_delete")
    post_save.connect(_token_changed, sender=access_token, dispatch_uid="integration.token_cache.token_save")
    post_delete.connect(_token_changed, sender=access_token, dispatch_uid="integration.token_cache.token_delete")
    post_save.connect(_user_changed, sender=user, dispatch_uid="integration.token_cache.user_save")
    post_save.connect(_user_changed, sender=ClientPrincipal, dispatch_uid="integration.token_cache.principal_save")


connect_signals()
