/** Calls of the review-center pages beyond the plain resource CRUD (ResourcePage does those). */
import { call, download } from '@/api/http'
import { endpoint } from '@/api/openapi'
import type { Params, Row } from '@/api/types'

export interface Paged<T> {
  count: number
  results: T[]
}

export interface Finding {
  check_type: string
  severity: string
  message: string
  drug_codes: string[]
  source: string
  diagnosis_codes?: string[]
  lab_codes?: string[]
  allergy?: string
  rule_id?: string
  item_indexes?: number[]
}

export interface TaskDetail extends Row {
  id: number
  his_id: string
  status: string
  status_label: string
  max_severity: string
  requires_second: boolean
  claimed_by: number | null
  claimed_by_name: string
  institution_name: string
  reason: string
  due_at: string | null
  created_at: string
  prescription_detail: Row
  content: Record<string, unknown> | null
  version_number: number
  findings: Finding[]
  drug_links: { drug_code: string; name: string; label_path: string }[]
}

export interface QuickReply {
  id: number
  kind: string
  text: string
  sort_order: number
}

export interface Counters {
  totals: Record<string, number>
  institutions: Row[]
  pharmacists: Row[]
}

/** Every endpoint these pages call beyond ResourcePage's CRUD, checked against docs/openapi.yaml. */
export const rxEndpoints = {
  counters: endpoint('get', '/rx/tasks/counters'),
  checkTypes: endpoint('get', '/rx/check-types'),
  tasks: endpoint('get', '/rx/tasks'),
  task: endpoint('get', '/rx/tasks/{id}'),
  claim: endpoint('post', '/rx/tasks/claim'),
  release: endpoint('post', '/rx/tasks/{id}/release'),
  approve: endpoint('post', '/rx/tasks/{id}/approve'),
  approveFirst: endpoint('post', '/rx/tasks/{id}/approve-first'),
  approveSecond: endpoint('post', '/rx/tasks/{id}/approve-second'),
  reject: endpoint('post', '/rx/tasks/{id}/reject'),
  rejectAllowDoubleSign: endpoint('post', '/rx/tasks/{id}/reject-allow-double-sign'),
  doubleSign: endpoint('post', '/rx/tasks/{id}/double-sign'),
  quickReplies: endpoint('get', '/rx/quick-replies'),
  addQuickReply: endpoint('post', '/rx/quick-replies'),
  editQuickReply: endpoint('patch', '/rx/quick-replies/{id}'),
  deleteQuickReply: endpoint('delete', '/rx/quick-replies/{id}'),
  reorderQuickReplies: endpoint('post', '/rx/quick-replies/reorder'),
  prescription: endpoint('get', '/rx/prescriptions/{id}'),
  dutyMe: endpoint('get', '/rx/duties/me'),
  onDuty: endpoint('post', '/rx/duties/on-duty'),
  offDuty: endpoint('post', '/rx/duties/off-duty'),
  supervision: endpoint('get', '/rx/supervision'),
  statistics: endpoint('get', '/rx/comment/statistics'),
  sample: endpoint('get', '/rx/comment/samples/{id}'),
  judge: endpoint('post', '/rx/comment/samples/{id}/judge'),
  appeal: endpoint('post', '/rx/comment/samples/{id}/appeal'),
  replyAppeal: endpoint('post', '/rx/comment/appeals/{id}/reply'),
  reasons: endpoint('get', '/rx/comment/reasons'),
  cloneVersion: endpoint('post', '/rx/knowledge/versions'),
  publishVersion: endpoint('post', '/rx/knowledge/versions/{id}/publish'),
  diffVersion: endpoint('get', '/rx/knowledge/versions/{id}/diff'),
  startTask: endpoint('post', '/rx/comment/tasks/{id}/start'),
  finishTask: endpoint('post', '/rx/comment/tasks/{id}/finish'),
}

/** The decision endpoints by their URL name (the workflow's transition, dashes for underscores). */
const DECISIONS = {
  approve: rxEndpoints.approve,
  'approve-first': rxEndpoints.approveFirst,
  'approve-second': rxEndpoints.approveSecond,
  reject: rxEndpoints.reject,
  'reject-allow-double-sign': rxEndpoints.rejectAllowDoubleSign,
  'double-sign': rxEndpoints.doubleSign,
} as const
export type Decision = keyof typeof DECISIONS

