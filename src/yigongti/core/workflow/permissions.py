from yigongti.core.catalog import MenuEntry, register

register(
    MenuEntry(
        "workflow.approval_setting",
        "审批设置",
        "system",
        "系统管理",
        path="/system/approval-settings",
        order=70,
    )
)
