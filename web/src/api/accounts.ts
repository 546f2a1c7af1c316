/** 用户与权限 (platform/accounts): users, roles, online sessions and their actions. */
import { call } from './http'
import { endpoint, type Schemas } from './openapi'
import { resource } from './resource'
import type { Id } from './types'

export type User = Schemas['User']
export type Role = Schemas['Role']
export type UserSession = Schemas['UserSession']
export type PermissionGroup = Schemas['PermissionGroup']
export type PermissionMenu = Schemas['PermissionMenu']
export type PermissionAction = Schemas['PermissionAction']
/** A node of the permission tree at any level (group → menu → action). */
export interface PermissionNode {
  code: string
  name: string
  path?: string
  children?: PermissionNode[]
}

export const accountsEndpoints = {
  permissionTree: endpoint('get', '/accounts/permission-tree'),
  forceLogout: endpoint('post', '/accounts/sessions/{id}/force-logout'),
  resetPassword: endpoint('post', '/accounts/users/{id}/reset-password'),
  unlock: endpoint('post', '/accounts/users/{id}/unlock'),
  setRoles: endpoint('post', '/accounts/users/{id}/roles'),
}
const ep = accountsEndpoints

export const accountsApi = {
  users: resource<User>('/accounts/users'),
  roles: resource<Role>('/accounts/roles'),
  sessions: resource<UserSession>('/accounts/sessions'),
  permissionTree: (): Promise<PermissionNode[]> => call(ep.permissionTree),
  forceLogout: (sessionId: Id) => call(ep.forceLogout, { path: { id: sessionId } }),
  resetPassword: (userId: Id, new_password: string) => call(ep.resetPassword, { path: { id: userId }, body: { new_password } }),
  unlock: (userId: Id) => call(ep.unlock, { path: { id: userId } }),
  /** 分配角色 (accounts.role.grant): replaces the user's roles. */
  setRoles: (userId: Id, roles: Id[]) => call(ep.setRoles, { path: { id: userId }, body: { roles } }),
}
