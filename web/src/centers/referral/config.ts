/** Schemas of the configuration pages (server `centers/referral/config`): schedules, slots, rules, paths. */
import type { ResourceSchema } from '@/components/schema'
import { ACTIVE_OPTIONS } from '@/components/schema'
import { KINDS, PERIODS, RULE_STATUSES, SEVERITIES, SLOT_STATUSES, WEEKDAYS } from './options'

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/
const checkTime = (v: unknown) => (v && !TIME.test(String(v)) ? '请按 08:00 的格式填写时间' : '')
const hhmm = (v: unknown) => (v ? String(v).slice(0, 5) : '')

export const scheduleSchema: ResourceSchema = {
  title: '转诊排班',
  api: '/referral/schedules',
  perm: 'referral.schedule',
  keyword: false,
  search: [
    { prop: 'institution', label: '机构', type: 'remote', remote: '/org/institutions' },
    { prop: 'department', label: '科室', type: 'remote', remote: '/org/departments' },
    { prop: 'kind', label: '号源类别', type: 'select', options: KINDS },
  ],
  columns: [
    { prop: 'institution_name', label: '机构', minWidth: 150 },
    { prop: 'department_name', label: '科室', width: 120 },
    { prop: 'doctor_name', label: '医生', width: 90 },
    { prop: 'kind_display', label: '类别', width: 70 },
    { prop: 'weekdays', label: '出诊星期', minWidth: 150, formatter: (row) => ((row.weekdays as number[]) ?? []).map((d) => WEEKDAYS[d]?.label ?? d).join('、') },
    { prop: 'period_display', label: '时段', width: 70 },
    { prop: 'start_time', label: '时间', width: 110, formatter: (row) => `${hhmm(row.start_time)}-${hhmm(row.end_time)}` },
    { prop: 'capacity', label: '号源数', width: 80, align: 'right' },
    { prop: 'start_date', label: '开始日期', type: 'date', width: 110 },
    { prop: 'end_date', label: '结束日期', type: 'date', width: 110 },
    { prop: 'is_active', label: '状态', type: 'bool', width: 80, tags: { true: { label: '启用', type: 'success' }, false: { label: '停用', type: 'info' } } },
    { prop: 'remark', label: '备注', detailOnly: true },
  ],
  form: [
    { prop: 'institution', label: '机构', type: 'remote', remote: '/org/institutions', labelProp: 'institution_name', required: true },
    { prop: 'department', label: '科室', type: 'remote', remote: '/org/departments', labelProp: 'department_name', required: true, remoteParams: (m) => ({ institution: m.institution }) },
    { prop: 'kind', label: '号源类别', type: 'select', options: KINDS, default: 'outpatient', required: true },
    { prop: 'period', label: '时段', type: 'select', options: PERIODS, default: 'am', required: true },
    { prop: 'weekdays', label: '出诊星期', type: 'multiselect', options: WEEKDAYS, required: true, wide: true },
    { prop: 'start_time', label: '开始时间', placeholder: '08:00', required: true, validate: checkTime, toForm: hhmm },
    { prop: 'end_time', label: '结束时间', placeholder: '11:30', required: true, validate: checkTime, toForm: hhmm },
    { prop: 'capacity', label: '每次号源数', type: 'number', min: 0, max: 10000, default: 5, required: true },
    { prop: 'start_date', label: '开始日期', type: 'date', required: true },
    { prop: 'end_date', label: '结束日期', type: 'date' },
    { prop: 'is_active', label: '启用', type: 'switch', default: true },
    { prop: 'remark', label: '备注', maxlength: 200, wide: true },
  ],
}

export const slotSchema: ResourceSchema = {
  title: '号源',
  api: '/referral/slots',
  perm: 'referral.schedule',
  keyword: false,
  ordering: 'date',
  actions: { create: false, edit: false, import: false },
  search: [
    { prop: 'institution', label: '机构', type: 'remote', remote: '/org/institutions' },
    { prop: 'department', label: '科室', type: 'remote', remote: '/org/departments' },
    { prop: 'date', label: '日期', type: 'date' },
    { prop: 'kind', label: '类别', type: 'select', options: KINDS },
    { prop: 'status', label: '状态', type: 'select', options: SLOT_STATUSES },
  ],
  columns: [
    { prop: 'date', label: '日期', type: 'date', width: 110, sortable: true },
    { prop: 'period_display', label: '时段', width: 70 },
    { prop: 'start_time', label: '时间', width: 110, formatter: (row) => `${hhmm(row.start_time)}-${hhmm(row.end_time)}` },
    { prop: 'institution_name', label: '机构', minWidth: 150 },
    { prop: 'department_name', label: '科室', width: 120 },
    { prop: 'doctor_name', label: '医生', width: 90 },
    { prop: 'kind_display', label: '类别', width: 70 },
    { prop: 'capacity', label: '号源数', width: 80, align: 'right' },
    { prop: 'booked', label: '已约', width: 70, align: 'right' },
    { prop: 'available', label: '剩余', width: 70, align: 'right' },
    { prop: 'status', label: '状态', type: 'tag', width: 80, tags: { open: { label: '开放', type: 'success' }, closed: { label: '关闭', type: 'info' } } },
  ],
}

