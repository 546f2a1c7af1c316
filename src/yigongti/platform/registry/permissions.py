from yigongti.core.catalog import CRUD_ACTIONS, MenuEntry, register

GROUP, GROUP_NAME = "registry", "居民档案"

register(
    MenuEntry(
        "registry.resident",
        "居民档案",
        GROUP,
        GROUP_NAME,
        actions=(*CRUD_ACTIONS, ("view_sensitive", "查看敏感信息")),
        path="/registry/residents",
        order=0,
    )
)
