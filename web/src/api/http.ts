/**
 * The one typed HTTP client of the console.
 *
 * - session cookie + CSRF: `X-CSRFToken` from the `csrftoken` cookie on every unsafe request;
 * - every 4xx has the shape `{code, message, fields}` and is turned into an {@link ApiError};
 * - the message is shown with ElMessage unless the request says `silent: true`;
 * - 401 NOT_AUTHENTICATED / SESSION_IDLE_TIMEOUT calls the handler installed by main.ts
 *   (clear the session, go to the login page).
 */
import axios, { AxiosError, AxiosHeaders, type AxiosRequestConfig, type AxiosResponse } from 'axios'
import { ElMessage } from 'element-plus'
import { API_BASE, fillPath, type BodyOf, type Endpoint, type HttpMethod, type PathOf, type PathParams, type ResponseOf } from './openapi'

export { API_BASE }

export type FieldErrors = Record<string, unknown>

export interface ErrorBody {
  code: string
  message: string
  fields?: FieldErrors
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields: FieldErrors

  constructor(status: number, body: ErrorBody) {
    super(body.message)
    this.name = 'ApiError'
    this.status = status
    this.code = body.code
    this.fields = body.fields ?? {}
  }
}

declare module 'axios' {
  interface AxiosRequestConfig {
    /** Do not show the error message with ElMessage (the caller shows it). */
    silent?: boolean
    /** Do not run the "go to login" handler on 401 (bootstrap / login calls). */
    skipAuthRedirect?: boolean
  }
}

const AUTH_CODES = new Set(['NOT_AUTHENTICATED', 'SESSION_IDLE_TIMEOUT', 'SESSION_EXPIRED', 'FORCED_LOGOUT'])
const UNSAFE = new Set(['post', 'put', 'patch', 'delete'])

type AuthHandler = (error: ApiError) => void
let onUnauthenticated: AuthHandler | null = null
let onPasswordChangeRequired: AuthHandler | null = null
let lastActivity = Date.now()

/** main.ts installs what to do when the server says the session is gone. */
export function setAuthHandlers(handlers: { unauthenticated?: AuthHandler; passwordChangeRequired?: AuthHandler }): void {
  onUnauthenticated = handlers.unauthenticated ?? null
  onPasswordChangeRequired = handlers.passwordChangeRequired ?? null
}

/** Time of the last request sent, for the idle watcher's keep-alive. */
export function lastRequestAt(): number {
  return lastActivity
}

export function readCookie(name: string): string {
  const prefix = `${name}=`
  for (const part of document.cookie ? document.cookie.split(';') : []) {
    const item = part.trim()
    if (item.startsWith(prefix)) return decodeURIComponent(item.slice(prefix.length))
  }
  return ''
}

export const http = axios.create({
  baseURL: API_BASE,
  withCredentials: true,
  timeout: 60_000,
  headers: { Accept: 'application/json' },
  // The CSRF header is set below from the cookie (Django's `csrftoken`), not by axios' xsrf logic.
  xsrfCookieName: '',
})

/**
 * Any non-API path is the console index, which Django serves with `ensure_csrf_cookie`. Normally
 * the cookie is there from loading the page; under `vite dev` (or after the cookie was cleared)
 * one GET of such a path sets it. The login endpoint checks CSRF too, so this matters there.
 */
export const CSRF_BOOTSTRAP_PATH = '/csrf-cookie'
let csrfBootstrap: Promise<void> | null = null

async function ensureCsrfCookie(): Promise<void> {
  if (readCookie('csrftoken')) return
  csrfBootstrap ??= http
    .get(CSRF_BOOTSTRAP_PATH, { baseURL: '', responseType: 'text', silent: true, skipAuthRedirect: true, headers: { Accept: 'text/html' } })
    .then(() => undefined)
    .catch(() => undefined)
    .finally(() => {
      csrfBootstrap = null
    })
  await csrfBootstrap
}

http.interceptors.request.use(async (config) => {
  lastActivity = Date.now()
  const method = (config.method ?? 'get').toLowerCase()
  if (UNSAFE.has(method)) {
    await ensureCsrfCookie()
    const token = readCookie('csrftoken')
    if (token) {
      const headers = AxiosHeaders.from(config.headers)
      headers.set('X-CSRFToken', token)
      config.headers = headers
    }
  }
  return config
})

