/** The side menu comes from GET /auth/me `menus`: groups → pages (code, name, path). */
import type { Component } from 'vue'
import {
  ChatDotRound,
  Collection,
  Connection,
  DataAnalysis,
  FirstAidKit,
  Grid,
  Lock,
  OfficeBuilding,
  Setting,
  User,
} from '@element-plus/icons-vue'
import type { MenuItem } from '@/api/auth'

const GROUP_ICONS: Record<string, Component> = {
  org: OfficeBuilding,
  system: Setting,
  accounts: Setting,
  audit: Lock,
  codes: Collection,
  registry: User,
  data_center: DataAnalysis,
  monitoring: DataAnalysis,
  referral: FirstAidKit,
  notify: ChatDotRound,
  integration: Connection,
}

export function groupIcon(code: string): Component {
  return GROUP_ICONS[code] ?? GROUP_ICONS[code.split('.')[0]] ?? Grid
}

export interface MenuGroup {
  code: string
  name: string
  icon: Component
  items: { code: string; name: string; path: string }[]
}

/** Groups with at least one page that has a path; pages without a path, or whose path the console
 *  has no page for yet (`hasPage`), are skipped. */
export function buildMenu(menus: MenuItem[], hasPage: (path: string) => boolean = () => true): MenuGroup[] {
  const groups: MenuGroup[] = []
  for (const group of menus) {
    const items = (group.children ?? [])
      .filter((child) => !!child.path && hasPage(child.path))
      .map((child) => ({ code: child.code, name: child.name, path: child.path as string }))
    if (group.path && items.length === 0) items.push({ code: group.code, name: group.name, path: group.path })
    if (items.length) groups.push({ code: group.code, name: group.name, icon: groupIcon(group.code), items })
  }
  return groups
}

/** Pages of every signed-in user (their own messages); not in the server's catalogue. */
export const PERSONAL_PAGES: { code: string; name: string; path: string }[] = [
  { code: 'personal.inbox', name: '站内消息', path: '/notify/inbox' },
  { code: 'personal.bulletins', name: '通知公告', path: '/notify/bulletins' },
  { code: 'personal.subscriptions', name: '消息订阅', path: '/notify/subscriptions' },
  { code: 'personal.contact_groups', name: '个人通讯组', path: '/notify/contact-groups' },
]

/** [group name, page name] of a path, for the breadcrumb. */
export function findTrail(menus: MenuItem[], path: string): string[] {
  const personal = PERSONAL_PAGES.find((p) => p.path === path)
  if (personal) return ['我的消息', personal.name]
  for (const group of menus) {
    for (const child of group.children ?? []) {
      if (child.path && (path === child.path || path.startsWith(`${child.path}/`))) return [group.name, child.name]
    }
  }
  return []
}
