import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import IdleWatcher from '@/layouts/IdleWatcher.vue'
import { useAuthStore } from '@/stores/auth'
import { fakeBackend, globals, testRouter, withUser } from './helpers'

describe('idle timeout', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('warns 60 s before the timeout, then logs out and goes to the login page', async () => {
    const calls = fakeBackend(() => ({ status: 204 }))
    const pinia = withUser([])
    const router = testRouter()
    await router.push('/org/staff')
    const wrapper = mount(IdleWatcher, { props: { timeoutSeconds: 300 }, global: globals(pinia, router), attachTo: document.body })
    const vm = wrapper.vm as unknown as { warning: boolean; remaining: number }

    vi.advanceTimersByTime(230_000)
    expect(vm.warning).toBe(false)
    vi.advanceTimersByTime(15_000)
    expect(vm.warning).toBe(true)
    expect(vm.remaining).toBeLessThanOrEqual(60)
    expect(vm.remaining).toBeGreaterThan(50)

    vi.advanceTimersByTime(56_000)
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/login'))
    expect(calls.some((c) => c.url === '/auth/logout' && c.method === 'post')).toBe(true)
    expect(useAuthStore().user).toBeNull()
    expect(router.currentRoute.value.query.reason).toBe('idle')
  })

  it('activity resets the countdown', async () => {
    fakeBackend(() => ({ data: {} }))
    const pinia = withUser([])
    const router = testRouter()
    const wrapper = mount(IdleWatcher, { props: { timeoutSeconds: 300 }, global: globals(pinia, router) })
    const vm = wrapper.vm as unknown as { warning: boolean }
    vi.advanceTimersByTime(200_000)
    window.dispatchEvent(new Event('keydown'))
    vi.advanceTimersByTime(200_000)
    expect(vm.warning).toBe(false)
  })
})
