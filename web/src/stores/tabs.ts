/**
 * 页签: the pages the user opened, shown as tabs above the page and kept alive (their search form,
 * page and scroll survive switching tabs). The workbench tab is always there and cannot be closed.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'

export interface PageTab {
  path: string
  fullPath: string
  title: string
  closable: boolean
}

export const HOME_TAB: PageTab = Object.freeze({ path: '/', fullPath: '/', title: '工作台', closable: false })
export const MAX_TABS = 20

/** The keep-alive name of the page at `path` (see layouts/pageCache.ts). */
export function cacheName(path: string): string {
  return `page:${path}`
}

export const useTabsStore = defineStore('tabs', () => {
  const tabs = ref<PageTab[]>([{ ...HOME_TAB }])
  const active = ref('/')
  /** Per page, bumped to re-create it (刷新); the other cached pages keep their key and state. */
  const refreshKeys = ref<Record<string, number>>({})
  const excluded = ref<string | null>(null)
  /** The user the tabs belong to: another user signing in on the same page starts afresh. */
  const owner = ref<number | null>(null)

  const cachedNames = computed(() => tabs.value.filter((t) => t.path !== excluded.value).map((t) => cacheName(t.path)))

  /** A route was shown: add its tab (or update its query) and make it the active one. */
  function open(tab: { path: string; fullPath?: string; title?: string }): void {
    active.value = tab.path
    const existing = tabs.value.find((t) => t.path === tab.path)
    if (existing) {
      existing.fullPath = tab.fullPath ?? tab.path
      if (tab.title) existing.title = tab.title
      return
    }
    tabs.value.push({ path: tab.path, fullPath: tab.fullPath ?? tab.path, title: tab.title || tab.path, closable: tab.path !== '/' })
    // Too many tabs: drop the oldest closable one that is not the active page.
    while (tabs.value.length > MAX_TABS) {
      const victim = tabs.value.findIndex((t) => t.closable && t.path !== active.value)
      if (victim < 0) break
      tabs.value.splice(victim, 1)
    }
  }

  /** Close a tab; answers where to go when it was the active one (its neighbour), else null. */
  function close(path: string): string | null {
    const index = tabs.value.findIndex((t) => t.path === path)
    if (index < 0 || !tabs.value[index].closable) return null
    tabs.value.splice(index, 1)
    if (active.value !== path) return null
    const next = tabs.value[index] ?? tabs.value[index - 1] ?? HOME_TAB
    active.value = next.path
    return next.fullPath
  }

  /** Keep the workbench and `path` only. */
  function closeOthers(path: string): void {
    tabs.value = tabs.value.filter((t) => !t.closable || t.path === path)
  }

  /** Keep the workbench only; answers where to go. */
  function closeAll(): string {
    tabs.value = tabs.value.filter((t) => !t.closable)
    active.value = '/'
    return '/'
  }

  /** Drop the cached page of `path` and show it anew. */
  async function refresh(path: string, nextTick: () => Promise<void>): Promise<void> {
    excluded.value = path
    await nextTick()
    excluded.value = null
    refreshKeys.value = { ...refreshKeys.value, [path]: (refreshKeys.value[path] ?? 0) + 1 }
  }

  /** Logging out or switching identity: the pages of the previous user go. */
  function reset(): void {
    tabs.value = [{ ...HOME_TAB }]
    active.value = '/'
  }

  function claim(userId: number | null | undefined): void {
    if (userId == null || owner.value === userId) return
    if (owner.value !== null) reset()
    owner.value = userId
  }

  /** The keep-alive key of the page at `path`. */
  function pageKey(path: string): string {
    return `${path}#${refreshKeys.value[path] ?? 0}`
  }

  return { tabs, active, refreshKeys, pageKey, cachedNames, owner, open, close, closeOthers, closeAll, refresh, reset, claim }
})
