import type { ResourceSchema } from '@/components/schema'

export const schema: ResourceSchema = {
  title: '在线用户',
  api: '/accounts/sessions',
  perm: 'accounts.session',
  keyword: '用户名、姓名或 IP',
  ordering: '-last_seen',
  actions: { create: false, edit: false, delete: false, export: false, import: false },
  rowLabel: (row) => String(row.user_name || row.username || ''),
  search: [{ prop: 'ip', label: 'IP 地址', placeholder: '完整 IP' }],
  columns: [
    { prop: 'username', label: '用户名', width: 130 },
    { prop: 'user_name', label: '姓名', width: 100 },
    { prop: 'institution_name', label: '所属机构', minWidth: 170 },
    { prop: 'ip', label: 'IP 地址', width: 140 },
    { prop: 'user_agent', label: '客户端', minWidth: 200 },
    { prop: 'created_at', label: '登录时间', type: 'datetime', width: 170, sortable: true },
    { prop: 'last_seen', label: '最后活动时间', type: 'datetime', width: 170, sortable: true },
    { prop: 'is_current', label: '本会话', width: 90, formatter: (row) => (row.is_current ? '当前会话' : '') },
  ],
}
