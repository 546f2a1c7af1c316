"""Permission codes of the integration app (菜单/操作权限)."""

from yigongti.core.catalog import MenuEntry, register

GROUP, GROUP_NAME = "integration", "系统集成"
CLIENT = "integration.client"
MESSAGE = "integration.message"
SYNC = "integration.sync"
HL7 = "integration.hl7"

register(
    MenuEntry(
        CLIENT,
        "接口客户端",
        GROUP,
        GROUP_NAME,
        path="/integration/clients",
        order=0,
        actions=(
            ("view", "查看"),
            ("add", "新增"),
            ("rotate", "重置密钥"),
            ("disable", "停用"),
            ("enable", "启用"),
            ("export", "导出"),
        ),
    )
)
register(
    MenuEntry(
        MESSAGE,
        "入站消息",
        GROUP,
        GROUP_NAME,
        path="/integration/inbound-messages",
        order=10,
        actions=(("view", "查看"), ("export", "导出"), ("retry", "重新处理"), ("view_sensitive", "查看原始报文")),
    )
)
register(
    MenuEntry(
        SYNC,
        "区域平台同步",
        GROUP,
        GROUP_NAME,
        path="/integration/regional-sync",
        order=20,
        actions=(("view", "查看"), ("export", "导出"), ("run", "立即同步")),
    )
)
# Granted to hospital systems through the hl7.adt scope (and to roles that replay messages by hand).
register(MenuEntry(HL7, "HL7 v2 接口", GROUP, GROUP_NAME, order=30, actions=(("submit", "提交消息"),)))
