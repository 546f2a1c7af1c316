/** Test helpers: a fake HTTP backend on the real axios client, a mounted app context. */
import { AxiosError, AxiosHeaders, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import { http } from '@/api/http'
import type { Me, MenuItem } from '@/api/auth'
import { vPerm } from '@/directives/perm'
import { useAuthStore } from '@/stores/auth'

export interface FakeReply {
  status?: number
  data?: unknown
  headers?: Record<string, string>
}

export type Handler = (config: InternalAxiosRequestConfig) => FakeReply | Promise<FakeReply>

/** Route every request of the console's axios client to `handler`; returns the recorded requests. */
export function fakeBackend(handler: Handler): InternalAxiosRequestConfig[] {
  const calls: InternalAxiosRequestConfig[] = []
  http.defaults.adapter = async (config) => {
    calls.push(config)
    const reply = await handler(config)
    const response: AxiosResponse = {
      data: reply.data ?? null,
      status: reply.status ?? 200,
      statusText: String(reply.status ?? 200),
      headers: new AxiosHeaders(reply.headers ?? {}),
      config,
    }
    if (response.status >= 400) {
      throw new AxiosError(`Request failed with status code ${response.status}`, 'ERR_BAD_REQUEST', config, null, response)
    }
    return response
  }
  return calls
}

export function page<T>(results: T[], count = results.length) {
  return { count, page: 1, page_size: 20, results }
}

/** A `/auth/me` answer; `menus` may be looser than the document says (the console copes with it). */
export function makeMe({ menus, ...overrides }: Partial<Omit<Me, 'menus'>> & { menus?: MenuItem[] } = {}): Me {
  return {
    id: 1,
    username: 'zhangsan',
    name: '张三',
    institution: { id: 10, name: '县人民医院' },
    department: { id: 20, name: '信息科' },
    roles: [{ code: 'sysadmin', name: '系统管理员' }],
    permissions: [],
    menus: (menus ?? []) as Me['menus'],
    must_change_password: false,
    password_expired: false,
    idle_timeout_seconds: 1800,
    otp_enabled: false,
    identity: {
      institutions: [{ id: 10, name: '县人民医院', home: true }],
      roles: [{ id: 1, code: 'sysadmin', name: '系统管理员' }],
      current_institution: 10,
      current_role: null,
      switched: false,
    },
    ...overrides,
  }
}

export function withUser(permissions: string[], overrides: Partial<Me> = {}): Pinia {
  const pinia = createPinia()
  setActivePinia(pinia)
  useAuthStore().setUser(makeMe({ permissions, ...overrides }))
  return pinia
}

export function testRouter(): Router {
  const stub = { template: '<div />' }
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: stub },
      { path: '/login', component: stub },
      { path: '/:p(.*)*', component: stub },
    ],
  })
}

export function globals(pinia: Pinia, router?: Router) {
  return {
    plugins: (router ? [pinia, router, [ElementPlus, { locale: zhCn }]] : [pinia, [ElementPlus, { locale: zhCn }]]) as never[],
    directives: { perm: vPerm },
  }
}

export const flush = () => new Promise((resolve) => setTimeout(resolve, 0))
