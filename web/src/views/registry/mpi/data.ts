/** 主索引 (registry.mpi): the review queue of merge candidates and the merges done. */
import type { ResourceSchema } from '@/components/schema'
import { options } from '@/components/schema'

const card = (value: unknown, key: string): string => {
  const v = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : ''
  return v == null ? '' : String(v)
}

export const CANDIDATE_STATUSES = options([
  ['pending', '待审核'],
  ['linked', '已关联'],
  ['rejected', '已排除'],
  ['all', '全部'],
])

export const reviewSchema: ResourceSchema = {
  title: '待审核匹配',
  api: '/registry/review-queue',
  perm: 'registry.mpi',
  keyword: '姓名或院内号',
  actions: { create: false, edit: false, delete: false, import: false },
  search: [{ prop: 'status', label: '状态', type: 'select', options: CANDIDATE_STATUSES, default: 'pending' }],
  columns: [
    { prop: 'registration_name', label: '登记患者', width: 110, formatter: (r) => card(r.registration, 'name') },
    { prop: 'registration_inst', label: '登记机构', minWidth: 150, formatter: (r) => card(r.registration, 'institution_name') },
    { prop: 'registration_id_number', label: '登记证件号', width: 170, formatter: (r) => card(r.registration, 'id_number') },
    { prop: 'registration_birth', label: '登记出生日期', width: 115, formatter: (r) => card(r.registration, 'birth_date') },
    { prop: 'resident_name', label: '候选居民', width: 110, formatter: (r) => card(r.resident, 'name') },
    { prop: 'resident_id_number', label: '居民证件号', width: 170, formatter: (r) => card(r.resident, 'id_number') },
    { prop: 'resident_birth', label: '居民出生日期', width: 115, formatter: (r) => card(r.resident, 'birth_date') },
    { prop: 'probability', label: '匹配概率', width: 95, align: 'right', formatter: (r) => `${(Number(r.probability ?? 0) * 100).toFixed(1)}%` },
    { prop: 'status_display', label: '状态', width: 80 },
    { prop: 'reviewer_name', label: '审核人', width: 90 },
    { prop: 'decided_at', label: '审核时间', type: 'datetime', detailOnly: true },
    { prop: 'registration_phone', label: '登记电话', detailOnly: true, formatter: (r) => card(r.registration, 'phone') },
    { prop: 'resident_phone', label: '居民电话', detailOnly: true, formatter: (r) => card(r.resident, 'phone') },
    { prop: 'registration_address', label: '登记地址', detailOnly: true, formatter: (r) => card(r.registration, 'address') },
    { prop: 'resident_address', label: '居民地址', detailOnly: true, formatter: (r) => card(r.resident, 'address') },
    { prop: 'score', label: '匹配得分', detailOnly: true },
  ],
}

export const mergeSchema: ResourceSchema = {
  title: '合并记录',
  api: '/registry/merges',
  perm: 'registry.mpi',
  keyword: '姓名',
  ordering: '-created_at',
  actions: { create: false, edit: false, delete: false, import: false },
  columns: [
    { prop: 'survivor_name', label: '保留档案', width: 120 },
    { prop: 'merged_name', label: '被合并档案', width: 120 },
    { prop: 'reason', label: '原因', minWidth: 200 },
    { prop: 'moved_identifiers', label: '迁移标识', width: 90, align: 'right' },
    { prop: 'moved_registrations', label: '迁移登记', width: 90, align: 'right' },
    { prop: 'merged_by_name', label: '操作人', width: 100 },
    { prop: 'created_at', label: '合并时间', type: 'datetime', width: 165, sortable: true },
    { prop: 'reversed_at', label: '撤销时间', type: 'datetime', width: 165 },
  ],
}
