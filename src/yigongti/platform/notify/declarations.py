"""How an app declares the message types it sends; the platform's own types.

A center declares its types once, in code, from its ``AppConfig.ready()``::

    from yigongti.platform.notify.declarations import GroupSpec, TypeSpec, declare_message_types

    declare_message_types(
        GroupSpec("referral", "双向转诊", sort=20),
        TypeSpec(
            "referral.submitted", "转诊申请待审核",
            variables={"patient": "患者", "from_institution": "转出机构"},
            title="{{ from_institution }} 提交了 {{ patient }} 的转诊申请",
            recipient_parties=["reviewer"], handling_mode="must_handle", unique_handling=True,
        ),
    )

After every ``migrate`` the missing groups and types are created (``seed_message_types``). Rows that
exist are never changed: administrators own them from then on (templates, channels, roles…).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from yigongti.platform.notify.choices import Channel, DisplayMode, HandlingMode


@dataclass(frozen=True)
class GroupSpec:
    code: str
    name: str
    sort: int = 0
    description: str = ""


@dataclass(frozen=True)
class TypeSpec:
    code: str
    name: str
    title: str
    variables: dict[str, str] = field(default_factory=dict)
    body: str = ""
    sms: str = ""
    sms_template_code: str = ""
    channels: tuple[str, ...] = (Channel.IN_APP, Channel.REALTIME)
    persisted: bool = True
    display_mode: str = DisplayMode.TOAST
    handling_mode: str = HandlingMode.NONE
    unique_handling: bool = False
    sound: bool = False
    recipient_roles: tuple[str, ...] = ()
    recipient_parties: tuple[str, ...] = ()
    sender_roles: tuple[str, ...] = ()
    topic: str = ""
    urgent: bool = False
    description: str = ""

    def fields(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title_template": self.title,
            "body_template": self.body,
            "sms_template": self.sms,
            "sms_template_code": self.sms_template_code,
            "variables": dict(self.variables),
            "channels": list(self.channels),
            "persisted": self.persisted,
            "display_mode": self.display_mode,
            "handling_mode": self.handling_mode,
            "unique_handling": self.unique_handling,
            "sound": self.sound,
            "recipient_roles": list(self.recipient_roles),
            "recipient_parties": list(self.recipient_parties),
            "sender_roles": list(self.sender_roles),
            "topic": self.topic,
            "urgent": self.urgent,
            "description": self.description,
        }


_DECLARED: dict[str, tuple[GroupSpec, list[TypeSpec]]] = {}


def declare_message_types(group: GroupSpec, *types: TypeSpec) -> None:
    """Register ``types`` under ``group`` (call from ``AppConfig.ready``; repeated calls merge)."""
    _, known = _DECLARED.setdefault(group.code, (group, []))
    codes = {t.code for t in known}
    known.extend(t for t in types if t.code not in codes)


def declared() -> dict[str, tuple[GroupSpec, list[TypeSpec]]]:
    return {code: (group, list(types)) for code, (group, types) in _DECLARED.items()}


@transaction.atomic
def seed_message_types() -> int:
    """Create declared groups and types that do not exist yet; returns how many types were created."""
    from yigongti.platform.notify.models import MessageType, MessageTypeGroup

    created = 0
    for group_spec, types in _DECLARED.values():
        group, _ = MessageTypeGroup.objects.get_or_create(
            code=group_spec.code,
            defaults={"name": group_spec.name, "sort": group_spec.sort, "description": group_spec.description},
        )
        existing = set(MessageType.objects.filter(code__in=[t.code for t in types]).values_list("code", flat=True))
        for spec in types:
            if spec.code in existing:
                continue
            MessageType.objects.create(code=spec.code, group=group, is_builtin=True, **spec.fields())
            created += 1
    return created


def seed_after_migrate(sender: Any, using: str = "default", verbosity: int = 1, **kwargs: Any) -> None:
    from django.db import connections
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    leaves = set(loader.graph.leaf_nodes(sender.label))
    if using != "default" or not leaves or not leaves <= set(loader.applied_migrations):
        return
    created = seed_message_types()
    if verbosity >= 1 and created:
        sys.stdout.write(f"  消息类型：新增 {created} 个\n")


# -- what the platform itself sends ------------------------------------------------------------
declare_message_types(
    GroupSpec("system", "系统消息", sort=10, description="平台公告等系统消息"),
    TypeSpec(
        "system.announcement",
        "公告通知",
        variables={"title": "公告主题", "publisher": "发布人", "summary": "内容摘要"},
        title="{{ title }}",
        body="{{ publisher }} 发布了公告：{{ summary }}",
        display_mode=DisplayMode.POPUP,
        sound=True,
        topic="announcement",
        description="发布公告时通知公告的收件范围",
    ),
)
declare_message_types(
    GroupSpec("security", "安全提醒", sort=20, description="账号与登录安全相关的提醒"),
    TypeSpec(
        "security.password_expiring",
        "密码即将过期提醒",
        variables={"name": "姓名", "days": "剩余天数", "expires_on": "过期日期"},
        title="您的登录密码将在 {{ days }} 天后过期",
        body="{{ name }}，您的登录密码将于 {{ expires_on }} 过期，请及时在个人中心修改密码。",
        topic="security",
        description="密码过期前 7、3、1 天每天提醒本人一次",
    ),
    TypeSpec(
        "security.account_locked",
        "账号锁定通知",
        variables={
            "username": "账号",
            "name": "姓名",
            "institution": "所属机构",
            "ip": "登录地址",
            "failures": "连续失败次数",
            "minutes": "锁定分钟数",
            "locked_at": "锁定时间",
        },
        title="账号 {{ username }} 因连续登录失败被锁定",
        body=(
            "{{ name }}（{{ username }}，{{ institution }}）于 {{ locked_at }} 从 {{ ip }} 连续 {{ failures }} 次"
            "登录失败，账号已锁定 {{ minutes }} 分钟。如非本人操作，请核查。"
        ),
        display_mode=DisplayMode.POPUP,
        handling_mode=HandlingMode.MUST_HANDLE,
        unique_handling=True,
        sound=True,
        recipient_roles=("secadmin",),
        topic="security",
        description="账号因连续登录失败被锁定时通知安全保密管理员，一人处理即关闭",
    ),
)
