"""Integration (PLAT-10): API clients of hospital systems, inbound messages, regional sync runs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from oauth2_provider.settings import oauth2_settings

from yigongti.core.fields import EncryptedTextField
from yigongti.core.models import TimeStampedModel, TrackedModel
from yigongti.core.scope import ScopeContext, ScopeSpec
from yigongti.platform.accounts.models import User
from yigongti.platform.integration.choices import InboundStatus, Protocol, SyncStatus, SyncTrigger
from yigongti.platform.integration.scopes import codes_for_scopes


class ApiClient(TrackedModel):
    """接口客户端: one hospital system (HIS, LIS…) bound to one institution and a set of scopes.

    It authenticates with the OAuth2 client-credentials grant of its ``application``; requests
    with its tokens act as ``service_user`` seen through ``ClientPrincipal``.
    """

    code = models.SlugField("客户端编码", max_length=50, unique=True)
    name = models.CharField("客户端名称", max_length=100)
    institution = models.ForeignKey(
        "org.Institution", verbose_name="所属机构", on_delete=models.PROTECT, related_name="api_clients"
    )
    application = models.OneToOneField(
        oauth2_settings.APPLICATION_MODEL,
        verbose_name="OAuth2 应用",
        on_delete=models.PROTECT,
        related_name="api_client",
        editable=False,
    )
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="服务账号",
        on_delete=models.PROTECT,
        related_name="api_client",
        editable=False,
    )
    scopes = models.JSONField("授权范围", default=list)
    enabled = models.BooleanField("启用", default=True)
    description = models.CharField("说明", max_length=200, blank=True)
    secret_rotated_at = models.DateTimeField("密钥重置时间", null=True, blank=True)
    disabled_at = models.DateTimeField("停用时间", null=True, blank=True)

    scope_spec = ScopeSpec(institution="institution_id")

    class Meta:
        verbose_name = "接口客户端"
        verbose_name_plural = verbose_name
        ordering = ["institution_id", "code"]

    def __str__(self) -> str:
        return self.name


class ClientPrincipal(User):
    """The request user of a hospital system: its service account, seen through its client.

    A proxy of ``User`` so that everything written for users keeps working unchanged (the generic
    viewsets and services set ``created_by``/``updated_by`` to the request user), while the
    permission codes come from the token's scopes and the data scope is the client's institution.
    """

    class Meta:
        proxy = True
        verbose_name = "接口客户端身份"
        verbose_name_plural = verbose_name

    api_client: ApiClient
    granted_scopes: frozenset[str]

    @classmethod
    def for_client(cls, client: ApiClient, scopes: Any = None) -> ClientPrincipal:
        """The principal of ``client``; ``scopes`` (a token's) are narrowed to the client's own."""
        principal = cls.objects.get(pk=client.service_user_id)
        principal.api_client = client
        allowed = set(client.scopes or [])
        principal.granted_scopes = frozenset(allowed if scopes is None else allowed & set(scopes))
        return principal

    @property
    def is_api_client(self) -> bool:
        return True

    @property
    def institution_pk(self) -> int:
        return self.api_client.institution_id

    def permission_code_set(self) -> frozenset[str]:
        if not (self.is_active and self.api_client.enabled):
            return frozenset()
        return codes_for_scopes(self.granted_scopes)

    def has_code(self, code: str) -> bool:
        return code in self.permission_code_set()

    def admin_kinds(self) -> set[str]:
        return set()

    def requires_otp(self) -> bool:
        return False

    def scope_context(self) -> ScopeContext:
        if not self.api_client.enabled:
            return ScopeContext.nothing()
        return ScopeContext(institution_ids=frozenset({self.api_client.institution_id}), user_id=self.pk)

    def audit_identity(self) -> dict[str, Any]:
        client = self.api_client
        return {
            "name": client.name,
            "roles": f"接口客户端（{' '.join(sorted(self.granted_scopes))}）",
            "institution_id": client.institution_id,
            "institution_name": client.institution.name,
            "department_name": "",
        }


class InboundMessage(TimeStampedModel):
    """入站消息: every message from an external system, stored raw before it is processed.

    The raw payload is committed in its own transaction first; processing runs in a separate
    transaction, so a failure leaves the message (with its error) and nothing half-written.
    The same message sent again (same sender, control id and content) is the same row; the same
    control id with other content is stored too, and refused when processed.
    """

    client = models.ForeignKey(
        ApiClient, verbose_name="接口客户端", null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    institution = models.ForeignKey(
        "org.Institution", verbose_name="来源机构", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    protocol = models.CharField("协议", max_length=10, choices=Protocol.choices)
    message_type = models.CharField("消息类型", max_length=40, blank=True)
    control_id = models.CharField("消息控制号", max_length=64, blank=True)
    sender = models.CharField("发送方", max_length=200, blank=True, help_text="HL7 MSH-3^MSH-4")
    payload = EncryptedTextField("原始报文")
    payload_digest = models.CharField("报文摘要", max_length=64, help_text="SM3")
    status = models.CharField(
        "状态", max_length=10, choices=InboundStatus.choices, default=InboundStatus.RECEIVED, db_index=True
    )
    error_code = models.CharField("错误代码", max_length=50, blank=True)
    error = models.TextField("错误信息", blank=True)
    retryable = models.BooleanField("可自动重试", default=False)
    attempts = models.PositiveIntegerField("处理次数", default=0)
    next_attempt_at = models.DateTimeField("下次重试时间", null=True, blank=True)
    processed_at = models.DateTimeField("处理完成时间", null=True, blank=True)
    response = models.TextField("应答报文", blank=True, help_text="如 HL7 ACK")
    result = models.JSONField("处理结果", default=dict, blank=True)

    scope_spec = ScopeSpec(institution="institution_id")

    class Meta:
        verbose_name = "入站消息"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "protocol", "sender", "control_id", "payload_digest"],
                condition=~Q(control_id=""),
                name="integration_inbound_once",
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="integration_inbound_retry_idx"),
            models.Index(fields=["control_id"], name="integration_inbound_ctrl_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_protocol_display()} {self.message_type} {self.control_id}".strip()


class SyncRun(models.Model):
    """One pull from the regional platform (全民健康信息平台)."""

    started_at = models.DateTimeField("开始时间", auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=SyncStatus.choices, default=SyncStatus.RUNNING)
    trigger = models.CharField("触发方式", max_length=10, choices=SyncTrigger.choices)
    base_url = models.CharField("FHIR 服务地址", max_length=300)
    counts = models.JSONField("数量统计", default=dict, blank=True, help_text="资源类型 → created/updated/…")
    errors = models.JSONField("错误明细", default=list, blank=True)
    error = models.TextField("中止原因", blank=True)

    scope_spec = ScopeSpec(shared="*")  # platform-wide; the permission code decides who reads it

    class Meta:
        verbose_name = "区域平台同步记录"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="running"), name="integration_sync_one_running"
            )
        ]

    def __str__(self) -> str:
        return f"同步 {self.started_at:%Y-%m-%d %H:%M}"

    def total(self, key: str) -> int:
        return sum(int(c.get(key, 0)) for c in (self.counts or {}).values())
