import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import InboxPage from '@/views/notify/inbox/index.vue'
import { fakeBackend, flush, globals, page, testRouter, withUser } from './helpers'

const UNREAD = { id: 41, message_id: 7, title: '转诊申请待审核', type_name: '转诊通知', sender_name: '系统', sent_at: '2026-11-25T08:00:00+08:00', is_read: false, read_at: null, must_handle: true, handled_at: null, urgent: false, body: '' }

describe('inbox page', () => {
  it('lists the inbox for any signed-in user and marks a message read', async () => {
    const calls = fakeBackend((c) => {
      if (c.method === 'post' && c.url === '/notify/inbox/41/read') return { data: { ...UNREAD, is_read: true, read_at: '2026-11-25T09:00:00+08:00' } }
      return { data: page([UNREAD]) }
    })
    const router = testRouter()
    await router.push('/notify/inbox')
    const wrapper = mount(InboxPage, { global: globals(withUser([]), router), attachTo: document.body })
    await flush()
    await flush()
    expect(calls[0].url).toBe('/notify/inbox')
    expect(calls[0].params).toMatchObject({ status: 'all' })
    expect(wrapper.text()).toContain('转诊申请待审核')
    expect(wrapper.find('.el-table__body [data-action="handle"]').exists()).toBe(true)

    await wrapper.find('.el-table__body [data-action="read"]').trigger('click')
    await flush()
    await flush()
    expect(calls.some((c) => c.method === 'post' && c.url === '/notify/inbox/41/read')).toBe(true)
    expect(wrapper.find('.el-table__body [data-action="read"]').exists()).toBe(false)
  })

  it('filters unread messages and marks all read', async () => {
    const calls = fakeBackend((c) => (c.url === '/notify/inbox/read-all' ? { data: { updated: 3 } } : { data: page([]) }))
    const router = testRouter()
    await router.push('/notify/inbox')
    const wrapper = mount(InboxPage, { global: globals(withUser([]), router), attachTo: document.body })
    await flush()
    const unread = wrapper.findAll('.el-radio-button').find((b) => b.text() === '未读')!
    await unread.find('input').setValue(true)
    await flush()
    await flush()
    expect(calls.at(-1)?.params).toMatchObject({ status: 'unread', page: 1 })
    await wrapper.find('[data-action="read-all"]').trigger('click')
    await flush()
    expect(calls.some((c) => c.method === 'post' && c.url === '/notify/inbox/read-all')).toBe(true)
  })
})
