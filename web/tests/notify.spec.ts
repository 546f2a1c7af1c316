import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import NotifyBell from '@/layouts/NotifyBell.vue'
import { CLOSE_UNAUTHENTICATED, socketUrl, useNotifyStore, type PopupMessage } from '@/stores/notify'
import { flush, globals } from './helpers'

/** A WebSocket the test drives: open it, push server events, close it. */
class FakeSocket {
  static OPEN = 1
  static all: FakeSocket[] = []
  readyState = 0
  sent: string[] = []
  onopen: (() => void) | null = null
  onmessage: ((e: { data: string }) => void) | null = null
  onclose: ((e: { code: number }) => void) | null = null
  constructor(readonly url: string) {
    FakeSocket.all.push(this)
  }
  send(data: string) {
    this.sent.push(data)
  }
  close(code = 1000) {
    this.readyState = 3
    this.onclose?.({ code })
  }
  serverOpen() {
    this.readyState = FakeSocket.OPEN
    this.onopen?.()
  }
  push(event: unknown) {
    this.onmessage?.({ data: JSON.stringify(event) })
  }
}

const message: PopupMessage = {
  id: 7,
  message_id: 3,
  type: 'system.announcement',
  type_name: '公告通知',
  title: '关于开展家庭医生签约的通知',
  body: '医务科 发布了公告：请各卫生院本周内完成签约统计',
  display_mode: 'toast',
  urgent: false,
  must_handle: false,
  sender_name: '医务科',
  created_at: '2026-03-02T09:30:00+08:00',
}

beforeEach(() => {
  FakeSocket.all = []
  vi.stubGlobal('WebSocket', FakeSocket)
  setActivePinia(createPinia())
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('notify socket', () => {
  it('builds the socket address from the page address', () => {
    expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:8000' })).toBe('ws://127.0.0.1:8000/ws/notify/')
    expect(socketUrl({ protocol: 'https:', host: 'ygt.example.cn' })).toBe('wss://ygt.example.cn/ws/notify/')
  })

  it('keeps the unread count and shows each pushed message once', () => {
    const notify = useNotifyStore()
    notify.connect('ws://test/ws/notify/')
    const ws = FakeSocket.all[0]
    ws.serverOpen()
    expect(notify.state).toBe('open')

    ws.push({ type: 'unread', count: 2 })
    expect(notify.unread).toBe(2)
    ws.push({ type: 'popup', message, sound: null })
    ws.push({ type: 'unread', count: 3 })
    expect(notify.unread).toBe(3)
    expect(notify.recent.map((m) => m.title)).toEqual(['关于开展家庭医生签约的通知'])
    // shown as a notification (ElNotification renders into the body)
    expect(document.querySelector('.notify-popup')?.textContent).toContain('关于开展家庭医生签约的通知')
    ws.push({ type: 'handled', message_id: 3, handled_by: '张三' })
    expect(notify.recent).toEqual([])
  })

  it('reconnects after a dropped connection, not after 4401 (session gone) or a logout', () => {
    vi.useFakeTimers()
    const notify = useNotifyStore()
    notify.connect('ws://test/ws/notify/')
    FakeSocket.all[0].serverOpen()
    FakeSocket.all[0].close(1006)
    expect(notify.state).toBe('closed')
    vi.advanceTimersByTime(1_000)
    expect(FakeSocket.all).toHaveLength(2)

    FakeSocket.all[1].serverOpen()
    FakeSocket.all[1].close(CLOSE_UNAUTHENTICATED)
    vi.advanceTimersByTime(60_000)
    expect(FakeSocket.all).toHaveLength(2)

    notify.connect('ws://test/ws/notify/')
    expect(FakeSocket.all).toHaveLength(3)
    FakeSocket.all[2].serverOpen()
    notify.disconnect()
    vi.advanceTimersByTime(60_000)
    expect(FakeSocket.all).toHaveLength(3)
    expect(notify.unread).toBe(0)
  })

  it('pings while open', () => {
    vi.useFakeTimers()
    const notify = useNotifyStore()
    notify.connect('ws://test/ws/notify/')
    FakeSocket.all[0].serverOpen()
    vi.advanceTimersByTime(30_000)
    expect(FakeSocket.all[0].sent).toEqual(['{"type":"ping"}'])
    notify.disconnect()
  })
})

describe('NotifyBell', () => {
  it('shows the unread count on the bell and connects while mounted', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    const wrapper = mount(NotifyBell, { global: globals(pinia), attachTo: document.body })
    expect(FakeSocket.all).toHaveLength(1)
    FakeSocket.all[0].serverOpen()
    FakeSocket.all[0].push({ type: 'unread', count: 5 })
    await flush()
    const bell = wrapper.find('.notify-bell')
    expect(bell.attributes('data-state')).toBe('open')
    expect(bell.attributes('aria-label')).toBe('消息（5 条未读）')
    expect(bell.find('.el-badge__content').text()).toBe('5')
    wrapper.unmount()
    expect(FakeSocket.all[0].readyState).toBe(3)
  })
})
