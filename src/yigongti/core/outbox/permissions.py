from yigongti.core.catalog import MenuEntry, register

GROUP, GROUP_NAME = "system", "系统管理"
FAILED_TASK = "jobs.failed_task"
DESTINATION = "jobs.outbox_destination"
MESSAGE = "jobs.outbox_message"

register(
    MenuEntry(
        FAILED_TASK,
        "失败任务",
        GROUP,
        GROUP_NAME,
        path="/system/failed-tasks",
        order=70,
        actions=(("view", "查看"), ("export", "导出"), ("rerun", "重新执行")),
    )
)
register(MenuEntry(DESTINATION, "外发目的地", GROUP, GROUP_NAME, path="/system/outbox-destinations", order=80))
register(
    MenuEntry(
        MESSAGE,
        "外发消息",
        GROUP,
        GROUP_NAME,
        path="/system/outbox-messages",
        order=90,
        actions=(("view", "查看"), ("export", "导出"), ("retry", "重发"), ("discard", "作废")),
    )
)
