import type { ResourceSchema } from '@/components/schema'
import { LOGIN_CATEGORIES } from '../../choices'
import { COMMON_SEARCH, SUCCESS_COLUMN, TIME_COLUMN } from '../columns'

export const schema: ResourceSchema = {
  title: '登录日志',
  api: '/audit/login-logs',
  perm: 'audit.login',
  keyword: false,
  ordering: '-created_at',
  actions: { create: false, edit: false, delete: false, import: false },
  search: [
    ...COMMON_SEARCH.slice(0, 1),
    { prop: 'category', label: '事件', type: 'select', options: LOGIN_CATEGORIES },
    ...COMMON_SEARCH.slice(1),
  ],
  columns: [
    // What happened comes first so that it stays on screen at 1366×768; where from comes after.
    { ...TIME_COLUMN, label: '时间' },
    { prop: 'category_display', label: '事件', width: 110 },
    { prop: 'user_code', label: '用户', width: 140 },
    { prop: 'user_name', label: '姓名', width: 100 },
    SUCCESS_COLUMN,
    { prop: 'content', label: '说明', minWidth: 240 },
    { prop: 'ip', label: 'IP', width: 140 },
    { prop: 'institution_name', label: '机构', minWidth: 160 },
    { prop: 'role_names', label: '角色', detailOnly: true },
    { prop: 'department_name', label: '部门', detailOnly: true },
  ],
}
