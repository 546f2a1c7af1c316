"""Menus and action codes of 合理用药知识库 (RX-05 知识库维护)."""

from yigongti.core.catalog import CRUD_ACTIONS, MenuEntry, register
from yigongti.platform.accounts.builtin_roles import grant, prefixed

GROUP, GROUP_NAME = "rx", "县域审方中心"
PREFIX = "rx.knowledge."

VERSION = "rx.knowledge.version"
DRUG = "rx.knowledge.drug"
RULE = "rx.knowledge.rule"
PAIR = "rx.knowledge.pair"
DICTIONARY = "rx.knowledge.dictionary"

register(
    MenuEntry(
        VERSION,
        "知识库版本",
        GROUP,
        GROUP_NAME,
        path="/rx/knowledge/versions",
        order=10,
        actions=(
            ("view", "查看"),
            ("add", "复制为草稿"),
            ("change", "修改草稿说明"),
            ("delete", "删除草稿"),
            ("publish", "发布"),
            ("export", "导出"),
        ),
    )
)
register(MenuEntry(DRUG, "药品属性", GROUP, GROUP_NAME, path="/rx/knowledge/drugs", order=20, actions=CRUD_ACTIONS))
register(MenuEntry(RULE, "药品规则（适应症、禁忌、剂量…）", GROUP, GROUP_NAME, path="/rx/knowledge/rules", order=30))
register(
    MenuEntry(PAIR, "相互作用与配伍", GROUP, GROUP_NAME, path="/rx/knowledge/pairs", order=40, actions=CRUD_ACTIONS)
)
register(MenuEntry(DICTIONARY, "基础字典与错误码", GROUP, GROUP_NAME, path="/rx/knowledge/dictionaries", order=50))

# Pharmacists maintain the knowledge base; doctors (and everyone prescribing) may read it.
grant("pharmacist", prefixed(PREFIX))
grant("doctor", prefixed(PREFIX, actions=["view"]))
grant("supervisor", prefixed(PREFIX, actions=["view"]))
