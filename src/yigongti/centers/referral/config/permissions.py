"""Menus and action codes of 双向转诊配置 (REF-12 … REF-18), and the grants to built-in roles.

| code | who |
|---|---|
| ``referral.settings.view/change`` 转诊设置（审核、资源模式、预约接口） | 机构管理员, 医共体管理员, 转诊管理员 |
| ``referral.schedule.*`` 转诊排班与号源 | 机构管理员, 医共体管理员, 转诊管理员; 医生 ``view`` |
| ``referral.rule.*`` 转诊规则 | 机构管理员, 医共体管理员, 转诊管理员; 医生 ``evaluate`` |
| ``referral.path.*`` 转诊路径 | 机构管理员, 医共体管理员, 转诊管理员; 医生 ``recommend`` |
"""

from __future__ import annotations

from typing import Any

from yigongti.core.catalog import CRUD_ACTIONS, MenuEntry, register
from yigongti.platform.accounts.builtin_roles import grant
from yigongti.platform.integration.scopes import register_scope

GROUP, GROUP_NAME = "referral", "双向转诊"
SETTINGS = "referral.settings"
SCHEDULE = "referral.schedule"
RULE = "referral.rule"
PATH = "referral.path"

register(
    MenuEntry(
        SETTINGS,
        "转诊设置",
        GROUP,
        GROUP_NAME,
        actions=(("view", "查看"), ("change", "修改")),
        path="/referral/settings",
        order=60,
    )
)
register(
    MenuEntry(
        SCHEDULE,
        "转诊排班",
        GROUP,
        GROUP_NAME,
        actions=(*CRUD_ACTIONS, ("generate", "生成号源"), ("slot", "号源开放/关闭/调整")),
        path="/referral/schedules",
        order=61,
    )
)
register(
    MenuEntry(
        RULE,
        "转诊规则",
        GROUP,
        GROUP_NAME,
        actions=(*CRUD_ACTIONS, ("evaluate", "转诊评估")),
        path="/referral/rules",
        order=62,
    )
)
register(
    MenuEntry(
        PATH,
        "转诊路径",
        GROUP,
        GROUP_NAME,
        actions=(*CRUD_ACTIONS, ("recommend", "路径推荐")),
        path="/referral/paths",
        order=63,
    )
)

MENUS = (SETTINGS, SCHEDULE, RULE, PATH)


def _all_of_mine(entry: Any, action: str) -> bool:
    return entry.code in MENUS


def _doctor(entry: Any, action: str) -> bool:
    return (entry.code, action) in {(SCHEDULE, "view"), (RULE, "evaluate"), (PATH, "recommend")}


for role in ("institution_admin", "community_admin", "referral_officer"):
    grant(role, _all_of_mine)
grant("doctor", _doctor)

register_scope("referral.rules", "转诊规则评估与路径推荐", ("referral.rule.evaluate", "referral.path.recommend"))