async function errorBody(error: AxiosError): Promise<ErrorBody> {
  const response = error.response
  if (!response) {
    return { code: 'NETWORK_ERROR', message: error.code === 'ECONNABORTED' ? '请求超时，请稍后重试。' : '无法连接服务器，请检查网络。' }
  }
  let data: unknown = response.data
  if (typeof Blob !== 'undefined' && data instanceof Blob) {
    try {
      data = JSON.parse(await data.text())
    } catch {
      data = null
    }
  } else if (typeof data === 'string') {
    try {
      data = JSON.parse(data)
    } catch {
      data = null
    }
  }
  if (data && typeof data === 'object' && 'message' in data) {
    const body = data as Partial<ErrorBody>
    return { code: String(body.code ?? `HTTP_${response.status}`), message: String(body.message), fields: body.fields ?? {} }
  }
  if (response.status >= 500) return { code: `HTTP_${response.status}`, message: `服务器错误（${response.status}），请稍后重试或联系管理员。` }
  if (response.status === 404) return { code: 'NOT_FOUND', message: '请求的地址不存在。' }
  if (response.status === 403) return { code: 'PERMISSION_DENIED', message: '没有执行该操作的权限。' }
  return { code: `HTTP_${response.status}`, message: `请求失败（${response.status}）。` }
}

http.interceptors.response.use(
  (response) => response,
  async (error: unknown) => {
    if (!axios.isAxiosError(error)) return Promise.reject(error)
    if (axios.isCancel(error)) return Promise.reject(error)
    const config: AxiosRequestConfig = error.config ?? {}
    const status = error.response?.status ?? 0
    const apiError = new ApiError(status, await errorBody(error))
    if (status === 401 && AUTH_CODES.has(apiError.code) && !config.skipAuthRedirect && onUnauthenticated) {
      onUnauthenticated(apiError)
    } else if (status === 403 && apiError.code === 'PASSWORD_CHANGE_REQUIRED' && !config.skipAuthRedirect && onPasswordChangeRequired) {
      onPasswordChangeRequired(apiError)
    } else if (!config.silent) {
      ElMessage.error({ message: apiError.message, grouping: true })
    }
    return Promise.reject(apiError)
  },
)

/** Typed helpers returning the body. */
export async function get<T>(url: string, config?: AxiosRequestConfig): Promise<T> {
  return (await http.get<T>(url, config)).data
}
export async function post<T>(url: string, data?: unknown, config?: AxiosRequestConfig): Promise<T> {
  return (await http.post<T>(url, data, config)).data
}
export async function patch<T>(url: string, data?: unknown, config?: AxiosRequestConfig): Promise<T> {
  return (await http.patch<T>(url, data, config)).data
}
export async function del(url: string, config?: AxiosRequestConfig): Promise<void> {
  await http.delete(url, config)
}

type CallArgs<M extends HttpMethod, P extends PathOf<M>> = {
  config?: AxiosRequestConfig
} & ([PathParams<P>] extends [never] ? { path?: undefined } : { path: Record<PathParams<P>, string | number> }) &
  ([BodyOf<M, P>] extends [never] ? { body?: undefined } : { body?: BodyOf<M, P> })

/**
 * Call a declared {@link Endpoint}: the path parameters, the JSON body and the answer are typed
 * from the OpenAPI document.
 */
export async function call<M extends HttpMethod, P extends PathOf<M>>(
  ep: Endpoint<M, P>,
  ...[args]: [PathParams<P>] extends [never] ? [CallArgs<M, P>?] : [CallArgs<M, P>]
): Promise<ResponseOf<M, P>> {
  const { path, body, config } = (args ?? {}) as { path?: Record<string, string | number>; body?: unknown; config?: AxiosRequestConfig }
  const url = fillPath(ep.path, (path ?? {}) as never)
  const response = await http.request<ResponseOf<M, P>>({ ...config, method: ep.method, url, data: body ?? (ep.method === 'post' ? {} : undefined) })
  return response.data
}

/** `filename*=UTF-8''%E6%88%90...xlsx` (RFC 5987) or `filename="..."` from Content-Disposition. */
export function filenameFromDisposition(header: string | undefined | null, fallback: string): string {
  if (!header) return fallback
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header)
  if (star) {
    try {
      return decodeURIComponent(star[2].trim().replace(/^"|"$/g, ''))
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header)
  return plain ? plain[1].trim() : fallback
}

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  link.style.display = 'none'
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** GET a file (Excel export, import template) and hand it to the browser. */
export async function download(url: string, params: Record<string, unknown> = {}, fallbackName = '导出.xlsx'): Promise<string> {
  const response: AxiosResponse<Blob> = await http.get(url, { params, responseType: 'blob', headers: { Accept: '*/*' } })
  const name = filenameFromDisposition(response.headers['content-disposition'] as string | undefined, fallbackName)
  saveBlob(response.data, name)
  return name
}

/** Flatten `fields` values (`["错误"]`, nested dicts of import rows) to one readable string. */
export function fieldMessage(value: unknown): string {
  if (value == null) return ''
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return value.map(fieldMessage).filter(Boolean).join('；')
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, v]) => `${key}：${fieldMessage(v)}`)
      .join('；')
  }
  return String(value)
}
