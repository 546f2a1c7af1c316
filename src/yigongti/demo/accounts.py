"""Demo login accounts: the three administrators (三员), one account per typical role, and an
account for about a tenth of the staff (username ``u`` + 工号), all with one shared password."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone

from yigongti.demo import places
from yigongti.demo.org_builder import OrgResult, StaffRow
from yigongti.demo.org_data import POST_ROLE
from yigongti.platform.accounts.builtin_roles import ensure_builtin_roles
from yigongti.platform.accounts.models import Role, User

# Satisfies the password policy (8+ characters, 3+ classes, no username). Demo only.
DEMO_PASSWORD = "Yigongti@2026"
STAFF_ACCOUNT_SHARE = 0.10


@dataclass(frozen=True)
class AccountSpec:
    username: str
    role: str
    name: str = ""  # fixed display name; empty = the linked staff member's name
    inst_key: str = ""  # institution of the account ("" = none, e.g. the health commission)
    dept_name: str = ""
    staff_kind: str = ""  # link to a staff member of this kind in that department


ACCOUNT_SPECS: tuple[AccountSpec, ...] = (
    AccountSpec("sysadmin", "sysadmin", "系统管理员", "lead", "信息科"),
    AccountSpec("secadmin", "secadmin", "安全保密管理员", "lead", "信息科"),
    AccountSpec("auditor", "auditor", "安全审计员", "lead", "院办公室"),
    AccountSpec("admin_county", "community_admin", "", "lead", "医务科", "dm"),
    AccountSpec("doctor_county", "doctor", "", "lead", "心血管内科", "d"),
    AccountSpec("doctor_qingshi", "doctor", "", "town:0", "全科医疗科", "fd"),
    AccountSpec("doctor_liuhe", "doctor", "", "town:1", "全科医疗科", "fd"),
    AccountSpec("nurse_county", "nurse", "", "lead", "心血管内科", "n"),
    AccountSpec("pharmacist_county", "pharmacist", "", "lead", "药剂科", "p"),
    AccountSpec("gongwei_qingshi", "public_health", "", "town:0", "公共卫生科", "ph"),
    AccountSpec("supervisor", "supervisor", "卫健委监管员"),
)
DEMO_USERNAMES = tuple(spec.username for spec in ACCOUNT_SPECS)


def create_demo_users(*, org: OrgResult, rng: random.Random, staff_accounts: bool = True) -> int:
    """Create the demo accounts; returns how many users were created."""
    roles = ensure_builtin_roles()
    for username in DEMO_USERNAMES:
        validate_password(DEMO_PASSWORD, User(username=username))
    # One hash for every demo account: hashing ~100 passwords with PBKDF2 would take most of a
    # minute, and the accounts share the password anyway. Logging in upgrades each hash.
    encoded = make_password(DEMO_PASSWORD)
    now = timezone.now()
    users: list[User] = []
    user_roles: list[tuple[User, Role]] = []
    linked: set[int] = set()

    def add(username: str, name: str, role: Role, row: StaffRow | None, inst_key: str, dept_name: str) -> None:
        inst = org.institution(inst_key) if inst_key else None
        dept = org.department(inst_key, dept_name) if inst_key and dept_name else None
        staff = row.staff if row else None
        user = User(
            username=username,
            password=encoded,
            name=name or (staff.name if staff else username),
            staff=staff,
            institution=inst,
            department=staff.department if staff else dept,
            phone=staff.phone if staff else "",
            must_change_password=False,
            password_changed_at=now,
        )
        users.append(user)
        user_roles.append((user, role))
        if staff is not None:
            linked.add(staff.pk)

    for spec in ACCOUNT_SPECS:
        row = None
        if spec.staff_kind:
            dept = org.department(spec.inst_key, spec.dept_name)
            row = next(
                r for r in org.staff
                if r.staff.department_id == dept.pk and r.kind == spec.staff_kind and r.staff.pk not in linked
            )  # fmt: skip
        add(spec.username, spec.name, roles[spec.role], row, spec.inst_key, spec.dept_name)
    if staff_accounts:
        eligible = [r for r in org.staff if r.staff.pk not in linked]
        for row in sorted(
            rng.sample(eligible, round(len(org.staff) * STAFF_ACCOUNT_SHARE)), key=lambda r: r.staff.code
        ):
            role = roles[POST_ROLE[row.staff.post.code if row.staff.post else "clinician"]]
            add(f"u{row.staff.code}", "", role, row, row.inst_key, "")
    User.objects.bulk_create(users)
    through = User.roles.through
    through.objects.bulk_create([through(user_id=u.pk, role_id=r.pk) for u, r in user_roles])
    return len(users)


def demo_accounts() -> list[tuple[str, str, str]]:
    """(username, role name, institution name) of the named demo accounts that exist."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=DEMO_USERNAMES)
        .select_related("institution", "department")
        .prefetch_related("roles")
    }
    result = []
    for spec in ACCOUNT_SPECS:
        user = users.get(spec.username)
        if user is None:
            continue
        role_names = "、".join(r.name for r in user.roles.all())
        inst = user.institution.name if user.institution else places.HEALTH_COMMISSION
        if user.department_id and user.department is not None:
            inst = f"{inst} {user.department.name}"
        result.append((user.username, role_names, inst))
    return result


def otp_usernames() -> list[str]:
    return [spec.username for spec in ACCOUNT_SPECS if spec.role in ("sysadmin", "secadmin", "auditor")]


def account_lines(accounts: list[tuple[str, str, str]] | None = None, *, staff_users: int = 0) -> list[str]:
    """The printable table of demo accounts (used by ``demo-county`` and ``demo-accounts``)."""
    accounts = demo_accounts() if accounts is None else accounts
    if not accounts:
        return ["数据库中没有演示账号（演示数据由 yigongti demo-county 生成）。"]
    width = max(len(u) for u, _, _ in accounts)
    role_width = max(len(r) for _, r, _ in accounts)
    lines = [f"演示账号（统一密码：{DEMO_PASSWORD}，登录后无需修改）："]
    lines += [f"  {u.ljust(width)}  {r.ljust(role_width, '　')}  {inst}" for u, r, inst in accounts]
    if staff_users:
        lines.append(f"  另有 {staff_users} 个人员账号：用户名为 u+工号，角色与岗位对应，密码相同。")
    admins = [u for u, _, _ in accounts if u in otp_usernames()]
    if admins:
        lines.append(f"注意：{'、'.join(admins)} 属于三员，首次登录时须绑定 TOTP 动态口令（双因素认证）。")
    return lines


def staff_user_count() -> int:
    return (
        User.objects.filter(username__startswith="u", staff__isnull=False).exclude(username__in=DEMO_USERNAMES).count()
    )
