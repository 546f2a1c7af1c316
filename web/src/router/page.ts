import type { RouteRecordRaw } from 'vue-router'

/**
 * One console page. `path` matches the `path` of the server's menu catalogue (`core.catalog`);
 * `perm` is the menu code. A center declares its pages in `web/src/centers/<center>/pages.ts`
 * (`export const pages: Page[] = [...]`); the router picks every such file up.
 */
export interface Page {
  path: string
  title: string
  perm: string
  component: RouteRecordRaw['component']
  /** Pages reached from another page (a detail, a wizard) rather than from the menu. */
  hidden?: boolean
}
