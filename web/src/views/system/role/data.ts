import type { ResourceSchema } from '@/components/schema'
import { ADMIN_KINDS, DATA_SCOPES } from '../../choices'

export const schema: ResourceSchema = {
  title: '角色',
  api: '/accounts/roles',
  perm: 'accounts.role',
  keyword: '角色编码或名称',
  formWidth: '820px',
  actions: { import: false },
  search: [
    { prop: 'data_scope', label: '数据权限', type: 'select', options: DATA_SCOPES },
    { prop: 'admin_kind', label: '三员类别', type: 'select', options: ADMIN_KINDS },
  ],
  columns: [
    { prop: 'code', label: '角色编码', width: 150, sortable: true },
    { prop: 'name', label: '角色名称', width: 150, sortable: true },
    { prop: 'institution_name', label: '所属机构', minWidth: 150, formatter: (row) => String(row.institution_name || '全平台通用') },
    { prop: 'admin_kind_display', label: '三员类别', width: 130 },
    { prop: 'data_scope_display', label: '数据权限', width: 120 },
    { prop: 'requires_otp', label: '双因素认证', type: 'bool', width: 100 },
    { prop: 'is_builtin', label: '内置', type: 'bool', width: 70 },
    {
      prop: 'permission_codes',
      label: '权限数',
      width: 80,
      align: 'right',
      formatter: (row) => String(Array.isArray(row.permission_codes) ? row.permission_codes.length : 0),
    },
    { prop: 'description', label: '说明', minWidth: 180 },
  ],
  form: [
    { prop: 'code', label: '角色编码', required: true, maxlength: 50 },
    { prop: 'name', label: '角色名称', required: true, maxlength: 50 },
    { prop: 'institution', label: '所属机构', type: 'remote', remote: '/org/institutions', labelProp: 'institution_name', help: '为空表示全平台通用角色' },
    { prop: 'admin_kind', label: '三员类别', type: 'select', options: ADMIN_KINDS, default: '', help: '系统管理员/安全保密管理员/安全审计员互斥，且强制双因素认证' },
    { prop: 'data_scope', label: '数据权限', type: 'select', options: DATA_SCOPES, required: true, default: 'self' },
    { prop: 'requires_otp', label: '要求双因素认证', type: 'switch', default: false },
    {
      prop: 'custom_institutions',
      label: '自定义机构集',
      type: 'remote-multi',
      remote: '/org/institutions',
      wide: true,
      required: true,
      hidden: (m) => m.data_scope !== 'custom',
    },
    { prop: 'description', label: '说明', type: 'textarea', maxlength: 200 },
    { prop: 'permission_codes', label: '菜单与操作权限', type: 'custom', default: () => [] },
  ],
}
