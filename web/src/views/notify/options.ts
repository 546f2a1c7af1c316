/** Choices of the message centre (platform/notify/choices.py). */
import { options } from '@/components/schema'

export const DISPLAY_MODES = options([
  ['popup', '弹窗'],
  ['toast', '右下角提示'],
  ['inbox', '仅收件箱'],
])
export const HANDLING_MODES = options([
  ['none', '无需处理'],
  ['must_handle', '必须处理'],
])
export const CHANNELS = options([
  ['in_app', '站内信'],
  ['realtime', '实时推送'],
  ['sms', '短信'],
])
export const INBOX_STATUSES = options([
  ['all', '全部'],
  ['unread', '未读'],
  ['unhandled', '未处理'],
])

export function channelNames(value: unknown): string {
  const list = Array.isArray(value) ? value : []
  return list.map((v) => CHANNELS.find((c) => c.value === v)?.label ?? String(v)).join('、')
}
