import { afterEach, describe, expect, it, vi } from 'vitest'
import { ElMessage } from 'element-plus'
import { ApiError, fieldMessage, filenameFromDisposition, get, http, post, setAuthHandlers } from '@/api/http'
import { cleanParams, resource } from '@/api/resource'
import { fakeBackend } from './helpers'

afterEach(() => {
  setAuthHandlers({})
  vi.restoreAllMocks()
})

describe('http client', () => {
  it('sends X-CSRFToken from the csrftoken cookie on unsafe requests only, with credentials', async () => {
    document.cookie = 'csrftoken=abc123; path=/'
    const calls = fakeBackend(() => ({ data: {} }))
    await get('/org/communities')
    await post('/org/communities', { code: 'C1' })
    expect(calls[0].headers.get('X-CSRFToken')).toBeFalsy()
    expect(calls[1].headers.get('X-CSRFToken')).toBe('abc123')
    expect(calls[1].withCredentials).toBe(true)
    expect(http.defaults.baseURL).toBe('/api/v1')
  })

  it('fetches the CSRF cookie from a console path first when it is missing', async () => {
    document.cookie = 'csrftoken=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/'
    const calls = fakeBackend((config) => {
      if (config.url === '/csrf-cookie') document.cookie = 'csrftoken=fresh; path=/'
      return { data: {} }
    })
    await post('/auth/login', { username: 'a', password: 'b' })
    expect(calls.map((c) => [c.baseURL, c.url])).toEqual([
      ['', '/csrf-cookie'],
      ['/api/v1', '/auth/login'],
    ])
    expect(calls[1].headers.get('X-CSRFToken')).toBe('fresh')
  })

  it('turns the error shape into an ApiError and shows the message', async () => {
    const toast = vi.spyOn(ElMessage, 'error').mockImplementation(() => ({ close: () => undefined }) as never)
    fakeBackend(() => ({
      status: 400,
      data: { code: 'INVALID_CREDENTIALS', message: '用户名或密码错误。', fields: { password: ['密码错误'] } },
    }))
    const error = (await post('/auth/login', {}).catch((e) => e)) as ApiError
    expect(error).toBeInstanceOf(ApiError)
    expect(error.status).toBe(400)
    expect(error.code).toBe('INVALID_CREDENTIALS')
    expect(error.message).toBe('用户名或密码错误。')
    expect(error.fields).toEqual({ password: ['密码错误'] })
    expect(toast).toHaveBeenCalledWith(expect.objectContaining({ message: '用户名或密码错误。' }))
  })

  it('stays quiet with silent: true', async () => {
    const toast = vi.spyOn(ElMessage, 'error').mockImplementation(() => ({ close: () => undefined }) as never)
    fakeBackend(() => ({ status: 403, data: { code: 'ACCOUNT_LOCKED', message: '账号已锁定，请 15 分钟后再试。', fields: {} } }))
    const error = (await post('/auth/login', {}, { silent: true }).catch((e) => e)) as ApiError
    expect(error.code).toBe('ACCOUNT_LOCKED')
    expect(toast).not.toHaveBeenCalled()
  })

  it('hands 401 NOT_AUTHENTICATED / SESSION_IDLE_TIMEOUT to the login handler', async () => {
    const toast = vi.spyOn(ElMessage, 'error').mockImplementation(() => ({ close: () => undefined }) as never)
    const unauthenticated = vi.fn()
    setAuthHandlers({ unauthenticated })
    fakeBackend(() => ({ status: 401, data: { code: 'SESSION_IDLE_TIMEOUT', message: '超过 30 分钟未操作，已自动退出，请重新登录。', fields: {} } }))
    await get('/org/staff').catch(() => undefined)
    expect(unauthenticated).toHaveBeenCalledTimes(1)
    expect(unauthenticated.mock.calls[0][0].code).toBe('SESSION_IDLE_TIMEOUT')
    expect(toast).not.toHaveBeenCalled()
    await get('/auth/me', { skipAuthRedirect: true, silent: true }).catch(() => undefined)
    expect(unauthenticated).toHaveBeenCalledTimes(1)
  })

  it('hands 403 PASSWORD_CHANGE_REQUIRED to the password handler', async () => {
    const passwordChangeRequired = vi.fn()
    setAuthHandlers({ passwordChangeRequired })
    fakeBackend(() => ({ status: 403, data: { code: 'PASSWORD_CHANGE_REQUIRED', message: '首次登录或密码已被重置，请先修改密码。', fields: {} } }))
    await get('/org/staff').catch(() => undefined)
    expect(passwordChangeRequired).toHaveBeenCalledTimes(1)
  })

  it('reads JSON errors of blob downloads', async () => {
    vi.spyOn(ElMessage, 'error').mockImplementation(() => ({ close: () => undefined }) as never)
    const body = JSON.stringify({ code: 'EXPORT_TOO_LARGE', message: '导出数据共 60000 条，超过上限 50000 条，请缩小查询范围。', fields: {} })
    fakeBackend(() => ({ status: 400, data: new Blob([body], { type: 'application/json' }) }))
    const error = (await resource('/registry/residents').exportXlsx({}, '居民档案').catch((e) => e)) as ApiError
    expect(error.code).toBe('EXPORT_TOO_LARGE')
  })

  it('parses RFC 5987 file names', () => {
    expect(filenameFromDisposition("attachment; filename*=UTF-8''%E5%B1%85%E6%B0%91%E6%A1%A3%E6%A1%88.xlsx", 'x.xlsx')).toBe('居民档案.xlsx')
    expect(filenameFromDisposition('attachment; filename="report.xlsx"', 'x.xlsx')).toBe('report.xlsx')
    expect(filenameFromDisposition(undefined, '导出.xlsx')).toBe('导出.xlsx')
  })

  it('flattens field messages and drops empty params', () => {
    expect(fieldMessage(['a', 'b'])).toBe('a；b')
    expect(fieldMessage({ code: ['必填'] })).toBe('code：必填')
    expect(cleanParams({ a: '', b: null, c: 0, d: [], e: [1, 2], f: false })).toEqual({ c: 0, e: '1,2', f: false })
  })

  it('posts Excel imports as multipart field "file"', async () => {
    const calls = fakeBackend(() => ({ status: 201, data: { created: 3 } }))
    const result = await resource('/org/departments').importXlsx(new File(['x'], '科室.xlsx'))
    expect(result).toEqual({ created: 3 })
    expect(calls[0].url).toBe('/org/departments/import')
    const form = calls[0].data as FormData
    expect(form).toBeInstanceOf(FormData)
    expect((form.get('file') as File).name).toBe('科室.xlsx')
  })
})
