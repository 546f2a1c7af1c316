/** /api/v1/auth: login with TOTP second step and forced password change, logout, current user. */
import { get, http, post } from './http'

export type LoginStatus = 'ok' | 'otp_required' | 'otp_setup_required' | 'password_change_required'

export interface LoginResult {
  status: LoginStatus
  otp_uri?: string
  otp_secret?: string
  qr_svg?: string
  message?: string
}

export interface MenuItem {
  code: string
  name: string
  path?: string
  children?: MenuItem[]
}

export interface Named {
  id: number
  name: string
}

export interface Me {
  id: number
  username: string
  name: string
  institution: Named | null
  department: Named | null
  roles: { code: string; name: string }[]
  permissions: string[]
  menus: MenuItem[]
  must_change_password: boolean
  /** The password is older than the maximum age: it must be changed like an initial one. */
  password_expired?: boolean
  idle_timeout_seconds: number
  otp_enabled?: boolean
}

/** Only the password change (and logout) is allowed until this is false. */
export function mustChangePassword(me: Me | null | undefined): boolean {
  return Boolean(me && (me.must_change_password || me.password_expired))
}

// Login calls show their errors inline on the login card, so they are silent here.
const quiet = { silent: true, skipAuthRedirect: true }

export const authApi = {
  login: (username: string, password: string) => post<LoginResult>('/auth/login', { username, password }, quiet),
  otp: (token: string) => post<LoginResult>('/auth/otp', { token }, quiet),
  changePassword: (old_password: string, new_password: string, silent = true) =>
    post<LoginResult>('/auth/password', { old_password, new_password }, { silent, skipAuthRedirect: true }),
  logout: async () => {
    await http.post('/auth/logout', {}, quiet)
  },
  me: () => get<Me>('/auth/me', quiet),
  /** A cheap authenticated request that keeps the server session alive. */
  ping: () => get<Me>('/auth/me', { silent: true }),
}