export const ruleSchema: ResourceSchema = {
  title: '转诊规则',
  api: '/referral/rules',
  perm: 'referral.rule',
  keyword: '编码/名称',
  ordering: 'sort',
  search: [
    { prop: 'severity', label: '转诊级别', type: 'select', options: SEVERITIES },
    { prop: 'status', label: '状态', type: 'select', options: RULE_STATUSES },
  ],
  columns: [
    { prop: 'code', label: '规则编码', width: 150 },
    { prop: 'version', label: '版本', width: 60, align: 'right' },
    { prop: 'name', label: '名称', minWidth: 160 },
    { prop: 'severity', label: '转诊级别', type: 'tag', width: 100, tags: { emergency: { label: '紧急转诊', type: 'danger' }, urgent: { label: '尽快转诊', type: 'warning' }, routine: { label: '建议转诊', type: 'primary' } } },
    { prop: 'institution_name', label: '机构', width: 150, formatter: (row) => String(row.institution_name || '平台默认') },
    { prop: 'source', label: '依据', minWidth: 200 },
    { prop: 'effective_from', label: '生效日期', type: 'date', width: 110 },
    { prop: 'status', label: '状态', type: 'tag', width: 70, tags: { active: { label: '生效', type: 'success' }, inactive: { label: '停用', type: 'info' } } },
    { prop: 'reason', label: '转诊理由', detailOnly: true },
    { prop: 'condition', label: '触发条件', detailOnly: true, formatter: (row) => JSON.stringify(row.condition) },
  ],
  form: [
    { prop: 'institution', label: '机构', type: 'remote', remote: '/org/institutions', labelProp: 'institution_name', help: '本机构自定义规则：与平台默认规则同编码时替换默认规则' },
    { prop: 'code', label: '规则编码', required: true, maxlength: 50, readonlyOnEdit: true },
    { prop: 'name', label: '名称', required: true, maxlength: 100 },
    { prop: 'severity', label: '转诊级别', type: 'select', options: SEVERITIES, required: true },
    { prop: 'status', label: '状态', type: 'select', options: RULE_STATUSES, default: 'active' },
    { prop: 'effective_from', label: '生效日期', type: 'date', required: true },
    { prop: 'effective_to', label: '失效日期', type: 'date' },
    { prop: 'sort', label: '排序', type: 'number', min: 0, default: 0 },
    {
      prop: 'condition',
      label: '触发条件（JSON）',
      type: 'textarea',
      required: true,
      help: '如 {"any": [{"field": "vitals.sbp", "op": ">=", "value": 180}]}',
      toForm: (v) => (v ? JSON.stringify(v, null, 2) : ''),
      fromForm: (v) => {
        try {
          return JSON.parse(String(v))
        } catch {
          return v
        }
      },
      validate: (v) => {
        try {
          JSON.parse(String(v))
          return ''
        } catch {
          return '触发条件应为合法的 JSON'
        }
      },
    },
    { prop: 'reason', label: '转诊理由', type: 'textarea', required: true },
    { prop: 'source', label: '依据（指南/标准出处）', required: true, wide: true, maxlength: 300 },
  ],
}

export const pathSchema: ResourceSchema = {
  title: '转诊路径',
  api: '/referral/paths',
  perm: 'referral.path',
  keyword: '诊断/科室/机构',
  ordering: 'priority',
  search: [
    { prop: 'institution', label: '转出机构', type: 'remote', remote: '/org/institutions' },
    { prop: 'diagnosis_code', label: '诊断编码' },
    { prop: 'is_active', label: '状态', type: 'select', options: ACTIVE_OPTIONS },
  ],
  columns: [
    { prop: 'institution_name', label: '转出机构', minWidth: 150 },
    { prop: 'diagnosis_code', label: '诊断编码', width: 100 },
    { prop: 'diagnosis_name', label: '诊断', width: 140 },
    { prop: 'department_code', label: '科室编码', width: 90 },
    { prop: 'target_institution_name', label: '推荐接诊机构', minWidth: 150 },
    { prop: 'target_department_name', label: '推荐科室', width: 110 },
    { prop: 'priority', label: '优先级', width: 80, align: 'right', sortable: true },
    { prop: 'is_active', label: '状态', type: 'bool', width: 70, tags: { true: { label: '启用', type: 'success' }, false: { label: '停用', type: 'info' } } },
    { prop: 'remark', label: '备注', detailOnly: true },
  ],
  form: [
    { prop: 'institution', label: '转出机构', type: 'remote', remote: '/org/institutions', labelProp: 'institution_name', required: true },
    { prop: 'diagnosis_code', label: '诊断编码（ICD-10 或类目）', maxlength: 20, help: '诊断编码与科室编码至少填一项' },
    { prop: 'diagnosis_name', label: '诊断名称', maxlength: 100 },
    { prop: 'department_code', label: '就诊科室编码', maxlength: 32 },
    { prop: 'target_institution', label: '推荐接诊机构', type: 'remote', remote: '/org/institutions', labelProp: 'target_institution_name', required: true },
    { prop: 'target_department', label: '推荐接诊科室', type: 'remote', remote: '/org/departments', labelProp: 'target_department_name', remoteParams: (m) => ({ institution: m.target_institution }) },
    { prop: 'priority', label: '优先级', type: 'number', min: 0, default: 100, help: '数字越小越优先' },
    { prop: 'is_active', label: '启用', type: 'switch', default: true },
    { prop: 'remark', label: '备注', wide: true, maxlength: 200 },
  ],
}
