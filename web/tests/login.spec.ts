import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import LoginView from '@/views/login/LoginView.vue'
import { useAuthStore } from '@/stores/auth'
import { fakeBackend, flush, globals, makeMe, testRouter } from './helpers'

async function fill(selector: string, value: string): Promise<void> {
  const input = document.querySelector(selector) as HTMLInputElement
  input.value = value
  input.dispatchEvent(new Event('input'))
  await flush()
}

async function submit(): Promise<void> {
  ;(document.querySelector('.login-card button[type="submit"]') as HTMLButtonElement).click()
  await flush()
  await flush()
  await flush()
}

async function setup() {
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = testRouter()
  await router.push('/login?redirect=/org/staff')
  const wrapper = mount(LoginView, { global: globals(pinia, router), attachTo: document.body })
  await flush()
  return { wrapper, router }
}

describe('login page', () => {
  it('asks for the TOTP code when the server answers otp_required, then enters the console', async () => {
    const calls = fakeBackend((config) => {
      if (config.url === '/auth/login') return { data: { status: 'otp_required' } }
      if (config.url === '/auth/otp') return { data: { status: 'ok' } }
      if (config.url === '/auth/me') return { data: makeMe() }
      return { status: 404 }
    })
    const { wrapper, router } = await setup()
    await fill('input[autocomplete="username"]', 'zhangsan')
    await fill('input[autocomplete="current-password"]', 'Secret#2024')
    await submit()
    expect(JSON.parse(calls[0].data as string)).toEqual({ username: 'zhangsan', password: 'Secret#2024' })
    expect(wrapper.text()).toContain('双因素认证')
    await fill('input[autocomplete="one-time-code"]', '123456')
    await submit()
    expect(JSON.parse(calls[1].data as string)).toEqual({ token: '123456' })
    expect(useAuthStore().user?.username).toBe('zhangsan')
    expect(router.currentRoute.value.fullPath).toBe('/org/staff')
  })

  it('shows the lockout message inline', async () => {
    fakeBackend(() => ({
      status: 403,
      data: { code: 'ACCOUNT_LOCKED', message: '连续登录失败次数过多，账号已锁定，请 15 分钟后再试或联系管理员解锁。', fields: {} },
    }))
    const { wrapper } = await setup()
    await fill('input[autocomplete="username"]', 'zhangsan')
    await fill('input[autocomplete="current-password"]', 'wrong')
    await submit()
    expect(wrapper.find('.login-error').text()).toContain('15 分钟')
  })

  it('shows the QR code and secret for TOTP enrolment', async () => {
    fakeBackend(() => ({
      data: { status: 'otp_setup_required', qr_svg: '<svg id="qr"></svg>', otp_secret: 'JBSWY3DPEHPK3PXP', otp_uri: 'otpauth://totp/x' },
    }))
    const { wrapper } = await setup()
    await fill('input[autocomplete="username"]', 'admin')
    await fill('input[autocomplete="current-password"]', 'Secret#2024')
    await submit()
    expect(wrapper.text()).toContain('绑定身份验证器')
    expect(document.querySelector('.qr svg#qr')).not.toBeNull()
    expect(wrapper.text()).toContain('JBSWY3DPEHPK3PXP')
  })

  it('forces a password change with the policy shown, reusing the password just typed', async () => {
    const calls = fakeBackend((config) => {
      if (config.url === '/auth/login') return { data: { status: 'password_change_required' } }
      if (config.url === '/auth/password') return { data: { status: 'ok' } }
      if (config.url === '/auth/me') return { data: makeMe() }
      return { status: 404 }
    })
    const { wrapper } = await setup()
    await fill('input[autocomplete="username"]', 'zhangsan')
    await fill('input[autocomplete="current-password"]', 'Init#Pass1')
    await submit()
    expect(wrapper.text()).toContain('首次登录请修改密码')
    expect(wrapper.text()).toContain('不能与最近 5 次')
    expect(document.querySelector('input[autocomplete="current-password"]')).toBeNull()
    const [pw, confirm] = document.querySelectorAll<HTMLInputElement>('input[autocomplete="new-password"]')
    pw.value = 'New#Pass2024'
    pw.dispatchEvent(new Event('input'))
    confirm.value = 'New#Pass2024'
    confirm.dispatchEvent(new Event('input'))
    await flush()
    await submit()
    await flush()
    const change = calls.find((c) => c.url === '/auth/password')!
    expect(JSON.parse(change.data as string)).toEqual({ old_password: 'Init#Pass1', new_password: 'New#Pass2024' })
  })
})
