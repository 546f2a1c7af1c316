/** The list page of referrals: search form and columns. */
import type { ResourceSchema } from '@/components/schema'
import { DIRECTIONS, DIRECTION_TAGS, KINDS, STATUSES, STATUS_TAGS, URGENCIES, URGENCY_TAGS } from './options'

export function referralSchema(view: string, status = ''): ResourceSchema {
  return {
    title: '转诊单',
    api: '/referral/referrals',
    perm: 'referral.referral',
    keyword: '单号/患者/诊断',
    ordering: '-id',
    fixedParams: view ? { view } : {},
    actions: { view: false, create: false, edit: false, delete: false, import: false, export: true },
    search: [
      { prop: 'status', label: '状态', type: 'select', options: STATUSES, default: status },
      { prop: 'direction', label: '方向', type: 'select', options: DIRECTIONS },
      { prop: 'kind', label: '类型', type: 'select', options: KINDS },
      { prop: 'urgency', label: '紧急程度', type: 'select', options: URGENCIES },
      { prop: 'created', label: '申请日期', type: 'daterange', rangeProps: ['created_after', 'created_before'] },
      { prop: 'planned', label: '计划就诊', type: 'daterange', rangeProps: ['planned_after', 'planned_before'] },
      { prop: 'from_institution', label: '转出机构', type: 'remote', remote: '/org/institutions' },
      { prop: 'to_institution', label: '转入机构', type: 'remote', remote: '/org/institutions' },
      { prop: 'patient', label: '患者姓名' },
    ],
    columns: [
      { prop: 'number', label: '转诊单号', width: 150, fixed: 'left' },
      { prop: 'patient_name', label: '患者', width: 90 },
      { prop: 'direction', label: '方向', type: 'tag', width: 70, tags: DIRECTION_TAGS },
      { prop: 'kind_display', label: '类型', width: 70 },
      { prop: 'urgency', label: '紧急', type: 'tag', width: 70, tags: URGENCY_TAGS },
      { prop: 'status', label: '状态', type: 'tag', width: 110, tags: STATUS_TAGS },
      { prop: 'diagnosis_name', label: '初步诊断', minWidth: 140 },
      { prop: 'from_institution_name', label: '转出机构', minWidth: 150 },
      { prop: 'from_doctor_name', label: '申请医生', width: 90 },
      { prop: 'to_institution_name', label: '转入机构', minWidth: 150 },
      { prop: 'to_department_name', label: '转入科室', width: 110 },
      { prop: 'planned_at', label: '计划就诊', type: 'datetime', width: 150, sortable: true },
      { prop: 'created_at', label: '申请时间', type: 'datetime', width: 150, sortable: true },
      { prop: 'submitted_at', label: '提交时间', type: 'datetime', width: 150, sortable: true },
    ],
  }
}
