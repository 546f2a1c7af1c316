"""The catalogue of menu and action permission codes (菜单/操作权限).

Each app declares its menus in ``permissions.py`` with ``register``; roles store codes from here,
the console builds its side menu from the codes a user holds, and the server checks them again on
every request. Codes look like ``org.institution.view``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CRUD_ACTIONS: tuple[tuple[str, str], ...] = (
    ("view", "查看"),
    ("add", "新增"),
    ("change", "修改"),
    ("delete", "删除"),
    ("export", "导出"),
    ("import", "导入"),
)


@dataclass(frozen=True)
class MenuEntry:
    code: str
    name: str
    group: str
    group_name: str
    actions: tuple[tuple[str, str], ...] = CRUD_ACTIONS
    path: str = ""
    order: int = 0
    admin_kinds: frozenset[str] = field(default_factory=frozenset)

    def action_codes(self) -> list[str]:
        return [f"{self.code}.{a}" for a, _ in self.actions]


_CATALOG: dict[str, MenuEntry] = {}


def register(entry: MenuEntry) -> MenuEntry:
    _CATALOG[entry.code] = entry
    return entry


def menus() -> list[MenuEntry]:
    return sorted(_CATALOG.values(), key=lambda m: (m.group, m.order, m.code))


def all_codes() -> set[str]:
    codes: set[str] = set()
    for entry in _CATALOG.values():
        codes.add(entry.code)
        codes.update(entry.action_codes())
    return codes


def tree() -> list[dict[str, object]]:
    """Groups → menus → actions, for the role editor's permission tree."""
    groups: dict[str, dict[str, object]] = {}
    children: dict[str, list[dict[str, object]]] = {}
    for entry in menus():
        group = groups.setdefault(entry.group, {"code": entry.group, "name": entry.group_name})
        group["children"] = children.setdefault(entry.group, [])
        children[entry.group].append(
            {
                "code": entry.code,
                "name": entry.name,
                "path": entry.path,
                "children": [{"code": f"{entry.code}.{a}", "name": n} for a, n in entry.actions],
            }
        )
    return list(groups.values())
