from yigongti.core.catalog import MenuEntry, register

GROUP, GROUP_NAME = "system", "系统管理"

register(
    MenuEntry(
        "accounts.user",
        "用户管理",
        GROUP,
        GROUP_NAME,
        path="/system/users",
        order=10,
        actions=(
            ("view", "查看"),
            ("add", "新增"),
            ("change", "修改"),
            ("delete", "删除"),
            ("export", "导出"),
            ("import", "导入"),
            ("reset_password", "重置密码"),
            ("unlock", "解除锁定"),
        ),
    )
)
register(
    MenuEntry(
        "accounts.role",
        "角色与授权",
        GROUP,
        GROUP_NAME,
        path="/system/roles",
        order=20,
        actions=(
            ("view", "查看"),
            ("add", "新增"),
            ("change", "修改"),
            ("delete", "删除"),
            ("export", "导出"),
            ("grant", "分配角色"),
        ),
    )
)
register(
    MenuEntry(
        "accounts.session",
        "在线用户",
        GROUP,
        GROUP_NAME,
        path="/system/online",
        order=30,
        actions=(("view", "查看"), ("force_logout", "强制下线")),
    )
)
register(
    MenuEntry(
        "audit.log",
        "审计日志",
        "audit",
        "安全审计",
        path="/audit/logs",
        order=10,
        actions=(("view", "查看"), ("export", "导出"), ("verify", "校验")),
    )
)
register(
    MenuEntry(
        "audit.login",
        "登录日志",
        "audit",
        "安全审计",
        path="/audit/logins",
        order=20,
        actions=(("view", "查看"), ("export", "导出")),
    )
)
