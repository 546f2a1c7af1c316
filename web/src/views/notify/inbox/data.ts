/** 站内消息: the user's inbox (全部/未读/未处理) and outbox. Personal: no permission code. */
import type { ResourceSchema } from '@/components/schema'
import { channelNames } from '../options'

const PERSONAL_LIST = { create: false, edit: false, delete: false, export: false, import: false }

export function inboxSchema(status: 'all' | 'unread' | 'unhandled' = 'all'): ResourceSchema {
  return {
    title: '消息',
    api: '/notify/inbox',
    perm: 'notify.inbox',
    personal: true,
    keyword: '主题或正文',
    actions: PERSONAL_LIST,
    fixedParams: { status },
    search: [{ prop: 'sent', label: '接收时间', type: 'datetimerange', rangeProps: ['sent_after', 'sent_before'] }],
    columns: [
      { prop: 'title', label: '主题', minWidth: 260 },
      { prop: 'type_name', label: '类型', width: 140 },
      { prop: 'sender_name', label: '发件人', width: 110 },
      { prop: 'sent_at', label: '接收时间', type: 'datetime', width: 165 },
      {
        prop: 'is_read',
        label: '状态',
        width: 90,
        formatter: (row) => (row.handled_at ? '已处理' : row.is_read ? '已读' : '未读'),
      },
      { prop: 'must_handle', label: '须处理', type: 'bool', width: 80 },
      { prop: 'body', label: '正文', detailOnly: true },
      { prop: 'group_name', label: '分组', detailOnly: true },
      { prop: 'read_at', label: '阅读时间', type: 'datetime', detailOnly: true },
      { prop: 'handled_at', label: '处理时间', type: 'datetime', detailOnly: true },
      { prop: 'handled_by_name', label: '处理人', detailOnly: true },
    ],
  }
}

export const outboxSchema: ResourceSchema = {
  title: '已发消息',
  api: '/notify/outbox',
  perm: 'notify.outbox',
  personal: true,
  keyword: '主题或正文',
  actions: PERSONAL_LIST,
  search: [{ prop: 'sent', label: '发送时间', type: 'datetimerange', rangeProps: ['sent_after', 'sent_before'] }],
  columns: [
    { prop: 'title', label: '主题', minWidth: 260 },
    { prop: 'type_name', label: '类型', width: 140 },
    { prop: 'created_at', label: '发送时间', type: 'datetime', width: 165 },
    { prop: 'recipient_count', label: '收件人', width: 80, align: 'right' },
    { prop: 'read_count', label: '已读', width: 70, align: 'right' },
    { prop: 'handled_count', label: '已处理', width: 80, align: 'right' },
    { prop: 'body', label: '正文', detailOnly: true },
    { prop: 'channels', label: '发送方式', detailOnly: true, formatter: (row) => channelNames(row.channels) },
  ],
}
