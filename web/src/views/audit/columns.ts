/** Columns and filters shared by 审计日志 and 登录日志 (one AuditLog serializer). */
import type { Column, SearchField } from '@/components/schema'
import { YES_NO } from '@/components/schema'

export const SUCCESS_COLUMN: Column = {
  prop: 'success',
  label: '结果',
  type: 'bool',
  width: 80,
  tags: { true: { label: '成功', type: 'success' }, false: { label: '失败', type: 'danger' } },
}

export const TIME_COLUMN: Column = { prop: 'created_at', label: '操作时间', type: 'datetime', width: 170, sortable: true }

export const COMMON_SEARCH: SearchField[] = [
  { prop: 'period', label: '时间', type: 'datetimerange', rangeProps: ['start', 'end'] },
  { prop: 'user_code', label: '用户' , placeholder: '用户名（精确）' },
  { prop: 'ip', label: 'IP' },
  { prop: 'institution_name', label: '机构' },
  { prop: 'success', label: '结果', type: 'bool', options: YES_NO.map((o) => ({ ...o, label: o.value ? '成功' : '失败' })) },
]
