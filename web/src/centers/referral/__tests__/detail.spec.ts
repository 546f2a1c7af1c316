import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { fakeBackend, flush, globals, withUser } from '../../../../tests/helpers'
import ReferralDetail from '../ReferralDetail.vue'

const BASE = {
  id: 5,
  number: 'ZZ202611250001',
  direction: 'up',
  direction_display: '上转',
  kind: 'outpatient',
  kind_display: '门诊',
  urgency: 'urgent',
  urgency_display: '加急',
  status: 'applicant_reviewed',
  status_display: '待接收审核',
  patient_name: '周博霖',
  patient_sex_display: '男',
  patient_birth_date: '2007-09-04',
  from_institution_name: '青石镇中心卫生院',
  to_institution: 1,
  to_institution_name: '县人民医院',
  diagnosis_code: 'I10',
  diagnosis_name: '原发性高血压',
  reason: '血压控制不佳',
  created_at: '2026-11-25T08:00:00+08:00',
  package: { record_summary: { chief_complaint: '头晕 3 天' } },
  feedback: {},
  feedback_required: ['diagnosis_name', 'result', 'advice'],
  returns: [],
  timeline: [
    { id: 1, transition: 'submit', transition_label: '提交', from_state: 'draft', to_state: 'submitted', actor_name: '钱雪玲', at: '2026-11-25T08:00:00+08:00', comment: '' },
    { id: 2, transition: 'applicant_approve', transition_label: '转出审核通过', from_state: 'submitted', to_state: 'applicant_reviewed', actor_name: '袁婷', at: '2026-11-25T08:10:00+08:00', comment: '同意转出' },
  ],
  actions: [
    { name: 'receiver_approve', path: 'receiver-approve', label: '接收审核通过', requires_comment: false, has_data: false },
    { name: 'receiver_reject', path: 'receiver-reject', label: '接收审核驳回', requires_comment: true, has_data: true },
  ],
}

async function mountDetail(handler: Parameters<typeof fakeBackend>[0]) {
  const calls = fakeBackend(handler)
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/referral/referrals/:id', component: ReferralDetail }, { path: '/:p(.*)*', component: { template: '<div />' } }] })
  await router.push('/referral/referrals/5')
  const wrapper = mount(ReferralDetail, { global: globals(withUser(['referral.referral.view', 'referral.referral.review']), router), attachTo: document.body })
  await flush()
  await flush()
  return { calls, wrapper }
}

describe('referral detail', () => {
  it('shows the fields, the timeline and exactly the actions the server allows', async () => {
    const { calls, wrapper } = await mountDetail(() => ({ data: BASE }))
    expect(calls[0].url).toBe('/referral/referrals/5')
    expect(wrapper.find('.status-tag').text()).toBe('待接收审核')
    expect(wrapper.findAll('.buttons [data-action]').map((b) => b.text())).toEqual(['接收审核通过', '接收审核驳回'])
    expect(wrapper.find('.referral-fields').text()).toContain('原发性高血压（I10）')
    expect(wrapper.findAll('.referral-timeline [data-transition]').map((e) => e.attributes('data-transition'))).toEqual(['submit', 'applicant_approve'])
    wrapper.unmount()
  })

  it('asks for the rejection comment before posting, then shows the new status', async () => {
    const { calls, wrapper } = await mountDetail((c) =>
      c.method === 'post' ? { data: { ...BASE, status: 'rejected', status_display: '已驳回', actions: [] } } : { data: BASE },
    )
    await wrapper.find('.act-receiver-reject').trigger('click')
    await flush()
    const dialog = document.querySelector('.referral-action-dialog[data-action="receiver-reject"]') as HTMLElement
    expect(dialog).not.toBeNull()
    ;(dialog.querySelector('.btn-confirm') as HTMLElement).click()
    await flush()
    await flush()
    expect(dialog.querySelector('.field-comment')!.classList.contains('is-error')).toBe(true)
    expect(calls.filter((c) => c.method === 'post')).toHaveLength(0)

    const textarea = dialog.querySelector('.field-comment textarea') as HTMLTextAreaElement
    textarea.value = '本院该专科暂停接诊'
    textarea.dispatchEvent(new Event('input'))
    await flush()
    ;(dialog.querySelector('.btn-confirm') as HTMLElement).click()
    await flush()
    await flush()
    const posted = calls.filter((c) => c.method === 'post')
    expect(posted.map((c) => c.url)).toEqual(['/referral/referrals/5/receiver-reject'])
    expect(JSON.parse(String(posted[0].data))).toEqual({ comment: '本院该专科暂停接诊' })
    expect(wrapper.find('.status-tag').text()).toBe('已驳回')
    expect(wrapper.findAll('.buttons [data-action]')).toHaveLength(0)
    wrapper.unmount()
  })
})
