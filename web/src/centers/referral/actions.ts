/** What each referral action asks for: the form of the action dialog and the request body it sends. */

export interface ReferralAction {
  name: string
  path: string
  label: string
  requires_comment: boolean
  has_data: boolean
}

/** The form kinds of the action dialog. */
export type ActionForm = 'submit' | 'review' | 'reject' | 'arrange' | 'refuse' | 'receive' | 'feedback' | 'close' | 'cancel' | 'return'

export function formOf(action: Pick<ReferralAction, 'path'>): ActionForm {
  switch (action.path) {
    case 'submit':
      return 'submit'
    case 'applicant-approve':
    case 'receiver-approve':
      return 'review'
    case 'applicant-reject':
    case 'receiver-reject':
      return 'reject'
    case 'arrange':
    case 'refuse':
    case 'receive':
    case 'feedback':
    case 'close':
    case 'cancel':
    case 'return':
      return action.path
    default:
      return 'review'
  }
}

/** Danger buttons for the actions that end or turn back a referral. */
export function buttonType(action: Pick<ReferralAction, 'path'>): 'primary' | 'danger' | 'default' | 'success' {
  if (/reject|refuse|cancel/.test(action.path)) return 'danger'
  if (action.path === 'close' || action.path === 'return') return 'default'
  if (action.path === 'feedback') return 'success'
  return 'primary'
}

/** Feedback fields of the form, by label; which ones are required comes from the detail (`feedback_required`). */
export const FEEDBACK_FIELDS: Record<'up' | 'down', { prop: string; label: string; type: 'text' | 'textarea' | 'date' | 'datetime' | 'switch' | 'recovery' }[]> = {
  up: [
    { prop: 'diagnosis_code', label: '确诊诊断编码', type: 'text' },
    { prop: 'diagnosis_name', label: '确诊诊断', type: 'text' },
    { prop: 'result', label: '诊疗结果', type: 'textarea' },
    { prop: 'admitted_at', label: '入院日期', type: 'date' },
    { prop: 'discharged_at', label: '出院日期', type: 'date' },
    { prop: 'discharge_summary', label: '出院小结', type: 'textarea' },
    { prop: 'exam_findings', label: '检查所见', type: 'textarea' },
    { prop: 'exam_conclusion', label: '检查结论', type: 'textarea' },
    { prop: 'advice', label: '后续治疗与康复建议', type: 'textarea' },
  ],
  down: [
    { prop: 'arrived', label: '患者已到位', type: 'switch' },
    { prop: 'arrived_at', label: '到位时间', type: 'datetime' },
    { prop: 'recovery', label: '康复情况', type: 'recovery' },
    { prop: 'health_status', label: '健康状况', type: 'textarea' },
    { prop: 'stage', label: '阶段', type: 'text' },
    { prop: 'stage_result', label: '阶段康复结果', type: 'textarea' },
  ],
}

/** The up-referral feedback fields a kind shows (the others belong to another kind's form). */
const UP_KIND_FIELDS: Record<string, string[]> = {
  outpatient: ['diagnosis_code', 'diagnosis_name', 'result', 'advice'],
  inpatient: ['diagnosis_code', 'diagnosis_name', 'admitted_at', 'discharged_at', 'discharge_summary', 'advice'],
  exam: ['exam_findings', 'exam_conclusion', 'advice'],
}

export function feedbackFields(direction: string, kind: string, required: string[]) {
  if (direction === 'down') return FEEDBACK_FIELDS.down.map((f) => ({ ...f, required: required.includes(f.prop) }))
  const shown = new Set([...(UP_KIND_FIELDS[kind] ?? []), ...required])
  return FEEDBACK_FIELDS.up.filter((f) => shown.has(f.prop)).map((f) => ({ ...f, required: required.includes(f.prop) }))
}

/** Drop empty values: the server treats a missing optional field and an empty one alike. */
export function compact(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(values)) {
    if (value === '' || value === null || value === undefined) continue
    out[key] = value
  }
  return out
}

/**
 * The request body of an action: `{comment, data}` for workflow transitions, the bare form for 转回
 * (`POST referrals/{id}/return` takes its own serializer).
 */
export function actionBody(form: ActionForm, values: Record<string, unknown>, comment: string): Record<string, unknown> {
  if (form === 'return') return compact(values)
  const body: Record<string, unknown> = { comment: comment.trim() }
  if (form === 'submit') {
    body.data = values.slot ? { slot: values.slot } : {}
  } else if (form === 'arrange' || form === 'refuse' || form === 'receive' || form === 'feedback') {
    body.data = compact(values)
  }
  return body
}

/** The first message of each field of a 400 answer, flattened (`data.planned_at` → `planned_at`). */
export function flattenErrors(fields: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  const visit = (value: unknown, key: string): void => {
    if (Array.isArray(value)) {
      const text = value.filter((v) => typeof v === 'string').join('；')
      if (text) out[key] = text
      else value.forEach((v, i) => visit(v, `${key}.${i}`))
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, key === 'data' || key === '' ? k : k)
    } else if (typeof value === 'string') {
      out[key] = value
    }
  }
  visit(fields, '')
  return out
}