// The pages read these answers loosely (JSON objects with known keys); the casts say so once, here.
const loose = <T>(value: unknown): T => value as T

export const rxApi = {
  counters: async (params: Params = {}) => loose<Counters>(await call(rxEndpoints.counters, { config: { params } })),
  tasks: async (params: Params) => loose<Paged<Row>>(await call(rxEndpoints.tasks, { config: { params } })),
  /** code → 审核类型名称 (the engine's check-type catalogue), for the findings. */
  checkTypeNames: async () => Object.fromEntries((await call(rxEndpoints.checkTypes, { config: { silent: true } })).map((t) => [t.code, t.name])) as Record<string, string>,
  task: async (id: number) => loose<TaskDetail>(await call(rxEndpoints.task, { path: { id } })),
  /** 抢单: the oldest waiting task (FIFO); null when the queue is empty (204). */
  claim: async (): Promise<TaskDetail | null> => loose<TaskDetail | ''>(await call(rxEndpoints.claim)) || null,
  release: async (id: number) => loose<TaskDetail>(await call(rxEndpoints.release, { path: { id } })),
  decide: async (id: number, action: Decision, comment: string, data: Params | null = null) =>
    loose<Row>(await call(DECISIONS[action], { path: { id }, body: loose({ comment, attachments: [], data }) })),
  quickReplies: async (kind?: string) =>
    loose<Paged<QuickReply>>(await call(rxEndpoints.quickReplies, { config: { params: { kind, ordering: 'sort_order', page_size: 200 } } })).results,
  addQuickReply: (body: Partial<QuickReply>) => call(rxEndpoints.addQuickReply, { body: loose(body) }),
  editQuickReply: (id: number, body: Partial<QuickReply>) => call(rxEndpoints.editQuickReply, { path: { id }, body: loose(body) }),
  deleteQuickReply: (id: number) => call(rxEndpoints.deleteQuickReply, { path: { id } }),
  reorderQuickReplies: async (ids: number[]) => loose<QuickReply[]>(await call(rxEndpoints.reorderQuickReplies, { body: { ids } })),
  prescription: async (id: number) => loose<Row>(await call(rxEndpoints.prescription, { path: { id } })),
  dutyMe: async () => loose<Row | null>(await call(rxEndpoints.dutyMe)),
  onDuty: async () => loose<Row>(await call(rxEndpoints.onDuty)),
  offDuty: async () => loose<Row>(await call(rxEndpoints.offDuty)),
  supervision: async (params: Params) => loose<Row>(await call(rxEndpoints.supervision, { config: { params } })),
  exportSupervision: (params: Params) => download(rxEndpoints.supervision.path, { ...params, format: 'xlsx' }, '前置审方成效统计.xlsx'),
  statistics: async (params: Params) => loose<Row>(await call(rxEndpoints.statistics, { config: { params } })),
  exportStatistics: (params: Params) => download(rxEndpoints.statistics.path, { ...params, format: 'xlsx' }, '处方点评统计.xlsx'),
  sample: async (id: number) => loose<Row>(await call(rxEndpoints.sample, { path: { id } })),
  judge: (id: number, body: Params) => call(rxEndpoints.judge, { path: { id }, body: loose(body) }),
  appeal: (id: number, body: Params) => call(rxEndpoints.appeal, { path: { id }, body: loose(body) }),
  replyAppeal: (id: number, body: Params) => call(rxEndpoints.replyAppeal, { path: { id }, body: loose(body) }),
  reasons: async () => loose<Paged<Row>>(await call(rxEndpoints.reasons, { config: { params: { page_size: 200, ordering: 'order' } } })).results,
  cloneVersion: (body: Params) => call(rxEndpoints.cloneVersion, { body: loose(body) }),
  publishVersion: (id: number, effective_date: string) => call(rxEndpoints.publishVersion, { path: { id }, body: { effective_date } }),
  diffVersion: async (id: number, base?: number) => loose<Row>(await call(rxEndpoints.diffVersion, { path: { id }, config: { params: { base } } })),
  startTask: async (id: number) => loose<Row>(await call(rxEndpoints.startTask, { path: { id } })),
  finishTask: async (id: number) => loose<Row>(await call(rxEndpoints.finishTask, { path: { id } })),
}
