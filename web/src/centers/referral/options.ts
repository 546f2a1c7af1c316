/** Choices of 双向转诊 (server `centers/referral/choices.py`, `flows.py`) and their tag colours. */
import type { Option } from '@/components/schema'
import { options } from '@/components/schema'

export const DIRECTIONS: Option[] = options([
  ['up', '上转'],
  ['down', '下转'],
])

export const KINDS: Option[] = options([
  ['outpatient', '门诊'],
  ['inpatient', '住院'],
  ['exam', '检查'],
])

export const URGENCIES: Option[] = options([
  ['normal', '普通'],
  ['urgent', '加急'],
  ['emergency', '急诊'],
])

/** The workflow states in their order (`ReferralFlow.states`). */
export const STATUSES: Option[] = options([
  ['draft', '草稿'],
  ['submitted', '待转出审核'],
  ['applicant_reviewed', '待接收审核'],
  ['receiver_reviewed', '待安排'],
  ['arranged', '待接诊'],
  ['received', '已接诊'],
  ['feedback', '已反馈'],
  ['closed', '已结束'],
  ['rejected', '已驳回'],
  ['refused', '已拒收'],
  ['cancelled', '已撤销'],
  ['no_show', '已爽约'],
])

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info'

const STATUS_TYPE: Record<string, TagType> = {
  draft: 'info',
  submitted: 'warning',
  applicant_reviewed: 'warning',
  receiver_reviewed: 'warning',
  arranged: 'primary',
  received: 'primary',
  feedback: 'success',
  closed: 'success',
  rejected: 'danger',
  refused: 'danger',
  cancelled: 'info',
  no_show: 'danger',
}

export const STATUS_TAGS: Record<string, { label: string; type: TagType }> = Object.fromEntries(
  STATUSES.map((o) => [String(o.value), { label: o.label, type: STATUS_TYPE[String(o.value)] ?? 'info' }]),
)

export const URGENCY_TAGS: Record<string, { label: string; type: TagType }> = {
  normal: { label: '普通', type: 'info' },
  urgent: { label: '加急', type: 'warning' },
  emergency: { label: '急诊', type: 'danger' },
}

export const DIRECTION_TAGS: Record<string, { label: string; type: TagType }> = {
  up: { label: '上转', type: 'primary' },
  down: { label: '下转', type: 'success' },
}

/**
 * The list views (`?view=`): '' = 全部. The server's `mine` is "where I am the applying, receiving or
 * arranged doctor" (我的转诊), not "where I have an action now" — see the report.
 */
export const VIEWS: Option[] = options([
  ['mine', '我的转诊'],
  ['outbound', '转出'],
  ['inbound', '转入'],
  ['', '全部'],
])

export const RECOVERY: Option[] = options([
  ['good', '恢复良好'],
  ['improving', '好转'],
  ['stable', '稳定'],
  ['worse', '加重'],
])

export const SEXES: Option[] = options([
  ['1', '男'],
  ['2', '女'],
])

export const PERIODS: Option[] = options([
  ['am', '上午'],
  ['pm', '下午'],
  ['night', '夜间'],
])

export const SLOT_STATUSES: Option[] = options([
  ['open', '开放'],
  ['closed', '关闭'],
])

export const PINNINGS: Option[] = options([
  ['doctor', '到医生'],
  ['department', '到科室'],
  ['hospital', '到医院'],
])

export const SEVERITIES: Option[] = options([
  ['emergency', '紧急转诊'],
  ['urgent', '尽快转诊'],
  ['routine', '建议转诊'],
])

export const RULE_STATUSES: Option[] = options([
  ['active', '生效'],
  ['inactive', '停用'],
])

export const WEEKDAYS: Option[] = options([
  [0, '周一'],
  [1, '周二'],
  [2, '周三'],
  [3, '周四'],
  [4, '周五'],
  [5, '周六'],
  [6, '周日'],
])

/** The Chinese name of a state. */
export function statusLabel(value: unknown): string {
  return STATUS_TAGS[String(value)]?.label ?? String(value ?? '')
}
