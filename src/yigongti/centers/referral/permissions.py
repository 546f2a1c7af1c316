"""Menus, action codes, role grants and workbench to-dos of 双向转诊中心 (REF-04 … REF-11).

| code | who (built-in roles) |
|---|---|
| ``referral.referral.view`` | 医生, 护士, 机构管理员, 医共体管理员, 转诊管理员; 卫健委监管 (view-only rule) |
| ``add``/``change``/``submit``/``cancel`` | 医生, 机构管理员, 医共体管理员 |
| ``review`` (转出/接收审核) | 转诊管理员, 机构管理员, 医共体管理员 (an institution may name an approver role) |
| ``arrange``/``receive``/``feedback``/``return`` | 医生, 机构管理员, 医共体管理员 |
| ``export`` | 医生, 机构管理员, 医共体管理员, 转诊管理员 |
| ``referral.stats.view`` 转诊统计 | 机构管理员, 医共体管理员, 卫健委监管, 医生; ``export``: 机构管理员, 医共体管理员 |
| ``referral.his.submit`` HIS 接口 | no role: OAuth2 scope ``referral.his`` of hospital systems only |

OAuth2 scopes ``referral.his`` and ``referral.read`` (hospital systems) are declared here too.
"""

from __future__ import annotations

from typing import Any

from yigongti.core.catalog import MenuEntry, register
from yigongti.core.scope import DataScope
from yigongti.core.todos import Todo, register_todo
from yigongti.platform.accounts.builtin_roles import BuiltinRole, grant, register_role
from yigongti.platform.integration.scopes import register_scope

BASE = "referral.referral"
ACTIONS: tuple[tuple[str, str], ...] = (
    ("view", "查看"),
    ("add", "新建"),
    ("change", "修改草稿"),
    ("export", "导出"),
    ("submit", "提交"),
    ("review", "审核"),
    ("arrange", "接收安排/拒收"),
    ("receive", "接诊"),
    ("feedback", "反馈/结束"),
    ("cancel", "撤销"),
    ("return", "转回"),
)

register(MenuEntry(BASE, "转诊管理", "referral", "双向转诊", path="/referral/referrals", order=10, actions=ACTIONS))

STATS = "referral.stats"
HIS = "referral.his"
register(
    MenuEntry(
        STATS,
        "转诊统计",
        "referral",
        "双向转诊",
        path="/referral/stats",
        order=50,
        actions=(("view", "查看"), ("export", "导出")),
    )
)
# the HIS interface: an action code without a page, held only by hospital systems (OAuth2 scope)
register(MenuEntry(HIS, "HIS 转诊接口", "referral", "双向转诊", order=90, actions=(("submit", "提交"),)))

REFERRAL_VIEW = f"{BASE}.view"
register_scope(
    "referral.his",
    "双向转诊：创建转诊单、推送临床资料、查询号源与床位、接收状态回调",
    (f"{HIS}.submit", REFERRAL_VIEW, f"{BASE}.add", f"{BASE}.submit", f"{BASE}.cancel"),
)
register_scope("referral.read", "双向转诊：读取转诊单状态及 FHIR ServiceRequest/Task", (REFERRAL_VIEW,))


def _actions(*names: str) -> Any:
    wanted = set(names)
    return lambda entry, action: entry.code == BASE and action in wanted


DOCTOR_ACTIONS = ("view", "add", "change", "export", "submit", "arrange", "receive", "feedback", "cancel", "return")
ALL_ACTIONS = tuple(a for a, _ in ACTIONS)

grant("doctor", _actions(*DOCTOR_ACTIONS))
grant("nurse", _actions("view"))
grant("institution_admin", _actions(*ALL_ACTIONS))
grant("community_admin", _actions(*ALL_ACTIONS))


def _stats(*names: str) -> Any:
    wanted = set(names)
    return lambda entry, action: entry.code == STATS and action in wanted


grant("institution_admin", _stats("view", "export"))
grant("community_admin", _stats("view", "export"))
grant("doctor", _stats("view"))
# supervisor (卫健委监管) reads every view code already (view_only selector), referral.stats.view included
register_role(
    BuiltinRole(
        "referral_officer",
        "转诊管理员",
        DataScope.INSTITUTION,
        (_actions("view", "export", "review"),),  # the configuration menus are granted by referral_config
        description="本机构转诊办：审核转出与转入申请，维护转诊设置、号源与规则。",
    )
)


# -- workbench to-dos --------------------------------------------------------------------------
def _counter(status: str, side: str, *, urgent_only: bool = False) -> Any:
    """Referrals waiting in ``status`` on the user's ``side`` (from/to institution), in scope."""

    def count(request: Any) -> int:
        from yigongti.centers.referral.models import Referral
        from yigongti.centers.referral.selectors import referral_visible

        user = request.user
        ctx = user.scope_context()
        qs = Referral.objects.filter(status=status)
        if urgent_only:
            qs = qs.exclude(urgency="normal")
        qs = referral_visible(qs, user)
        if not ctx.all:
            qs = qs.filter(**{f"{side}_institution_id__in": sorted(ctx.institution_ids)})
        return int(qs.count())

    return count


TODOS = (
    ("referral.outbound_review", "待审核转出", "submitted", "from", "review"),
    ("referral.inbound_review", "待审核转入", "applicant_reviewed", "to", "review"),
    ("referral.to_arrange", "待安排", "receiver_reviewed", "to", "arrange"),
    ("referral.to_receive", "待接诊", "arranged", "to", "receive"),
    ("referral.to_feedback", "待反馈", "received", "to", "feedback"),
)
for order, (code, label, status, side, action) in enumerate(TODOS):
    register_todo(
        Todo(
            code=code,
            label=label,
            center="双向转诊",
            permission=f"{BASE}.{action}",
            path=f"/referral/referrals?status={status}&view={'outbound' if side == 'from' else 'inbound'}",
            count=_counter(status, side),
            urgent=_counter(status, side, urgent_only=True),
            order=order,
        )
    )
