/** 消息类型 and 消息类型分组 (notify.message_type): templates, channels, display and handling. */
import type { ResourceSchema } from '@/components/schema'
import { YES_NO } from '@/components/schema'
import { CHANNELS, DISPLAY_MODES, HANDLING_MODES, channelNames } from '../options'

const lines = (v: unknown) => (Array.isArray(v) ? v.join('\n') : '')
const fromLines = (v: unknown) =>
  String(v ?? '')
    .split(/[\n,，、\s]+/)
    .map((s) => s.trim())
    .filter(Boolean)
const json = (v: unknown) => (v && typeof v === 'object' ? JSON.stringify(v, null, 2) : '{}')
const fromJson = (v: unknown) => {
  try {
    return JSON.parse(String(v || '{}')) as unknown
  } catch {
    return v
  }
}

export const groupSchema: ResourceSchema = {
  title: '消息类型分组',
  api: '/notify/message-type-groups',
  perm: 'notify.message_type',
  keyword: '编码、名称或助记码',
  ordering: 'sort',
  columns: [
    { prop: 'code', label: '分组编码', width: 160, sortable: true },
    { prop: 'name', label: '分组名称', minWidth: 160, sortable: true },
    { prop: 'mnemonic', label: '助记码', width: 120 },
    { prop: 'sort', label: '排序', width: 80, sortable: true },
    { prop: 'description', label: '说明', minWidth: 200 },
  ],
  form: [
    { prop: 'code', label: '分组编码', required: true, maxlength: 50, readonlyOnEdit: true },
    { prop: 'name', label: '分组名称', required: true, maxlength: 50 },
    { prop: 'mnemonic', label: '助记码', maxlength: 20 },
    { prop: 'sort', label: '排序', type: 'number', default: 0, min: 0 },
    { prop: 'description', label: '说明', type: 'textarea', maxlength: 200 },
  ],
}

export const typeSchema: ResourceSchema = {
  title: '消息类型',
  api: '/notify/message-types',
  perm: 'notify.message_type',
  keyword: '编码、名称或助记码',
  formWidth: '760px',
  // templates and JSON lists do not travel through spreadsheets (import_enabled = False on the server)
  actions: { import: false },
  search: [
    { prop: 'group', label: '分组', type: 'remote', remote: '/notify/message-type-groups' },
    { prop: 'display_mode', label: '展示方式', type: 'select', options: DISPLAY_MODES },
    { prop: 'handling_mode', label: '处理方式', type: 'select', options: HANDLING_MODES },
    { prop: 'urgent', label: '紧急', type: 'bool', options: YES_NO },
    { prop: 'enabled', label: '启用', type: 'bool', options: YES_NO },
  ],
  columns: [
    { prop: 'code', label: '类型编码', width: 200, sortable: true },
    { prop: 'name', label: '类型名称', minWidth: 150, sortable: true },
    { prop: 'group_name', label: '分组', width: 120 },
    { prop: 'display_mode_display', label: '展示方式', width: 110 },
    { prop: 'handling_mode_display', label: '处理方式', width: 100 },
    { prop: 'channels', label: '发送方式', width: 170, formatter: (row) => channelNames(row.channels) },
    { prop: 'urgent', label: '紧急', type: 'bool', width: 70 },
    { prop: 'enabled', label: '启用', type: 'bool', width: 70 },
    { prop: 'is_builtin', label: '内置', type: 'bool', width: 70 },
    { prop: 'title_template', label: '标题模板', detailOnly: true },
    { prop: 'body_template', label: '正文模板', detailOnly: true },
    { prop: 'sms_template', label: '短信模板', detailOnly: true },
    { prop: 'recipient_roles', label: '接收角色', type: 'list', detailOnly: true },
    { prop: 'sender_roles', label: '发送角色', type: 'list', detailOnly: true },
    { prop: 'topic', label: '订阅主题', detailOnly: true },
  ],
  form: [
    { prop: 'code', label: '类型编码', required: true, maxlength: 100, readonlyOnEdit: true },
    { prop: 'name', label: '类型名称', required: true, maxlength: 100 },
    { prop: 'group', label: '分组', type: 'remote', remote: '/notify/message-type-groups', labelProp: 'group_name', required: true },
    { prop: 'mnemonic', label: '助记码', maxlength: 20 },
    { prop: 'display_mode', label: '展示方式', type: 'select', options: DISPLAY_MODES, default: 'toast', required: true },
    { prop: 'handling_mode', label: '处理方式', type: 'select', options: HANDLING_MODES, default: 'none', required: true },
    { prop: 'channels', label: '发送方式', type: 'multiselect', options: CHANNELS, default: ['in_app', 'realtime'], required: true },
    { prop: 'topic', label: '订阅主题', maxlength: 50, help: '同一主题的消息类型可一起订阅/退订' },
    { prop: 'unique_handling', label: '一人处理即完成', type: 'switch', default: false },
    { prop: 'persisted', label: '保存到收件箱', type: 'switch', default: true },
    { prop: 'urgent', label: '紧急', type: 'switch', default: false },
    { prop: 'sound', label: '提示音', type: 'switch', default: false },
    { prop: 'enabled', label: '启用', type: 'switch', default: true },
    { prop: 'title_template', label: '标题模板', required: true, maxlength: 200, wide: true, help: '可用 {{ 变量 }}，变量须在“模板变量”中声明' },
    { prop: 'body_template', label: '正文模板', type: 'textarea' },
    { prop: 'sms_template', label: '短信模板', type: 'textarea' },
    { prop: 'sms_template_code', label: '短信模板编号', maxlength: 50 },
    { prop: 'variables', label: '模板变量', type: 'textarea', toForm: json, fromForm: fromJson, help: 'JSON：{"变量名": "说明"}' },
    { prop: 'recipient_roles', label: '接收角色', type: 'textarea', toForm: lines, fromForm: fromLines, help: '角色编码，每行一个' },
    { prop: 'sender_roles', label: '发送角色', type: 'textarea', toForm: lines, fromForm: fromLines, help: '可手工发送该类消息的角色编码，每行一个' },
    { prop: 'description', label: '说明', type: 'textarea', maxlength: 200 },
  ],
}
