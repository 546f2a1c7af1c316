"""Built-in global roles (内置角色, PLAT-03 / SEC-05 三员分立).

Every role's permission codes are computed from the catalogue (``yigongti.core.catalog``) at the
moment ``ensure_builtin_roles`` runs, by prefix and action: a new app that registers its menus
(``codes.*``, ``registry.*``…) is picked up the next time it runs (it runs after every
``migrate``), and a code that is not in the catalogue is never stored.

The three administrator roles of 等保三级 are mutually exclusive (see ``services.user_set_roles``):

* ``sysadmin`` 系统管理员 — runs the platform: organisation, accounts (create, change, disable,
  reset passwords, unlock) and dictionaries. Cannot grant roles and never sees the audit log.
* ``secadmin`` 安全保密管理员 — grants and edits roles, unlocks accounts, resets passwords, sees
  and ends online sessions. Cannot create accounts and never sees the audit log.
* ``auditor`` 安全审计员 — reads and exports the audit and login logs, verifies the hash chain;
  nothing else at all.

Business roles (no 三员类别):

* ``community_admin`` 医共体管理员 — the whole community: organisation, residents, reads accounts
  and dictionaries.
* ``institution_admin`` 机构管理员 — the same for one institution (cannot change the community).
* ``doctor`` 医生 — reads the organisation, registers and edits residents of its institution.
* ``nurse`` 护士 — reads the organisation, registers residents.
* ``pharmacist`` 药师, ``technician`` 医技人员 — read the organisation and residents.
* ``public_health`` 公卫医生 — everything in the resident registry including unmasked sensitive
  fields, for its institution.
* ``supervisor`` 卫健委监管 — reads everything business-related across the county, changes nothing
  (no accounts, no audit log, no sensitive fields).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction

from yigongti.core.catalog import MenuEntry, menus
from yigongti.core.scope import DataScope
from yigongti.platform.accounts.choices import AdminKind
from yigongti.platform.accounts.models import Role

Selector = Callable[[MenuEntry, str], bool]


def prefixed(*prefixes: str, actions: Iterable[str] | None = None, exclude: Iterable[str] = ()) -> Selector:
    """Actions of menus whose code starts with one of ``prefixes`` (all actions, or only ``actions``)."""
    allowed = set(actions) if actions is not None else None
    excluded = set(exclude)

    def select(entry: MenuEntry, action: str) -> bool:
        code = f"{entry.code}.{action}"
        if code in excluded or entry.code in excluded:
            return False
        if allowed is not None and action not in allowed:
            return False
        return any(entry.code == p.rstrip(".") or entry.code.startswith(p) for p in prefixes)

    return select


def exact(*codes: str) -> Selector:
    wanted = set(codes)
    return lambda entry, action: f"{entry.code}.{action}" in wanted


def view_only(*, exclude_prefixes: Iterable[str] = ()) -> Selector:
    skip = tuple(exclude_prefixes)
    return lambda entry, action: action == "view" and not entry.code.startswith(skip)


def codes_for(*selectors: Selector) -> list[str]:
    """Catalogue codes matched by any selector, plus the menu code of every menu touched."""
    chosen: set[str] = set()
    for entry in menus():
        picked = [a for a, _ in entry.actions if any(s(entry, a) for s in selectors)]
        if picked:
            chosen.add(entry.code)
            chosen.update(f"{entry.code}.{a}" for a in picked)
    return sorted(chosen)


ORG_VIEW = prefixed("org.", actions=["view"])
FILES = prefixed("files.")  # attachments: access still follows the owning record
CONTACTS = exact("notify.contact.view")  # the address book (通讯录), scoped like staff
COMMUNITY_WRITES = [f"org.community.{a}" for a in ("add", "change", "delete", "import")]


@dataclass(frozen=True)
class BuiltinRole:
    code: str
    name: str
    data_scope: str
    selectors: tuple[Selector, ...]
    admin_kind: str = ""
    requires_otp: bool = False
    description: str = ""

    def permission_codes(self) -> list[str]:
        return codes_for(*self.selectors, *_GRANTS.get(self.code, ()))


# Centers extend the business roles from their own ``permissions.py`` (``grant("doctor", prefixed("referral."))``)
# and may add roles of their own (``register_role``), so this module never lists a center's codes.
_GRANTS: dict[str, list[Selector]] = {}
_EXTRA_ROLES: dict[str, BuiltinRole] = {}
ADMIN_ROLE_CODES = frozenset({"sysadmin", "secadmin", "auditor"})


def grant(role_code: str, *selectors: Selector) -> None:
    """Give a built-in business role more catalogue codes. The 三员 roles cannot be extended this way."""
    if role_code in ADMIN_ROLE_CODES:
        raise ValueError(f"三员角色 {role_code} 的权限不能由业务中心扩展")
    _GRANTS.setdefault(role_code, []).extend(selectors)


def register_role(spec: BuiltinRole) -> BuiltinRole:
    """Add a built-in business role declared by a center (e.g. 转诊管理员, 审方药师)."""
    if spec.admin_kind:
        raise ValueError("业务中心不能声明三员角色")
    _EXTRA_ROLES[spec.code] = spec
    return spec


def builtin_roles() -> tuple[BuiltinRole, ...]:
    return (*BUILTIN_ROLES, *_EXTRA_ROLES.values())


BUILTIN_ROLES: tuple[BuiltinRole, ...] = (
    BuiltinRole(
        "sysadmin",
        "系统管理员",
        DataScope.ALL,
        (
            prefixed(
                "org.",
                "accounts.user.",
                "codes.",
                "numbering.",
                "jobs.",
                "workflow.",
                "notify.message_type.",
                "notify.message.",
                "notify.sms.",
            ),
        ),
        admin_kind=AdminKind.SYSTEM,
        requires_otp=True,
        description="三员之一：维护机构、账号与字典；不能分配角色，不能查看审计日志。",
    ),
    BuiltinRole(
        "secadmin",
        "安全保密管理员",
        DataScope.ALL,
        (
            prefixed("accounts.role.", "accounts.session."),
            exact("accounts.user.view", "accounts.user.unlock", "accounts.user.reset_password"),
        ),
        admin_kind=AdminKind.SECURITY,
        requires_otp=True,
        description="三员之一：分配角色与权限、解锁账号、重置密码、管理在线会话；不能查看审计日志。",
    ),
    BuiltinRole(
        "auditor",
        "安全审计员",
        DataScope.ALL,
        (prefixed("audit."),),
        admin_kind=AdminKind.AUDITOR,
        requires_otp=True,
        description="三员之一：只能查询、导出和校验审计日志与登录日志。",
    ),
    BuiltinRole(
        "community_admin",
        "医共体管理员",
        DataScope.COMMUNITY,
        (
            prefixed("org.", "registry.", "files.", "notify.announcement.", "workflow.approval_setting."),
            exact("accounts.user.view", "notify.contact.view"),
            prefixed("codes.", actions=["view"]),
        ),
        description="管理本医共体的组织机构与居民档案，查看账号与字典。",
    ),
    BuiltinRole(
        "institution_admin",
        "机构管理员",
        DataScope.INSTITUTION,
        (
            prefixed(
                "org.",
                "registry.",
                "files.",
                "notify.announcement.",
                "workflow.approval_setting.",
                exclude=COMMUNITY_WRITES,
            ),
            exact("accounts.user.view", "notify.contact.view"),
            prefixed("codes.", actions=["view"]),
        ),
        description="管理本机构的科室、人员、床位、设备与居民档案，查看账号与字典。",
    ),
    BuiltinRole(
        "doctor",
        "医生",
        DataScope.INSTITUTION,
        (
            ORG_VIEW,
            FILES,
            CONTACTS,
            exact("registry.resident.view", "registry.resident.add", "registry.resident.change"),
        ),
        description="查看组织机构，登记和修改本机构居民档案。",
    ),
    BuiltinRole(
        "nurse",
        "护士",
        DataScope.INSTITUTION,
        (ORG_VIEW, FILES, CONTACTS, exact("registry.resident.view", "registry.resident.add")),
        description="查看组织机构，查询和登记本机构居民档案。",
    ),
    BuiltinRole(
        "pharmacist",
        "药师",
        DataScope.INSTITUTION,
        (ORG_VIEW, CONTACTS, exact("registry.resident.view", "files.attachment.view")),
        description="查看组织机构与本机构居民档案。",
    ),
    BuiltinRole(
        "technician",
        "医技人员",
        DataScope.INSTITUTION,
        (ORG_VIEW, CONTACTS, exact("registry.resident.view"), FILES),
        description="检验、影像、心电等医技人员：查看组织机构与本机构居民档案。",
    ),
    BuiltinRole(
        "public_health",
        "公卫医生",
        DataScope.INSTITUTION,
        (ORG_VIEW, FILES, CONTACTS, prefixed("registry.")),
        description="管理本机构居民档案（含查看未脱敏的敏感信息）。",
    ),
    BuiltinRole(
        "supervisor",
        "卫健委监管",
        DataScope.ALL,
        (view_only(exclude_prefixes=("accounts.", "audit.")),),
        description="县卫健委监管人员：只读查看全县业务数据，不能修改，不能查看账号与审计日志。",
    ),
)


@transaction.atomic
def ensure_builtin_roles() -> dict[str, Role]:
    """Create or refresh the built-in global roles (idempotent); returns them by code."""
    result: dict[str, Role] = {}
    for spec in builtin_roles():
        role = Role.objects.filter(code=spec.code).first() or Role(code=spec.code)
        role.name = spec.name
        role.institution = None
        role.admin_kind = spec.admin_kind
        role.data_scope = spec.data_scope
        role.permission_codes = spec.permission_codes()
        role.requires_otp = spec.requires_otp
        role.description = spec.description
        role.is_builtin = True
        role.full_clean()
        role.save()
        role.custom_institutions.clear()
        result[spec.code] = role
    return result
