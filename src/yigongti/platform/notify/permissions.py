"""Menus and action codes of the message centre (消息中心). The inbox, outbox, subscriptions and
personal contact groups belong to every signed-in user and need no code."""

from yigongti.core.catalog import MenuEntry, register

GROUP, GROUP_NAME = "notify", "消息中心"
VIEW_EXPORT = (("view", "查看"), ("export", "导出"))

register(MenuEntry("notify.message_type", "消息类型", GROUP, GROUP_NAME, path="/notify/types", order=10))
register(
    MenuEntry("notify.message", "消息管理", GROUP, GROUP_NAME, path="/notify/messages", order=20, actions=VIEW_EXPORT)
)
register(
    MenuEntry(
        "notify.announcement",
        "公告管理",
        GROUP,
        GROUP_NAME,
        path="/notify/announcements",
        order=30,
        actions=(("view", "查看"), ("add", "发布"), ("change", "修改"), ("delete", "删除"), ("export", "导出")),
    )
)
register(
    MenuEntry("notify.contact", "通讯录", GROUP, GROUP_NAME, path="/notify/contacts", order=40, actions=VIEW_EXPORT)
)
register(
    MenuEntry(
        "notify.sms",
        "短信明细",
        GROUP,
        GROUP_NAME,
        path="/notify/sms",
        order=50,
        actions=(("view", "查看"), ("export", "导出"), ("send", "手工发送")),
    )
)
