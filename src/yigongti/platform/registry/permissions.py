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
register(
    MenuEntry(
        "registry.mpi",
        "主索引",
        GROUP,
        GROUP_NAME,
        actions=(
            ("view", "查看"),
            ("register", "登记患者"),
            ("review", "审核"),
            ("merge", "合并/撤销合并"),
            ("link", "关联规则/解除关联"),
            ("export", "导出"),
        ),
        path="/registry/mpi",
        order=10,
    )
)
