/** /api/v1/auth: login with TOTP second step and forced password change, logout, current user. */
import type { AxiosRequestConfig } from 'axios'
import { call } from './http'
import { endpoint, type Schemas } from './openapi'

export type LoginResult = Schemas['LoginResult']
export type LoginStatus = LoginResult['status']

/** A side-menu entry: a group of `/auth/me` (with its pages as children) or one page. */
export interface MenuItem {
  code: string
  name: string
  path?: string
  children?: MenuItem[]
}

export type Named = Schemas['NamedRef']

/** GET /auth/me: who is logged in, with permission codes, menus and the idle timeout. */
export type Me = Schemas['Me']
/** The institutions and roles the user may switch to, and the ones in force. */
export type Identity = Schemas['Identity']

/** Only the password change (and logout) is allowed until this is false. */
export function mustChangePassword(me: Pick<Me, 'must_change_password' | 'password_expired'> | null | undefined): boolean {
  return Boolean(me && (me.must_change_password || me.password_expired))
}

export const authEndpoints = {
  login: endpoint('post', '/auth/login'),
  otp: endpoint('post', '/auth/otp'),
  password: endpoint('post', '/auth/password'),
  logout: endpoint('post', '/auth/logout'),
  me: endpoint('get', '/auth/me'),
  switchIdentity: endpoint('post', '/auth/switch'),
}
const ep = authEndpoints

// Login calls show their errors inline on the login card, so they are silent here.
const quiet: AxiosRequestConfig = { silent: true, skipAuthRedirect: true }

export const authApi = {
  login: (username: string, password: string) => call(ep.login, { body: { username, password }, config: quiet }),
  otp: (token: string) => call(ep.otp, { body: { token }, config: quiet }),
  changePassword: (old_password: string, new_password: string, silent = true) =>
    call(ep.password, { body: { old_password, new_password }, config: { silent, skipAuthRedirect: true } }),
  logout: async () => {
    await call(ep.logout, { config: quiet })
  },
  me: () => call(ep.me, { config: quiet }),
  /** 切换当前机构/角色 (null: the home institution / every role); answers the new /auth/me. */
  switchIdentity: (institution: number | null, role: number | null) => call(ep.switchIdentity, { body: { institution, role } }),
  /** A cheap authenticated request that keeps the server session alive. */
  ping: () => call(ep.me, { config: { silent: true } }),
}
