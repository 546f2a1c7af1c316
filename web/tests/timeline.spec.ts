import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import WorkflowTimeline from '@/components/WorkflowTimeline.vue'
import { entryType, stateText, type TimelineItem } from '@/components/timeline'
import { flush, globals, withUser } from './helpers'

const ENTRIES: TimelineItem[] = [
  { id: 1, transition: 'submit', transition_label: '提交', from_state: 'draft', from_state_label: '草稿', to_state: 'submitted', to_state_label: '待审核', actor_name: '李医生', actor_institution_name: '城关镇卫生院', at: '2026-11-25T08:00:00+08:00', comment: '' },
  { id: 2, transition: 'receiver_reject', transition_label: '拒收', from_state: 'submitted', from_state_label: '待审核', to_state: 'rejected', to_state_label: '已拒收', actor_name: '王医生', at: '2026-11-25T09:30:00+08:00', comment: '床位已满' },
  { id: 3, transition: 'expire', transition_label: '超时关闭', to_state: 'closed', to_state_label: '已关闭', is_system: true, at: '2026-11-26T09:30:00+08:00' },
]

describe('WorkflowTimeline', () => {
  it('renders each entry with its action, state change, actor and comment', async () => {
    const wrapper = mount(WorkflowTimeline, { props: { entries: ENTRIES }, global: globals(withUser([])) })
    await flush()
    const items = wrapper.findAll('[data-transition]')
    expect(items.map((i) => i.attributes('data-transition'))).toEqual(['submit', 'receiver_reject', 'expire'])
    expect(items[0].text()).toContain('提交')
    expect(items[0].text()).toContain('草稿 → 待审核')
    expect(items[0].text()).toContain('李医生（城关镇卫生院）')
    expect(items[1].text()).toContain('床位已满')
    expect(items[2].text()).toContain('系统自动')
  })

  it('newest first when reversed', async () => {
    const wrapper = mount(WorkflowTimeline, { props: { entries: ENTRIES, reverse: true }, global: globals(withUser([])) })
    await flush()
    expect(wrapper.findAll('[data-transition]').map((i) => i.attributes('data-transition'))).toEqual(['expire', 'receiver_reject', 'submit'])
  })

  it('loads the entries with the given function and says when there are none', async () => {
    let answer: TimelineItem[] = []
    const wrapper = mount(WorkflowTimeline, { props: { load: async () => answer }, global: globals(withUser([])) })
    await flush()
    expect(wrapper.text()).toContain('暂无流转记录')
    answer = ENTRIES.slice(0, 1)
    await (wrapper.vm as unknown as { reload: () => Promise<void> }).reload()
    await flush()
    expect(wrapper.findAll('[data-transition]')).toHaveLength(1)
  })

  it('shows a failed load', async () => {
    const wrapper = mount(WorkflowTimeline, { props: { load: () => Promise.reject(new Error('x')) }, global: globals(withUser([])) })
    await flush()
    await flush()
    expect(wrapper.text()).toContain('流转记录加载失败')
  })

  it('colours rejections red, completions green and system steps grey', () => {
    expect(entryType({ transition: 'receiver_reject' })).toBe('danger')
    expect(entryType({ transition: 'cancel' })).toBe('danger')
    expect(entryType({ transition: 'complete' })).toBe('success')
    expect(entryType({ transition: 'expire', is_system: true })).toBe('info')
    expect(entryType({ transition: 'submit' })).toBe('primary')
    expect(stateText({ from_state: 'a', to_state: 'a', to_state_label: '同一状态' })).toBe('同一状态')
  })
})
