from yigongti.core.catalog import MenuEntry, register

RULE = "numbering.rule"

register(MenuEntry(RULE, "编号规则", "system", "系统管理", path="/system/number-rules", order=60))
