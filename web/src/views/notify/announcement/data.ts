/** 公告管理 (notify.announcement): publish to everyone, or chosen institutions, roles and users. */
import type { ResourceSchema } from '@/components/schema'
import { YES_NO } from '@/components/schema'

export const schema: ResourceSchema = {
  title: '公告',
  api: '/notify/announcements',
  perm: 'notify.announcement',
  keyword: '标题或内容',
  formWidth: '760px',
  ordering: '-publish_at',
  actions: { import: false },
  search: [
    { prop: 'institution', label: '发布机构', type: 'remote', remote: '/org/institutions' },
    { prop: 'audience_all', label: '全员', type: 'bool', options: YES_NO },
  ],
  columns: [
    { prop: 'title', label: '标题', minWidth: 240 },
    { prop: 'institution_name', label: '发布机构', width: 170 },
    { prop: 'published_by_name', label: '发布人', width: 100 },
    { prop: 'publish_at', label: '发布时间', type: 'datetime', width: 165, sortable: true },
    { prop: 'expires_at', label: '截止时间', type: 'datetime', width: 165 },
    { prop: 'audience_all', label: '全员', type: 'bool', width: 70 },
    { prop: 'read_count', label: '已读人数', width: 90, align: 'right' },
    { prop: 'notified_at', label: '已通知', type: 'datetime', detailOnly: true },
    { prop: 'content', label: '内容', detailOnly: true, formatter: (row) => String(row.content ?? '').replace(/<[^>]+>/g, '') },
  ],
  form: [
    { prop: 'title', label: '标题', required: true, maxlength: 200, wide: true },
    { prop: 'content', label: '内容', type: 'textarea', required: true },
    { prop: 'audience_all', label: '发给全员', type: 'switch', default: false, help: '全员指您数据权限范围内的全部用户' },
    {
      prop: 'audience_institutions',
      label: '接收机构',
      type: 'remote-multi',
      remote: '/org/institutions',
      hidden: (m) => m.audience_all === true,
      wide: true,
    },
    { prop: 'audience_roles', label: '接收角色', type: 'remote-multi', remote: '/accounts/roles', hidden: (m) => m.audience_all === true, wide: true },
    { prop: 'audience_users', label: '接收人', type: 'remote-multi', remote: '/accounts/users', hidden: (m) => m.audience_all === true, wide: true },
    { prop: 'publish_at', label: '发布时间', type: 'datetime', help: '不填为立即发布；定时发布到点后通知接收人' },
    { prop: 'expires_at', label: '截止时间', type: 'datetime' },
  ],
}

export const receiptColumns = [
  { prop: 'user_name', label: '姓名' },
  { prop: 'institution_name', label: '机构' },
  { prop: 'read_at', label: '阅读时间', type: 'datetime' as const },
]
