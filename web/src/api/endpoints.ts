/** Endpoints beyond plain CRUD: permission tree, forced logout, dictionary recycle bin, reveal. */
import { del, get, post } from './http'
import type { Id } from './types'

export interface PermissionNode {
  code: string
  name: string
  path?: string
  children?: PermissionNode[]
}

export interface RevealedResident {
  id_number: string
  phone: string
  address: string
}

export const accountsApi = {
  permissionTree: () => get<PermissionNode[]>('/accounts/permission-tree'),
  forceLogout: (sessionId: Id) => post<unknown>(`/accounts/sessions/${sessionId}/force-logout`),
  resetPassword: (userId: Id, new_password: string) => post<unknown>(`/accounts/users/${userId}/reset-password`, { new_password }),
  unlock: (userId: Id) => post<{ removed: number }>(`/accounts/users/${userId}/unlock`),
  /** 分配角色 (accounts.role.grant): replaces the user's roles. */
  setRoles: (userId: Id, roles: Id[]) => post<unknown>(`/accounts/users/${userId}/roles`, { roles }),
}

export const codesApi = {
  restoreDictionary: (id: Id) => post<unknown>(`/codes/dictionaries/${id}/restore`),
  purgeDictionary: (id: Id) => del(`/codes/dictionaries/${id}/purge`),
}

export const registryApi = {
  reveal: (id: Id) => post<RevealedResident>(`/registry/residents/${id}/reveal`),
}
