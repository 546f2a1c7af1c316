from yigongti.core.catalog import MenuEntry, register

GROUP, GROUP_NAME = "org", "组织机构"

for order, (code, name, path) in enumerate(
    [
        ("org.community", "医共体", "/org/communities"),
        ("org.institution", "成员机构", "/org/institutions"),
        ("org.department", "科室", "/org/departments"),
        ("org.staff", "医护人员", "/org/staff"),
        ("org.post", "岗位", "/org/posts"),
        ("org.title", "职称", "/org/titles"),
        ("org.bed", "床位", "/org/beds"),
        ("org.equipment", "设备", "/org/equipment"),
        ("org.team", "家庭医生团队", "/org/teams"),
    ]
):
    register(MenuEntry(code, name, GROUP, GROUP_NAME, path=path, order=order))
