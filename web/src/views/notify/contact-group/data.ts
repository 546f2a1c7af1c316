/** 个人通讯组: the user's own groups of contacts (for sending to several people at once). */
import type { ResourceSchema } from '@/components/schema'

export const schema: ResourceSchema = {
  title: '通讯组',
  api: '/notify/contact-groups',
  perm: 'notify.contact_group',
  personal: true,
  keyword: '组名',
  actions: { export: false, import: false },
  ordering: 'sort',
  columns: [
    { prop: 'name', label: '组名', minWidth: 160, sortable: true },
    { prop: 'member_names', label: '成员', type: 'list', minWidth: 260 },
    { prop: 'sort', label: '排序', width: 80, sortable: true },
    { prop: 'description', label: '说明', minWidth: 160 },
  ],
  form: [
    { prop: 'name', label: '组名', required: true, maxlength: 50 },
    { prop: 'sort', label: '排序', type: 'number', default: 0, min: 0 },
    { prop: 'members', label: '成员', type: 'remote-multi', remote: '/notify/contacts', labelProp: 'member_names', wide: true },
    { prop: 'description', label: '说明', type: 'textarea', maxlength: 200 },
  ],
}
