from tests.workflow_example.flows import LeaveFlow
from yigongti.core.catalog import CRUD_ACTIONS, MenuEntry, register

BASE = "workflow_example.leave"

register(
    MenuEntry(
        BASE,
        "请假申请（示例）",
        "example",
        "流程示例",
        path="/example/leave",
        actions=(*CRUD_ACTIONS, *LeaveFlow.catalog_actions(BASE)),
    )
)
