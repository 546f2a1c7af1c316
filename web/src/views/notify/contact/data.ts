/** 通讯录 (notify.contact): staff of the institutions in the user's data scope. */
import type { ResourceSchema } from '@/components/schema'

export const schema: ResourceSchema = {
  title: '联系人',
  api: '/notify/contacts',
  perm: 'notify.contact',
  keyword: '姓名、工号或电话',
  actions: { create: false, edit: false, delete: false, import: false },
  search: [
    { prop: 'institution', label: '机构', type: 'remote', remote: '/org/institutions' },
    { prop: 'department', label: '科室', type: 'remote', remote: '/org/departments' },
  ],
  columns: [
    { prop: 'name', label: '姓名', width: 110, sortable: true },
    { prop: 'code', label: '工号', width: 110 },
    { prop: 'institution_name', label: '机构', minWidth: 180 },
    { prop: 'department_name', label: '科室', width: 130 },
    { prop: 'title_name', label: '职称', width: 120 },
    { prop: 'post_name', label: '岗位', width: 120 },
    { prop: 'phone', label: '办公电话', width: 130 },
    { prop: 'mobile', label: '手机', width: 130 },
  ],
}
