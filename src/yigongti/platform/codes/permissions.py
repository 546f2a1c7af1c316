from yigongti.core.catalog import CRUD_ACTIONS, MenuEntry, register

GROUP, GROUP_NAME = "codes", "字典与参数"

DICTIONARY = "codes.dictionary"
ENTRY = "codes.entry"
PARAMETER = "codes.parameter"
PARAMETER_VALUE = "codes.parameter_value"
DATA_ELEMENT = "codes.data_element"

register(
    MenuEntry(
        DICTIONARY,
        "字典配置",
        GROUP,
        GROUP_NAME,
        path="/codes/dictionaries",
        order=10,
        actions=(*CRUD_ACTIONS, ("restore", "还原（回收站）"), ("purge", "彻底删除（回收站）")),
    )
)
register(MenuEntry(ENTRY, "字典项", GROUP, GROUP_NAME, path="/codes/entries", order=20))
register(MenuEntry(PARAMETER, "参数限定配置", GROUP, GROUP_NAME, path="/codes/parameters", order=30))
register(MenuEntry(PARAMETER_VALUE, "参数配置", GROUP, GROUP_NAME, path="/codes/parameter-values", order=40))
register(MenuEntry(DATA_ELEMENT, "数据元", GROUP, GROUP_NAME, path="/codes/data-elements", order=50))
