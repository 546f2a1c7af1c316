import type { ResourceSchema } from '@/components/schema'
import { AUDIT_CATEGORIES } from '../../choices'
import { COMMON_SEARCH, SUCCESS_COLUMN, TIME_COLUMN } from '../columns'

export type LogType = 'business' | 'data' | 'user'

export const LOG_TABS: { name: LogType; label: string }[] = [
  { name: 'business', label: '业务日志' },
  { name: 'data', label: '数据日志' },
  { name: 'user', label: '用户日志' },
]

export function logSchema(logType: LogType): ResourceSchema {
  return {
    title: LOG_TABS.find((t) => t.name === logType)?.label ?? '审计日志',
    api: '/audit/logs',
    perm: 'audit.log',
    keyword: false,
    ordering: '-created_at',
    fixedParams: { log_type: logType },
    actions: { create: false, edit: false, delete: false, import: false },
    search: [
      ...COMMON_SEARCH.slice(0, 1),
      { prop: 'category', label: '审计类型', type: 'select', options: AUDIT_CATEGORIES },
      ...COMMON_SEARCH.slice(1),
      { prop: 'department_name', label: '部门' },
      { prop: 'content', label: '内容' },
    ],
    columns: [
      // Who did what first, so that 内容 and 结果 stay on screen at 1366×768; the context follows.
      TIME_COLUMN,
      { prop: 'category_display', label: '审计类型', width: 110 },
      { prop: 'user_code', label: '用户', width: 140 },
      { prop: 'user_name', label: '姓名', width: 90 },
      { prop: 'content', label: '内容', minWidth: 260 },
      SUCCESS_COLUMN,
      { prop: 'object_repr', label: '对象', width: 140 },
      { prop: 'ip', label: 'IP', width: 130 },
      { prop: 'institution_name', label: '机构', minWidth: 150 },
      { prop: 'department_name', label: '部门', width: 110 },
      { prop: 'role_names', label: '角色', width: 130 },
      { prop: 'project', label: '项目', width: 100 },
      { prop: 'log_type_display', label: '日志类别', detailOnly: true },
      { prop: 'action', label: '操作', detailOnly: true },
      { prop: 'object_type', label: '对象类型', detailOnly: true },
      { prop: 'object_id', label: '对象编号', detailOnly: true },
    ],
  }
}
