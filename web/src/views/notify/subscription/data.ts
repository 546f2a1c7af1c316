/** 消息订阅: the user's own choices per message type or topic (channels, display, quiet hours). */
import type { ResourceSchema } from '@/components/schema'
import { channelNames, CHANNELS, DISPLAY_MODES } from '../options'

const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/

export const schema: ResourceSchema = {
  title: '订阅',
  api: '/notify/subscriptions',
  perm: 'notify.subscription',
  personal: true,
  keyword: '类型或主题',
  actions: { export: false, import: false },
  columns: [
    { prop: 'message_type_name', label: '消息类型', minWidth: 150 },
    { prop: 'group_name', label: '分组', width: 120 },
    { prop: 'topic', label: '主题', width: 120 },
    { prop: 'channels', label: '接收方式', width: 170, formatter: (row) => channelNames(row.channels) || '按类型默认' },
    { prop: 'display_mode', label: '展示方式', width: 110, formatter: (row) => DISPLAY_MODES.find((d) => d.value === row.display_mode)?.label ?? '按类型默认' },
    { prop: 'silent_start', label: '免打扰', width: 130, formatter: (row) => (row.silent_start ? `${row.silent_start}–${row.silent_end}` : '—') },
    { prop: 'sound', label: '提示音', type: 'bool', width: 80 },
    { prop: 'enabled', label: '接收', type: 'bool', width: 70 },
  ],
  form: [
    {
      prop: 'message_type',
      label: '消息类型',
      type: 'remote',
      remote: '/notify/message-types',
      labelProp: 'message_type_name',
      help: '选择消息类型，或只填主题订阅一组类型',
    },
    { prop: 'topic', label: '主题', maxlength: 50 },
    { prop: 'channels', label: '接收方式', type: 'multiselect', options: CHANNELS, default: [] },
    { prop: 'display_mode', label: '展示方式', type: 'select', options: DISPLAY_MODES },
    { prop: 'silent_start', label: '免打扰开始', placeholder: '22:00', validate: (v) => (v && !TIME.test(String(v)) ? '时间格式为 HH:MM' : '') },
    { prop: 'silent_end', label: '免打扰结束', placeholder: '07:00', validate: (v) => (v && !TIME.test(String(v)) ? '时间格式为 HH:MM' : '') },
    { prop: 'sound', label: '提示音', type: 'switch', default: true },
    { prop: 'enabled', label: '接收', type: 'switch', default: true, help: '关闭即退订该类消息' },
  ],
}
