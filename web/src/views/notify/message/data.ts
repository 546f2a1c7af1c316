/** 消息管理 (notify.message): every message sent within the user's data scope, with read counts. */
import type { ResourceSchema } from '@/components/schema'
import { YES_NO } from '@/components/schema'
import { channelNames } from '../options'

export const schema: ResourceSchema = {
  title: '消息',
  api: '/notify/messages',
  perm: 'notify.message',
  keyword: '主题或正文',
  actions: { create: false, edit: false, delete: false, import: false },
  search: [
    { prop: 'group', label: '分组', type: 'text', placeholder: '分组编码' },
    { prop: 'type', label: '类型', type: 'text', placeholder: '类型编码' },
    { prop: 'urgent', label: '紧急', type: 'bool', options: YES_NO },
    { prop: 'must_handle', label: '须处理', type: 'bool', options: YES_NO },
    { prop: 'sent', label: '发送时间', type: 'datetimerange', rangeProps: ['sent_after', 'sent_before'] },
  ],
  columns: [
    { prop: 'title', label: '主题', minWidth: 240 },
    { prop: 'type_name', label: '类型', width: 140 },
    { prop: 'sender_name', label: '发件人', width: 110 },
    { prop: 'created_at', label: '发送时间', type: 'datetime', width: 165, sortable: true },
    { prop: 'recipient_count', label: '收件人', width: 80, align: 'right' },
    { prop: 'read_count', label: '已读', width: 70, align: 'right' },
    { prop: 'handled_count', label: '已处理', width: 80, align: 'right' },
    { prop: 'urgent', label: '紧急', type: 'bool', width: 70 },
    { prop: 'body', label: '正文', detailOnly: true },
    { prop: 'channels', label: '发送方式', detailOnly: true, formatter: (row) => channelNames(row.channels) },
  ],
  ordering: '-created_at',
}
