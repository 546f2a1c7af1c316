"""Audit of token issuance: every access token a hospital system obtains is a 用户日志 login row
naming the client, its institution, address and scopes (never the token)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from yigongti.core.audit.choices import Category, LogType
from yigongti.core.audit.context import Actor, client_ip
from yigongti.core.audit.services import AuditEntry, audit_write
from yigongti.platform.integration.models import ApiClient


def token_issued(sender: Any, request: Any, token: Any, **kwargs: Any) -> None:
    client = (
        ApiClient.objects.select_related("institution", "service_user")
        .filter(application_id=token.application_id)
        .first()
    )
    if client is None:
        return
    actor = Actor(
        user_id=client.service_user_id,
        user_code=client.service_user.username,
        user_name=client.name,
        role_names="接口客户端",
        ip=client_ip(request.META, getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0)),
        user_agent=str(request.META.get("HTTP_USER_AGENT", ""))[:300],
        institution_id=client.institution_id,
        institution_name=client.institution.name,
    )
    expires = timezone.localtime(token.expires).strftime("%Y-%m-%d %H:%M")
    audit_write(
        AuditEntry(
            log_type=LogType.USER,
            category=Category.LOGIN,
            action="integration.apiclient.token",
            project="系统集成",
            object_type="integration.apiclient",
            object_id=str(client.pk),
            object_repr=client.name,
            content=f"接口客户端获取访问令牌：{client.name}（授权范围 {token.scope}，有效期至 {expires}）",
            actor=actor,
        )
    )
