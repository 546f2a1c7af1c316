"""Menus and action codes of 审方规则引擎 (RX-05 AI审方配置)."""

from yigongti.core.catalog import CRUD_ACTIONS, MenuEntry, register
from yigongti.platform.accounts.builtin_roles import exact, grant, prefixed

GROUP, GROUP_NAME = "rx", "县域审方中心"
RULE_CONFIG = "rx.rule_config"

register(
    MenuEntry(RULE_CONFIG, "AI审方配置", GROUP, GROUP_NAME, path="/rx/rule-configs", order=50, actions=CRUD_ACTIONS)
)

# 药师 maintain their institution's configuration; 机构管理员 may change it too; 医共体管理员 owns the
# community default (community scope lets it write rows without an institution of its community).
grant("pharmacist", exact(f"{RULE_CONFIG}.view", f"{RULE_CONFIG}.change", f"{RULE_CONFIG}.export"))
grant("institution_admin", prefixed(f"{RULE_CONFIG}."))
grant("community_admin", prefixed(f"{RULE_CONFIG}."))
