import type { ResourceSchema } from '@/components/schema'
import { ACTIVE_OPTIONS, YES_NO } from '@/components/schema'
import { passwordProblems } from '@/utils/format'
import { checkPhone } from '../../choices'

export const schema: ResourceSchema = {
  title: '用户',
  api: '/accounts/users',
  perm: 'accounts.user',
  keyword: '用户名、姓名或手机号',
  rowLabel: (row) => `${row.name || ''}（${row.username}）`,
  // initial passwords are not taken from spreadsheets (the server refuses user imports)
  actions: { import: false },
  search: [
    { prop: 'institution', label: '所属机构', type: 'remote', remote: '/org/institutions' },
    { prop: 'roles', label: '角色', type: 'remote', remote: '/accounts/roles' },
    { prop: 'is_active', label: '状态', type: 'select', options: ACTIVE_OPTIONS },
    { prop: 'must_change_password', label: '须改密码', type: 'bool', options: YES_NO },
  ],
  columns: [
    { prop: 'username', label: '用户名', width: 130, sortable: true },
    { prop: 'name', label: '姓名', width: 100, sortable: true },
    { prop: 'institution_name', label: '所属机构', minWidth: 170 },
    { prop: 'department_name', label: '所属科室', width: 120 },
    { prop: 'roles', label: '角色', type: 'list', minWidth: 160 },
    { prop: 'phone', label: '手机号', width: 130 },
    { prop: 'email', label: '电子邮箱', detailOnly: true },
    { prop: 'staff_name', label: '对应人员', detailOnly: true },
    { prop: 'otp_enabled', label: '双因素', type: 'bool', width: 80, tags: { true: { label: '已绑定', type: 'success' }, false: { label: '未绑定', type: 'info' } } },
    { prop: 'must_change_password', label: '须改密码', type: 'bool', width: 90, detailOnly: true },
    { prop: 'password_changed_at', label: '密码修改时间', type: 'datetime', detailOnly: true },
    {
      prop: 'is_active',
      label: '状态',
      type: 'bool',
      width: 80,
      tags: { true: { label: '启用', type: 'success' }, false: { label: '停用', type: 'info' } },
    },
    { prop: 'last_login', label: '最后登录', type: 'datetime', width: 170, sortable: true },
    { prop: 'date_joined', label: '创建时间', type: 'datetime', width: 170, detailOnly: true },
  ],
  form: [
    { prop: 'username', label: '用户名', required: true, maxlength: 150, readonlyOnEdit: true },
    { prop: 'name', label: '姓名', required: true, maxlength: 50 },
    {
      prop: 'password',
      label: '初始密码',
      type: 'password',
      required: true,
      createOnly: true,
      validate: (v, m) => passwordProblems(String(v), String(m.username ?? '')).join('，'),
      help: '用户首次登录时须修改密码',
    },
    { prop: 'phone', label: '手机号', maxlength: 20, validate: checkPhone },
    { prop: 'email', label: '电子邮箱', maxlength: 254 },
    { prop: 'institution', label: '所属机构', type: 'remote', remote: '/org/institutions', labelProp: 'institution_name' },
    {
      prop: 'department',
      label: '所属科室',
      type: 'remote',
      remote: '/org/departments',
      labelProp: 'department_name',
      remoteParams: (m) => ({ institution: m.institution }),
    },
    {
      prop: 'staff',
      label: '对应人员',
      type: 'remote',
      remote: '/org/staff',
      labelProp: 'staff_name',
      remoteParams: (m) => ({ institution: m.institution }),
    },
    { prop: 'is_active', label: '启用', type: 'switch', default: true },
  ],
}
