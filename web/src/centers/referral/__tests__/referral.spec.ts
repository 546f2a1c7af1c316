import { describe, expect, it } from 'vitest'
import { actionBody, buttonType, feedbackFields, flattenErrors, formOf } from '../actions'
import { pages } from '../pages'
import { chartOption, hours, percent } from '../stats'
import { draftBody, emptyPackage, packageBody, updateBody, type ClinicalState, type PatientState, type TargetState } from '../wizard'

const clinical: ClinicalState = {
  direction: 'up',
  kind: 'outpatient',
  urgency: 'urgent',
  diagnosis_code: ' i10 ',
  diagnosis_name: ' 原发性高血压 ',
  reason: ' 血压控制不佳 ',
  condition_summary: '',
  treatment: '氨氯地平',
}
const target: TargetState = { to_institution: 7, to_department: 70, slot: 700 }

describe('referral actions', () => {
  it('maps each action path to its form', () => {
    expect(formOf({ path: 'applicant-approve' })).toBe('review')
    expect(formOf({ path: 'receiver-reject' })).toBe('reject')
    expect(formOf({ path: 'arrange' })).toBe('arrange')
    expect(formOf({ path: 'return' })).toBe('return')
    expect(buttonType({ path: 'refuse' })).toBe('danger')
    expect(buttonType({ path: 'feedback' })).toBe('success')
  })

  it('wraps workflow data and sends 转回 bare', () => {
    expect(actionBody('submit', { slot: 5 }, ' 请安排 ')).toEqual({ comment: '请安排', data: { slot: 5 } })
    expect(actionBody('submit', { slot: null }, '')).toEqual({ comment: '', data: {} })
    expect(actionBody('arrange', { planned_at: '2026-12-01T09:00:00+08:00', department: 3, doctor: null, bed: null, note: '' }, '')).toEqual({
      comment: '',
      data: { planned_at: '2026-12-01T09:00:00+08:00', department: 3 },
    })
    expect(actionBody('reject', {}, '资料不全')).toEqual({ comment: '资料不全' })
    expect(actionBody('return', { target: 'origin', kind: 'outpatient', urgency: 'normal', reason: '', condition_summary: '稳定' }, 'x')).toEqual({
      target: 'origin',
      kind: 'outpatient',
      urgency: 'normal',
      condition_summary: '稳定',
    })
  })

  it('shows the feedback fields of the referral type with the server-required ones marked', () => {
    const up = feedbackFields('up', 'outpatient', ['diagnosis_name', 'result', 'advice'])
    expect(up.map((f) => f.prop)).toEqual(['diagnosis_code', 'diagnosis_name', 'result', 'advice'])
    expect(up.filter((f) => f.required).map((f) => f.prop)).toEqual(['diagnosis_name', 'result', 'advice'])
    const exam = feedbackFields('up', 'exam', ['exam_findings', 'exam_conclusion'])
    expect(exam.map((f) => f.prop)).toEqual(['exam_findings', 'exam_conclusion', 'advice'])
    const down = feedbackFields('down', 'inpatient', ['arrived', 'recovery', 'health_status'])
    expect(down.filter((f) => f.required).map((f) => f.prop)).toEqual(['arrived', 'recovery', 'health_status'])
  })

  it('flattens nested field errors of a transition', () => {
    expect(flattenErrors({ data: { planned_at: ['请填写计划就诊时间。'] }, comment: ['必须填写意见。'] })).toEqual({
      planned_at: '请填写计划就诊时间。',
      comment: '必须填写意见。',
    })
  })
})

describe('create wizard body', () => {
  it('sends the resident file and a package without empty parts', () => {
    const patient: PatientState = { mode: 'resident', resident: 42, id_number: '', name: '', sex: '', birth_date: '', phone: '' }
    const pkg = emptyPackage()
    pkg.record_summary.chief_complaint = '头晕 3 天'
    pkg.lab = [{ item: '血钾', result: '3.2', unit: 'mmol/L', reference: '', abnormal: 'L' }, { item: '', result: '', unit: '', reference: '', abnormal: '' }]
    const body = draftBody(patient, clinical, target, pkg)
    expect(body).toEqual({
      resident: 42,
      direction: 'up',
      kind: 'outpatient',
      urgency: 'urgent',
      to_institution: 7,
      to_department: 70,
      reason: '血压控制不佳',
      condition_summary: '',
      diagnosis_code: 'I10',
      diagnosis_name: '原发性高血压',
      treatment: '氨氯地平',
      package: { record_summary: { chief_complaint: '头晕 3 天' }, lab: [{ item: '血钾', result: '3.2', unit: 'mmol/L', abnormal: 'L' }] },
    })
    expect(updateBody(body)).not.toHaveProperty('resident')
  })

  it('registers a patient by ID number and name', () => {
    const patient: PatientState = { mode: 'register', resident: null, id_number: '32092319800101001x', name: ' 王五 ', sex: '1', birth_date: '', phone: '' }
    expect(draftBody(patient, clinical, target, emptyPackage()).patient).toEqual({ id_number: '32092319800101001X', name: '王五', sex: '1' })
    expect(packageBody(emptyPackage())).toEqual({})
  })
})

describe('statistics charts', () => {
  it('builds bars from categories and pies side by side', () => {
    const bar = chartOption({ categories: ['青石镇', '六合镇'], series: [{ name: '上转', key: 'up', type: 'bar', data: [3, 1] }] }) as Record<string, any>
    expect(bar.xAxis.data).toEqual(['青石镇', '六合镇'])
    expect(bar.series).toEqual([{ type: 'bar', name: '上转', data: [3, 1], smooth: false }])
    const pie = chartOption({
      categories: [],
      series: [
        { name: '转诊数', key: 'direction', type: 'pie', data: [{ name: '上转', value: 2 }] },
        { name: '转诊类型', key: 'kind', type: 'pie', data: [{ name: '门诊', value: 2 }] },
      ],
    }) as Record<string, any>
    expect(pie.series.map((s: { center: string[] }) => s.center[0])).toEqual(['25%', '75%'])
    expect(hours(1.25)).toBe('1.3 小时')
    expect(hours(null)).toBe('—')
    expect(percent(0.5)).toBe('50.0%')
  })
})

describe('pages', () => {
  it('declares the menu paths of the server catalogue', () => {
    expect(pages.filter((p) => !p.hidden).map((p) => [p.path, p.perm])).toEqual([
      ['/referral/referrals', 'referral.referral'],
      ['/referral/settings', 'referral.settings'],
      ['/referral/schedules', 'referral.schedule'],
      ['/referral/rules', 'referral.rule'],
      ['/referral/paths', 'referral.path'],
      ['/referral/stats', 'referral.stats'],
    ])
  })
})
