"""API clients of hospital systems: create (the secret is shown once), rotate the secret, disable,
enable. Each write leaves a 数据日志 row; the secret itself never enters the log or the database
in plaintext (django-oauth-toolkit stores a hash)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import (
    AbstractApplication,
    get_access_token_model,
    get_application_model,
    get_refresh_token_model,
)

from yigongti.core.audit.choices import Category
from yigongti.core.audit.services import audit_model_change, snapshot
from yigongti.core.errors import BusinessError, ConflictError
from yigongti.core.scope import apply_scope, model_scope
from yigongti.platform.accounts.models import User
from yigongti.platform.integration import error_codes
from yigongti.platform.integration.models import ApiClient
from yigongti.platform.integration.scopes import SCOPES, codes_for_scopes, unknown_scopes
from yigongti.platform.org.models import Institution

PROJECT = "系统集成"
USERNAME_PREFIX = "api-client."


def _check_scopes(scopes: Sequence[str], actor: Any) -> list[str]:
    wanted = sorted(set(scopes))
    if not wanted:
        raise BusinessError(error_codes.SCOPE_UNKNOWN, "请至少选择一个授权范围。", fields={"scopes": ["不能为空。"]})
    unknown = unknown_scopes(wanted)
    if unknown:
        raise BusinessError(
            error_codes.SCOPE_UNKNOWN,
            f"未知的授权范围：{'、'.join(unknown)}（可选：{'、'.join(SCOPES)}）。",
            fields={"scopes": [f"未知的授权范围：{'、'.join(unknown)}"]},
        )
    if actor is not None:
        # Nobody hands a hospital system data rights they do not hold themselves.
        missing = sorted(
            c for c in codes_for_scopes(wanted) if not c.startswith("integration.") and not actor.has_code(c)
        )
        if missing:
            raise BusinessError(
                error_codes.SCOPE_NOT_GRANTABLE,
                f"您本人没有这些权限，不能授予接口客户端：{'、'.join(missing)}。",
                fields={"scopes": ["超出您本人的权限。"]},
                status_code=403,
            )
    return wanted


def _check_institution(institution: Institution, actor: Any) -> None:
    if actor is None:
        return
    visible = apply_scope(
        Institution.objects.filter(pk=institution.pk), model_scope(Institution), actor.scope_context(), for_write=True
    )
    if not visible.exists():
        raise BusinessError("OUT_OF_SCOPE", "无权为该机构创建接口客户端（超出您的数据权限）。", status_code=403)


def _revoke_tokens(client: ApiClient) -> int:
    get_refresh_token_model().objects.filter(application_id=client.application_id).delete()
    deleted, _ = get_access_token_model().objects.filter(application_id=client.application_id).delete()
    return deleted


def _actor_user(actor: Any) -> Any:
    return actor if isinstance(actor, User) else None


@transaction.atomic
def api_client_create(
    *,
    code: str,
    name: str,
    institution: Institution,
    scopes: Sequence[str],
    description: str = "",
    actor: Any,
) -> tuple[ApiClient, str]:
    """Create the client, its OAuth2 application and service account; returns the plaintext
    secret, which is never retrievable again."""
    scopes = _check_scopes(scopes, actor)
    _check_institution(institution, actor)
    if ApiClient.objects.filter(code=code).exists() or User.objects.filter(username=USERNAME_PREFIX + code).exists():
        raise ConflictError(error_codes.CLIENT_CODE_TAKEN, "该客户端编码已被使用。", fields={"code": ["已被使用。"]})
    user = User(
        username=USERNAME_PREFIX + code,
        name=f"接口客户端：{name}"[:50],
        is_active=True,
        must_change_password=False,
    )
    user.set_unusable_password()
    secret = generate_client_secret()
    application = get_application_model()(
        name=name,
        client_type=AbstractApplication.CLIENT_CONFIDENTIAL,
        authorization_grant_type=AbstractApplication.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        hash_client_secret=True,
        skip_authorization=True,
    )
    client = ApiClient(
        code=code,
        name=name,
        institution=institution,
        scopes=scopes,
        description=description,
        created_by=_actor_user(actor),
        updated_by=_actor_user(actor),
    )
    client.full_clean(exclude=["application", "service_user", "created_by", "updated_by"])
    try:
        with transaction.atomic():
            user.save()
            application.user = user
            application.save()
            client.application, client.service_user = application, user
            client.save(force_insert=True)
    except IntegrityError:
        raise ConflictError(
            error_codes.CLIENT_CODE_TAKEN, "该客户端编码已被使用。", fields={"code": ["已被使用。"]}
        ) from None
    audit_model_change(
        category=Category.CREATE,
        instance=client,
        before=None,
        after=snapshot(client) | {"client_id": application.client_id},
        project=PROJECT,
    )
    return client, secret


def _locked(client: ApiClient) -> ApiClient:
    return ApiClient.objects.select_for_update().select_related("application", "institution").get(pk=client.pk)


@transaction.atomic
def api_client_rotate_secret(*, client: ApiClient, actor: Any) -> tuple[ApiClient, str]:
    """A new secret; the old one and every token issued with it stop working at once."""
    locked = _locked(client)
    secret = generate_client_secret()
    application = locked.application
    application.client_secret = secret
    application.save(update_fields=["client_secret", "updated"])
    revoked = _revoke_tokens(locked)
    before = snapshot(locked)
    locked.secret_rotated_at = timezone.now()
    locked.updated_by = _actor_user(actor)
    locked.save(update_fields=["secret_rotated_at", "updated_by", "updated_at"])
    audit_model_change(
        category=Category.UPDATE,
        instance=locked,
        before=before,
        after=snapshot(locked),
        project=PROJECT,
        content=f"重置接口客户端密钥：{locked.name}，作废访问令牌 {revoked} 个",
    )
    return locked, secret


@transaction.atomic
def api_client_disable(*, client: ApiClient, actor: Any) -> ApiClient:
    locked = _locked(client)
    if not locked.enabled:
        raise ConflictError(error_codes.CLIENT_ALREADY_DISABLED, "该接口客户端已停用。")
    before = snapshot(locked)
    locked.enabled = False
    locked.disabled_at = timezone.now()
    locked.updated_by = _actor_user(actor)
    locked.save(update_fields=["enabled", "disabled_at", "updated_by", "updated_at"])
    revoked = _revoke_tokens(locked)
    audit_model_change(
        category=Category.UPDATE,
        instance=locked,
        before=before,
        after=snapshot(locked),
        project=PROJECT,
        content=f"停用接口客户端：{locked.name}，作废访问令牌 {revoked} 个",
    )
    return locked


@transaction.atomic
def api_client_enable(*, client: ApiClient, actor: Any) -> ApiClient:
    locked = _locked(client)
    if locked.enabled:
        raise ConflictError(error_codes.CLIENT_ALREADY_ENABLED, "该接口客户端已是启用状态。")
    before = snapshot(locked)
    locked.enabled = True
    locked.disabled_at = None
    locked.updated_by = _actor_user(actor)
    locked.save(update_fields=["enabled", "disabled_at", "updated_by", "updated_at"])
    audit_model_change(
        category=Category.UPDATE, instance=locked, before=before, after=snapshot(locked), project=PROJECT
    )
    return locked
