/** The API of 双向转诊 (server `centers/referral/api`, `centers/referral/config/api`), typed from the OpenAPI document. */
import { call, download, get, post } from '@/api/http'
import { endpoint, fillPath, type Schemas } from '@/api/openapi'
import { cleanParams } from '@/api/resource'
import type { Brief, Id, Page, Params } from '@/api/types'

export type ReferralDetail = Schemas['ReferralDetail']
export type ReferralList = Schemas['ReferralList']
export type AvailableSlot = Schemas['AvailableSlot']
export type PathRecommendation = Schemas['PathRecommendation']
export type RuleEvaluation = Schemas['RuleEvaluation']
export type ReferralSettings = Schemas['ReferralSettings']
export type StatsResult = Schemas['StatsResult']

export const referralEndpoints = {
  list: endpoint('get', '/referral/referrals'),
  create: endpoint('post', '/referral/referrals'),
  detail: endpoint('get', '/referral/referrals/{id}'),
  update: endpoint('patch', '/referral/referrals/{id}'),
  print: endpoint('get', '/referral/referrals/{id}/print'),
  returnReferral: endpoint('post', '/referral/referrals/{id}/return'),
  submit: endpoint('post', '/referral/referrals/{id}/submit'),
  applicantApprove: endpoint('post', '/referral/referrals/{id}/applicant-approve'),
  applicantReject: endpoint('post', '/referral/referrals/{id}/applicant-reject'),
  receiverApprove: endpoint('post', '/referral/referrals/{id}/receiver-approve'),
  receiverReject: endpoint('post', '/referral/referrals/{id}/receiver-reject'),
  arrange: endpoint('post', '/referral/referrals/{id}/arrange'),
  refuse: endpoint('post', '/referral/referrals/{id}/refuse'),
  receive: endpoint('post', '/referral/referrals/{id}/receive'),
  feedback: endpoint('post', '/referral/referrals/{id}/feedback'),
  close: endpoint('post', '/referral/referrals/{id}/close'),
  cancel: endpoint('post', '/referral/referrals/{id}/cancel'),
  slotsAvailable: endpoint('get', '/referral/slots/available'),
  /** Institutions in the user's data scope (one more source of referral targets). */
  institutions: endpoint('get', '/org/institutions'),
  pathsRecommend: endpoint('get', '/referral/paths/recommend'),
  rulesEvaluate: endpoint('post', '/referral/rules/evaluate'),
  settings: endpoint('get', '/referral/settings'),
  settingsUpdate: endpoint('put', '/referral/settings/{institution_id}'),
  scheduleGenerate: endpoint('post', '/referral/schedules/{id}/generate'),
  slotOpen: endpoint('post', '/referral/slots/{id}/open'),
  slotClose: endpoint('post', '/referral/slots/{id}/close'),
  slotCapacity: endpoint('post', '/referral/slots/{id}/capacity'),
  statsSummary: endpoint('get', '/referral/stats/summary'),
  statsInstitution: endpoint('get', '/referral/stats/by-institution'),
  statsRegion: endpoint('get', '/referral/stats/by-region'),
  statsDoctor: endpoint('get', '/referral/stats/by-doctor'),
  statsPeriod: endpoint('get', '/referral/stats/by-period'),
  statsExport: endpoint('get', '/referral/stats/export'),
}
const ep = referralEndpoints

/** The workflow action paths the detail page may post to (`actions[].path` of the detail). */
const ACTION_ENDPOINTS: Record<string, { path: string }> = {
  submit: ep.submit,
  'applicant-approve': ep.applicantApprove,
  'applicant-reject': ep.applicantReject,
  'receiver-approve': ep.receiverApprove,
  'receiver-reject': ep.receiverReject,
  arrange: ep.arrange,
  refuse: ep.refuse,
  receive: ep.receive,
  feedback: ep.feedback,
  close: ep.close,
  cancel: ep.cancel,
  return: ep.returnReferral,
}

export interface TransitionBody {
  comment?: string
  attachments?: number[]
  data?: Record<string, unknown>
}

export const referralApi = {
  retrieve: (id: Id | string) => call(ep.detail, { path: { id } }) as Promise<ReferralDetail>,
  create: (body: Record<string, unknown>) => post<ReferralDetail>(ep.create.path, body),
  update: (id: Id, body: Record<string, unknown>) => call(ep.update, { path: { id }, body: body as never }) as Promise<ReferralDetail>,
  /** POST one workflow action (`submit`, `arrange`, … or `return`), answering the fresh detail. */
  act: (id: Id, path: string, body: TransitionBody | Record<string, unknown>) => {
    const target = ACTION_ENDPOINTS[path]
    if (!target) throw new Error(`未知的转诊操作：${path}`)
    return post<ReferralDetail>(fillPath(target.path, { id }), body)
  },
  printPdf: (id: Id): Promise<Blob> => get<Blob>(fillPath(ep.print.path, { id }), { responseType: 'blob', headers: { Accept: 'application/pdf' } }),
  ownInstitutions: async (): Promise<Brief[]> => {
    const data = (await call(ep.institutions, { config: { params: { brief: 1, page_size: 100 }, silent: true } })) as unknown as Page<Brief> | Brief[]
    return Array.isArray(data) ? data : data.results
  },
  slotsAvailable: (params: Params) => get<AvailableSlot[]>(ep.slotsAvailable.path, { params: cleanParams(params) }),
  recommend: (params: Params) => get<PathRecommendation[]>(ep.pathsRecommend.path, { params: cleanParams(params), silent: true }),
  evaluate: (body: Record<string, unknown>) => post<RuleEvaluation>(ep.rulesEvaluate.path, body, { silent: true }),
  settings: () => get<{ results: ReferralSettings[]; count: number } | ReferralSettings[]>(ep.settings.path, { params: { page_size: 200 } }),
  saveSettings: (institutionId: Id, body: Record<string, unknown>) =>
    call(ep.settingsUpdate, { path: { institution_id: institutionId }, body: body as never }) as Promise<ReferralSettings>,
  generate: (id: Id, until: string) => post<{ created: number }>(fillPath(ep.scheduleGenerate.path, { id }), { until }),
  slotStatus: (id: Id, open: boolean) => post(fillPath((open ? ep.slotOpen : ep.slotClose).path, { id })),
  slotCapacity: (id: Id, capacity: number) => post(fillPath(ep.slotCapacity.path, { id }), { capacity }),
  stats: (dimension: 'summary' | 'institution' | 'region' | 'doctor' | 'period', params: Params) => {
    const target = { summary: ep.statsSummary, institution: ep.statsInstitution, region: ep.statsRegion, doctor: ep.statsDoctor, period: ep.statsPeriod }[dimension]
    return get<StatsResult>(target.path, { params: cleanParams(params) })
  },
  exportStats: (params: Params) => download(ep.statsExport.path, cleanParams(params), '转诊统计.xlsx'),
}
