import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import HomeView from '@/views/home/HomeView.vue'
import { fakeBackend, flush, globals, testRouter, withUser } from './helpers'

const WORKBENCH = {
  centers: [
    {
      center: '双向转诊',
      total: 5,
      todos: [
        { code: 'referral.inbound', label: '待审核转入申请', path: '/referral/referrals?status=submitted', count: 3, urgent: 1, available: true },
        { code: 'referral.outbound', label: '待确认转出', path: '/referral/referrals', count: 2, urgent: 0, available: true },
      ],
    },
    { center: '处方审核', total: 0, todos: [{ code: 'rx.broken', label: '待审处方', path: '/rx/reviews', count: 0, urgent: 0, available: false }] },
  ],
  todo_total: 5,
  unread_count: 7,
  messages: [{ id: 31, title: '转诊申请待审核', type_name: '转诊通知', sender_name: '系统', sent_at: '2026-11-25T08:00:00+08:00', urgent: true, must_handle: false }],
  announcements: [{ id: 4, title: '关于春节排班的通知', publisher_name: '王主任', institution_name: '县人民医院', publish_at: '2026-11-24T09:00:00+08:00', is_read: false }],
}

describe('workbench (HomeView)', () => {
  it('shows the to-do counters per center from GET /workbench, with links to their pages', async () => {
    const calls = fakeBackend(() => ({ data: WORKBENCH }))
    const pinia = withUser([])
    const router = testRouter()
    const wrapper = mount(HomeView, { global: globals(pinia, router) })
    await flush()
    await flush()
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['get /workbench'])
    expect(wrapper.findAll('[data-center]').map((c) => c.attributes('data-center'))).toEqual(['双向转诊', '处方审核'])
    const inbound = wrapper.find('[data-todo="referral.inbound"]')
    expect(inbound.text()).toContain('3')
    expect(inbound.text()).toContain('待审核转入申请')
    expect(inbound.text()).toContain('其中超时/紧急 1')
    expect(inbound.attributes('href')).toBe('/referral/referrals?status=submitted')
    expect(wrapper.find('[data-todo="rx.broken"] .counter-value').text()).toBe('—')
    expect(wrapper.find('[data-stat="todo"]').text()).toContain('5')
    expect(wrapper.find('[data-stat="unread"]').text()).toContain('7')
    expect(wrapper.find('[data-section="messages"]').text()).toContain('转诊申请待审核')
    expect(wrapper.find('[data-section="announcements"]').text()).toContain('关于春节排班的通知')
  })

  it('says so when there is nothing to do', async () => {
    fakeBackend(() => ({ data: { ...WORKBENCH, centers: [], todo_total: 0, messages: [], announcements: [] } }))
    const wrapper = mount(HomeView, { global: globals(withUser([]), testRouter()) })
    await flush()
    await flush()
    expect(wrapper.findAll('[data-center]')).toHaveLength(0)
    expect(wrapper.find('[data-section="todos"]').text()).toContain('暂无待办事项')
    expect(wrapper.find('[data-section="messages"]').text()).toContain('没有未读消息')
  })

  it('shows an error with a retry when the workbench cannot be loaded', async () => {
    let fail = true
    fakeBackend(() => (fail ? { status: 500, data: {} } : { data: WORKBENCH }))
    const wrapper = mount(HomeView, { global: globals(withUser([]), testRouter()) })
    await flush()
    await flush()
    expect(wrapper.find('[data-section="todos"]').text()).toContain('待办加载失败')
    fail = false
    await wrapper.find('[data-section="todos"] .card-head button').trigger('click')
    await flush()
    await flush()
    expect(wrapper.findAll('[data-center]')).toHaveLength(2)
  })
})
