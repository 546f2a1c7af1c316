/** Departments of one institution arranged by `parent` for the tree view. */
import type { Department } from '@/api/org'

export type TreeRow = Department & { children?: TreeRow[] }

export function buildTree(rows: Department[]): TreeRow[] {
  const byId = new Map<number, TreeRow>()
  for (const row of rows) byId.set(row.id, { ...row })
  const roots: TreeRow[] = []
  for (const node of byId.values()) {
    const parent = typeof node.parent === 'number' ? byId.get(node.parent) : undefined
    if (parent && parent !== node) (parent.children ??= []).push(node)
    else roots.push(node)
  }
  return roots
}
