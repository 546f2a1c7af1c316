from yigongti.core.catalog import MenuEntry, register

GROUP, GROUP_NAME = "files", "附件"
ATTACHMENT = "files.attachment"
VIEW, ADD, DELETE = f"{ATTACHMENT}.view", f"{ATTACHMENT}.add", f"{ATTACHMENT}.delete"

# No console page of its own (empty path): attachments show inside the pages of their records.
register(
    MenuEntry(
        ATTACHMENT,
        "附件",
        GROUP,
        GROUP_NAME,
        actions=(("view", "查看/下载"), ("add", "上传"), ("delete", "删除")),
        order=0,
    )
)
