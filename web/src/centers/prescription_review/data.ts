/**
 * Resource pages of 县域审方中心 and 处方点评与监管 (ResourcePage schemas) and the shared labels:
 * severities with their colours, task and prescription statuses, comment categories.
 */
import type { Column, Option, ResourceSchema } from '@/components/schema'

function options(pairs: [string, string][]): Option[] {
  return pairs.map(([value, label]) => ({ value, label }))
}

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info'

/** 严重程度 (engine/severity.py): 禁忌 red, 不推荐 orange, 慎用 yellow-orange, 提示 blue. */
export const SEVERITIES: Record<string, { label: string; type: TagType; color: string }> = {
  contraindicated: { label: '禁忌', type: 'danger', color: '#d03050' },
  not_recommended: { label: '不推荐', type: 'warning', color: '#e6a23c' },
  caution: { label: '慎用', type: 'warning', color: '#f0c040' },
  info: { label: '提示', type: 'primary', color: '#409eff' },
  none: { label: '无问题', type: 'success', color: '#67c23a' },
}
export const SEVERITY_OPTIONS = options(Object.entries(SEVERITIES).map(([k, v]) => [k, v.label]))
const severityTags = Object.fromEntries(Object.entries(SEVERITIES).map(([k, v]) => [k, { label: v.label, type: v.type }]))

export const TASK_STATUSES = options([
  ['pending', '待审'],
  ['second_review', '待二级审核'],
  ['passed', '审核通过'],
  ['rejected', '已驳回'],
  ['rejected_double_sign', '驳回（可双签）'],
  ['double_signed', '医生已双签'],
  ['auto_passed', '超时自动通过'],
  ['cancelled', '已撤销'],
  ['superseded', '医生已修改重提'],
])
export const RX_STATUSES = options([
  ['passed', '审核通过'],
  ['pending_review', '待药师审核'],
  ['intercepted', '系统拦截'],
  ['rejected', '药师驳回'],
  ['rejected_double_sign', '驳回（可双签）'],
  ['double_signed', '医生双签通过'],
  ['auto_passed', '超时自动通过'],
  ['cancelled', '已撤销'],
  ['superseded', '已被新版本替代'],
])
export const QUICK_REPLY_KINDS = options([
  ['reject', '驳回理由'],
  ['double_sign', '双签理由'],
  ['pass', '通过意见'],
])
/** 《医院处方点评管理规范（试行）》第十七～二十条：不规范处方 15 类、用药不适宜 9 类、超常处方 4 类. */
export const COMMENT_CATEGORIES = options([
  ['irregular', '不规范处方'],
  ['inappropriate', '用药不适宜处方'],
  ['excessive', '超常处方'],
])
export const SAMPLE_RESULTS = options([
  ['reasonable', '合理'],
  ['unreasonable', '不合理'],
])

export function severityLabel(code: string | null | undefined): string {
  return (code && SEVERITIES[code]?.label) || code || ''
}

const severityColumn = (prop: string, label = '最高严重程度'): Column => ({ prop, label, type: 'tag', tags: severityTags, width: 110 })
const SOURCE: Column = { prop: 'source', label: '依据', minWidth: 200, detailOnly: true }
const SOURCE_FIELD = { prop: 'source', label: '依据（说明书、处方集等）', required: true, maxlength: 300, wide: true } as const

// ---- 处方与审核记录 (RX-04) -------------------------------------------------------------------
export const prescriptionSchema: ResourceSchema = {
  title: '处方',
  api: '/rx/prescriptions',
  perm: 'rx.prescription',
  keyword: '处方号、开方医生或科室',
  ordering: '-submitted_at',
  actions: { create: false, edit: false, delete: false, import: false },
  search: [
    { prop: 'status', label: '状态', type: 'select', options: RX_STATUSES },
    { prop: 'institution', label: '机构', type: 'remote', remote: '/org/institutions' },
    { prop: 'prescriber_code', label: '医生工号' },
  ],
  columns: [
    { prop: 'his_id', label: '处方号', width: 150 },
    { prop: 'institution_name', label: '机构', minWidth: 150 },
    { prop: 'department_name', label: '科室', width: 110 },
    { prop: 'prescriber_name', label: '开方医生', width: 100 },
    { prop: 'patient_name', label: '患者', width: 90 },
    { prop: 'status_label', label: '状态', width: 120 },
    { prop: 'version_count', label: '版本数', width: 80 },
    severityColumn('last_severity'),
    { prop: 'submitted_at', label: '首次提交', type: 'datetime', width: 170, sortable: true },
    { prop: 'last_submitted_at', label: '最近提交', type: 'datetime', width: 170, detailOnly: true },
    { prop: 'cancel_reason', label: '撤销原因', detailOnly: true },
  ],
}

export const checkSchema: ResourceSchema = {
  title: '审核记录',
  api: '/rx/checks',
  perm: 'rx.check',
  keyword: false,
  ordering: '-checked_at',
  actions: { create: false, edit: false, delete: false, import: false },
  search: [
    { prop: 'max_severity', label: '严重程度', type: 'select', options: SEVERITY_OPTIONS },
    { prop: 'institution', label: '机构', type: 'remote', remote: '/org/institutions' },
  ],
  columns: [
    { prop: 'his_id', label: '处方号', width: 150 },
    { prop: 'version_number', label: '版本', width: 70 },
    { prop: 'sequence', label: '审核次序', width: 90 },
    { prop: 'department_code', label: '科室', width: 100 },
    { prop: 'prescriber_code', label: '医生工号', width: 100 },
    severityColumn('max_severity'),
    { prop: 'verdict', label: '结论', width: 100 },
    { prop: 'finding_count', label: '问题数', width: 80 },
    { prop: 'elapsed_us', label: '耗时(微秒)', width: 110 },
    { prop: 'kb_version', label: '知识库版本', width: 110 },
    { prop: 'checked_at', label: '审核时间', type: 'datetime', width: 170, sortable: true },
  ],
}

// ---- 排班、方案、快捷回复、配置 ----------------------------------------------------------------
export const dutySchema: ResourceSchema = {
  title: '药师排班',
  api: '/rx/duties',
  perm: 'rx.roster',
  keyword: false,
  columns: [
    { prop: 'pharmacist_name', label: '药师', width: 120 },
    { prop: 'scheme_name', label: '审方方案', minWidth: 160 },
    { prop: 'on_duty', label: '在岗', type: 'bool', width: 80 },
    { prop: 'on_duty_at', label: '上岗时间', type: 'datetime', width: 170 },
    { prop: 'off_duty_at', label: '下岗时间', type: 'datetime', width: 170 },
  ],
  form: [
    { prop: 'pharmacist', label: '药师', type: 'remote', remote: '/accounts/users', labelProp: 'pharmacist_name', required: true },
    { prop: 'institution', label: '审方中心机构', type: 'remote', remote: '/org/institutions', required: true },
    { prop: 'scheme', label: '审方方案', type: 'remote', remote: '/rx/schemes', labelProp: 'scheme_name', required: true },
  ],
}

export const schemeSchema: ResourceSchema = {
  title: '审方方案',
  api: '/rx/schemes',
  perm: 'rx.scheme',
  keyword: false,
  columns: [
    { prop: 'name', label: '方案名称', minWidth: 160 },
    { prop: 'start_time', label: '开始时间', width: 100 },
    { prop: 'end_time', label: '结束时间', width: 100 },
    { prop: 'enabled', label: '启用', type: 'bool', width: 80 },
    { prop: 'remark', label: '备注', minWidth: 160 },
  ],
  form: [
    { prop: 'institution', label: '审方中心机构', type: 'remote', remote: '/org/institutions', required: true },
    { prop: 'name', label: '方案名称', required: true, maxlength: 100 },
    { prop: 'start_time', label: '开始时间', required: true, placeholder: '08:00', validate: (v) => (/^\d{2}:\d{2}(:\d{2})?$/.test(String(v)) ? '' : '时间格式为 HH:MM') },
    { prop: 'end_time', label: '结束时间', required: true, placeholder: '17:30', validate: (v) => (/^\d{2}:\d{2}(:\d{2})?$/.test(String(v)) ? '' : '时间格式为 HH:MM') },
    { prop: 'enabled', label: '启用', type: 'switch', default: true },
    { prop: 'remark', label: '备注', type: 'textarea' },
  ],
}

export const schemeItemSchema: ResourceSchema = {
  title: '方案服务范围',
  api: '/rx/scheme-items',
  perm: 'rx.scheme',
  keyword: false,
  columns: [
    { prop: 'served_institution', label: '服务机构 ID', width: 120 },
    { prop: 'department', label: '科室 ID（空为全部科室）', width: 200 },
  ],
  form: [
    { prop: 'served_institution', label: '服务机构', type: 'remote', remote: '/org/institutions', required: true },
    { prop: 'department', label: '科室（不选为全部科室）', type: 'remote', remote: '/org/departments' },
  ],
}

export const quickReplySchema: ResourceSchema = {
  title: '快捷回复',
  api: '/rx/quick-replies',
  perm: 'rx.quick_reply',
  keyword: false,
  ordering: 'sort_order',
  actions: { import: false },
  search: [{ prop: 'kind', label: '类别', type: 'select', options: QUICK_REPLY_KINDS }],
  columns: [
    { prop: 'kind', label: '类别', type: 'tag', width: 110, tags: { reject: { label: '驳回理由', type: 'danger' }, double_sign: { label: '双签理由', type: 'warning' }, pass: { label: '通过意见', type: 'success' } } },
    { prop: 'text', label: '内容', minWidth: 300 },
    { prop: 'sort_order', label: '排序', width: 80 },
  ],
  form: [
    { prop: 'kind', label: '类别', type: 'select', options: QUICK_REPLY_KINDS, default: 'reject', required: true },
    { prop: 'text', label: '内容', type: 'textarea', required: true, maxlength: 500 },
    { prop: 'sort_order', label: '排序', type: 'number', min: 0, default: 0 },
  ],
}

export const configSchema: ResourceSchema = {
  title: '审方中心配置',
  api: '/rx/configs',
  perm: 'rx.config',
  keyword: false,
  columns: [
    { prop: 'institution', label: '机构 ID', width: 90 },
    { prop: 'review_timeout_minutes', label: '超时（分钟）', width: 120 },
    { prop: 'auto_pass_enabled', label: '超时自动通过', type: 'bool', width: 120 },
    severityColumn('second_review_severity', '二级审核阈值'),
    { prop: 'webhook_destination', label: '结果回调', minWidth: 160 },
    { prop: 'remark', label: '备注', minWidth: 160 },
    { prop: 'updated_at', label: '更新时间', type: 'datetime', width: 170 },
  ],
  form: [
    { prop: 'institution', label: '机构', type: 'remote', remote: '/org/institutions', required: true },
    { prop: 'review_timeout_minutes', label: '审方超时（分钟）', type: 'number', min: 1, default: 5, help: '超时未审核的处方按配置自动通过（anchor-systems §9-10）' },
    { prop: 'auto_pass_enabled', label: '超时自动通过', type: 'switch', default: true },
    { prop: 'second_review_severity', label: '需二级审核的最低严重程度', type: 'select', options: SEVERITY_OPTIONS },
    { prop: 'webhook_destination', label: '结果回调（外发目的地编码）', maxlength: 64 },
    { prop: 'remark', label: '备注', type: 'textarea' },
  ],
}

// ---- 规则引擎 (RX-05 AI审方配置) -------------------------------------------------------------
export const ruleConfigSchema: ResourceSchema = {
  title: 'AI审方配置',
  api: '/rx/rule-configs',
  perm: 'rx.rule_config',
  keyword: false,
  columns: [
    { prop: 'name', label: '配置名称', minWidth: 160 },
    { prop: 'institution_name', label: '机构（空为医共体默认）', minWidth: 180 },
    { prop: 'effective_from', label: '生效日期', type: 'date', width: 120 },
    { prop: 'version', label: '版本', width: 80 },
    { prop: 'note', label: '说明', minWidth: 160 },
    SOURCE,
    { prop: 'updated_at', label: '更新时间', type: 'datetime', width: 170 },
  ],
  form: [
    { prop: 'community', label: '医共体', type: 'remote', remote: '/org/communities', required: true },
    { prop: 'institution', label: '机构（不选为医共体默认）', type: 'remote', remote: '/org/institutions', labelProp: 'institution_name' },
    { prop: 'name', label: '配置名称', required: true, maxlength: 100 },
    { prop: 'effective_from', label: '生效日期', type: 'date' },
    { prop: 'note', label: '说明', type: 'textarea' },
    SOURCE_FIELD,
  ],
}

export const severityLevelSchema: ResourceSchema = {
  title: '严重程度分级',
  api: '/rx/rule-severity-levels',
  perm: 'rx.rule_config',
  keyword: false,
  ordering: 'rank',
  columns: [
    { prop: 'code', label: '编码', width: 140 },
    { prop: 'name', label: '名称', width: 120 },
    { prop: 'rank', label: '等级', width: 80 },
    { prop: 'action_display', label: '处理方式', width: 140 },
    { prop: 'color', label: '颜色', width: 100 },
  ],
  form: [
    { prop: 'config', label: '所属配置', type: 'remote', remote: '/rx/rule-configs', required: true },
    { prop: 'code', label: '编码', required: true, readonlyOnEdit: true, maxlength: 32 },
    { prop: 'name', label: '名称', required: true, maxlength: 50 },
    { prop: 'rank', label: '等级', type: 'number', min: 0, required: true },
    { prop: 'action', label: '处理方式', required: true },
    { prop: 'color', label: '颜色', placeholder: '#d03050', maxlength: 16 },
  ],
}

// ---- 合理用药知识库 ---------------------------------------------------------------------------
export const versionSchema: ResourceSchema = {
  title: '知识库版本',
  api: '/rx/knowledge/versions',
  perm: 'rx.knowledge.version',
  keyword: false,
  ordering: '-number',
  actions: { import: false, create: false },
  columns: [
    { prop: 'number', label: '版本号', width: 90 },
    { prop: 'name', label: '版本名称', minWidth: 180 },
    { prop: 'status', label: '状态', type: 'tag', width: 100, tags: { draft: { label: '草稿', type: 'warning' }, published: { label: '已发布', type: 'success' } } },
    { prop: 'is_current', label: '当前生效', type: 'bool', width: 100 },
    { prop: 'effective_date', label: '生效日期', type: 'date', width: 120 },
    { prop: 'based_on_number', label: '复制自版本', width: 110 },
    { prop: 'published_at', label: '发布时间', type: 'datetime', width: 170 },
    { prop: 'notes', label: '说明', minWidth: 200, detailOnly: true },
  ],
  form: [
    { prop: 'name', label: '版本名称', required: true, maxlength: 100 },
    { prop: 'notes', label: '说明', type: 'textarea' },
  ],
}

// ---- 处方点评 -------------------------------------------------------------------------------
export const projectSchema: ResourceSchema = {
  title: '点评项目',
  api: '/rx/comment/projects',
  perm: 'rx.comment.project',
  keyword: '项目名称',
  columns: [
    { prop: 'name', label: '项目名称', minWidth: 180 },
    { prop: 'period_start', label: '周期开始', type: 'date', width: 120 },
    { prop: 'period_end', label: '周期结束', type: 'date', width: 120 },
    { prop: 'task_count', label: '任务数', width: 80 },
    { prop: 'started_task_count', label: '已开始', width: 80 },
    { prop: 'sample_total', label: '抽样数', width: 80 },
    { prop: 'judged_total', label: '已点评', width: 80 },
    { prop: 'description', label: '说明', detailOnly: true },
  ],
  form: [
    { prop: 'institution', label: '所属机构', type: 'remote', remote: '/org/institutions', required: true },
    { prop: 'name', label: '项目名称', required: true, maxlength: 100 },
    { prop: 'period_start', label: '点评周期开始', type: 'date', required: true },
    { prop: 'period_end', label: '点评周期结束', type: 'date', required: true },
    { prop: 'description', label: '说明', type: 'textarea' },
  ],
}

export const groupSchema: ResourceSchema = {
  title: '药师任务组',
  api: '/rx/comment/pharmacist-groups',
  perm: 'rx.comment.group',
  keyword: false,
  columns: [
    { prop: 'name', label: '组名', minWidth: 160 },
    { prop: 'members', label: '成员', type: 'list', minWidth: 200 },
  ],
  form: [
    { prop: 'institution', label: '所属机构', type: 'remote', remote: '/org/institutions', required: true },
    { prop: 'name', label: '组名', required: true, maxlength: 100 },
    { prop: 'members', label: '成员（药师）', type: 'remote-multi', remote: '/accounts/users', required: true },
  ],
}

export const reasonSchema: ResourceSchema = {
  title: '不合理理由模板',
  api: '/rx/comment/reasons',
  perm: 'rx.comment.reason',
  keyword: '编码或理由',
  ordering: 'order',
  search: [{ prop: 'category', label: '类别', type: 'select', options: COMMENT_CATEGORIES }],
  columns: [
    { prop: 'category', label: '类别', type: 'tag', width: 140, tags: { irregular: { label: '不规范处方', type: 'warning' }, inappropriate: { label: '用药不适宜处方', type: 'danger' }, excessive: { label: '超常处方', type: 'danger' } } },
    { prop: 'code', label: '编码', width: 90 },
    { prop: 'text', label: '理由', minWidth: 300 },
    { prop: 'article', label: '条款', width: 140 },
    { prop: 'is_builtin', label: '内置', type: 'bool', width: 70 },
    SOURCE,
  ],
  form: [
    { prop: 'category', label: '类别', type: 'select', options: COMMENT_CATEGORIES, required: true },
    { prop: 'code', label: '编码', required: true, maxlength: 16 },
    { prop: 'text', label: '理由', type: 'textarea', required: true, maxlength: 300 },
    { prop: 'source', label: '依据', maxlength: 200 },
    { prop: 'order', label: '排序', type: 'number', min: 0, default: 100 },
  ],
}

export const appealSchema: ResourceSchema = {
  title: '点评申诉',
  api: '/rx/comment/appeals',
  perm: 'rx.comment.appeal',
  keyword: false,
  ordering: '-created_at',
  actions: { create: false, edit: false, delete: false, import: false },
  search: [{ prop: 'status', label: '状态', type: 'select', options: options([['submitted', '待处理'], ['upheld', '申诉成立'], ['rejected', '申诉不成立']]) }],
  columns: [
    { prop: 'rx_no', label: '处方号', width: 150 },
    { prop: 'doctor_name', label: '申诉医生', width: 100 },
    { prop: 'text', label: '申诉理由', minWidth: 240 },
    { prop: 'status', label: '状态', type: 'tag', width: 110, tags: { submitted: { label: '待处理', type: 'warning' }, upheld: { label: '申诉成立', type: 'success' }, rejected: { label: '申诉不成立', type: 'info' } } },
    { prop: 'reply', label: '处理意见', minWidth: 200 },
    { prop: 'replied_at', label: '处理时间', type: 'datetime', width: 170 },
    { prop: 'created_at', label: '提交时间', type: 'datetime', width: 170 },
  ],
}

export const sampleSchema: ResourceSchema = {
  title: '点评处方',
  api: '/rx/comment/samples',
  perm: 'rx.comment.sample',
  keyword: false,
  actions: { create: false, edit: false, delete: false, import: false },
  search: [
    { prop: 'status', label: '状态', type: 'select', options: options([['pending', '待点评'], ['judged', '已点评']]) },
    { prop: 'result', label: '结果', type: 'select', options: SAMPLE_RESULTS },
  ],
  columns: [
    { prop: 'seq', label: '序号', width: 70 },
    { prop: 'rx_no', label: '处方号', width: 150 },
    { prop: 'institution_name', label: '机构', minWidth: 140 },
    { prop: 'department_name', label: '科室', width: 100 },
    { prop: 'doctor_name', label: '医生', width: 90 },
    { prop: 'patient_name', label: '患者', width: 90 },
    { prop: 'assignee_name', label: '点评药师', width: 100 },
    severityColumn('precheck_max_severity', '预审结果'),
    { prop: 'finding_count', label: '预审问题', width: 90 },
    { prop: 'result', label: '点评结果', type: 'tag', width: 100, tags: { reasonable: { label: '合理', type: 'success' }, unreasonable: { label: '不合理', type: 'danger' } } },
    { prop: 'judged_at', label: '点评时间', type: 'datetime', width: 170 },
  ],
}

export const replyTemplateSchema: ResourceSchema = {
  title: '申诉回复模板',
  api: '/rx/comment/reply-templates',
  perm: 'rx.comment.reply_template',
  keyword: false,
  columns: [{ prop: 'text', label: '内容', minWidth: 300 }],
  form: [{ prop: 'text', label: '内容', type: 'textarea', required: true, maxlength: 500 }],
}

export const commentTaskSchema: ResourceSchema = {
  title: '点评任务',
  api: '/rx/comment/tasks',
  perm: 'rx.comment.task',
  keyword: '任务名称',
  search: [
    { prop: 'project', label: '点评项目', type: 'remote', remote: '/rx/comment/projects' },
    { prop: 'status', label: '状态', type: 'select', options: options([['draft', '未开始'], ['started', '点评中'], ['finished', '已完成']]) },
  ],
  columns: [
    { prop: 'name', label: '任务名称', minWidth: 180 },
    { prop: 'status', label: '状态', type: 'tag', width: 100, tags: { draft: { label: '未开始', type: 'info' }, started: { label: '点评中', type: 'warning' }, finished: { label: '已完成', type: 'success' } } },
    { prop: 'period_start', label: '周期开始', type: 'date', width: 120 },
    { prop: 'period_end', label: '周期结束', type: 'date', width: 120 },
    { prop: 'sample_mode', label: '抽样方式', width: 100 },
    { prop: 'population_count', label: '总体数', width: 80 },
    { prop: 'sample_count', label: '抽样数', width: 80 },
    { prop: 'judged_count', label: '已点评', width: 80 },
    { prop: 'started_at', label: '开始时间', type: 'datetime', width: 170, detailOnly: true },
    { prop: 'finished_at', label: '完成时间', type: 'datetime', width: 170, detailOnly: true },
  ],
  form: [
    { prop: 'project', label: '点评项目', type: 'remote', remote: '/rx/comment/projects', required: true },
    { prop: 'name', label: '任务名称', required: true, maxlength: 100 },
    { prop: 'template', label: '条件模板', type: 'remote', remote: '/rx/comment/condition-templates' },
    { prop: 'period_start', label: '处方开始日期', type: 'date', required: true },
    { prop: 'period_end', label: '处方结束日期', type: 'date', required: true },
    { prop: 'sample_mode', label: '抽样方式', type: 'select', options: options([['standard', '按规范最低标准'], ['count', '按数量'], ['rate', '按比例']]), default: 'count', required: true },
    { prop: 'sample_size', label: '抽样数量', type: 'number', min: 1, hidden: (m) => m.sample_mode !== 'count' },
    { prop: 'sample_rate', label: '抽样比例（%）', type: 'number', min: 0, max: 100, hidden: (m) => m.sample_mode !== 'rate' },
    { prop: 'group', label: '药师任务组', type: 'remote', remote: '/rx/comment/pharmacist-groups' },
    {
      prop: 'conditions',
      label: '抽样条件（JSON）',
      type: 'textarea',
      default: '{}',
      help: '例如 {"kind": "outpatient", "antibiotic": true}；开始点评后不可修改',
      toForm: (v) => JSON.stringify(v ?? {}, null, 2),
      fromForm: (v) => JSON.parse(String(v || '{}')),
      validate: (v) => {
        try {
          JSON.parse(String(v || '{}'))
          return ''
        } catch {
          return '条件应为 JSON 对象'
        }
      },
    },
  ],
}

export const conditionTemplateSchema: ResourceSchema = {
  title: '点评条件模板',
  api: '/rx/comment/condition-templates',
  perm: 'rx.comment.template',
  keyword: '模板名称',
  columns: [
    { prop: 'name', label: '模板名称', minWidth: 180 },
    { prop: 'conditions', label: '条件', minWidth: 260, formatter: (r) => JSON.stringify(r.conditions ?? {}) },
    { prop: 'remark', label: '备注', minWidth: 160 },
  ],
  form: [
    { prop: 'institution', label: '所属机构', type: 'remote', remote: '/org/institutions', required: true },
    { prop: 'name', label: '模板名称', required: true, maxlength: 100 },
    {
      prop: 'conditions',
      label: '条件（JSON）',
      type: 'textarea',
      default: '{}',
      toForm: (v) => JSON.stringify(v ?? {}, null, 2),
      fromForm: (v) => JSON.parse(String(v || '{}')),
      validate: (v) => {
        try {
          JSON.parse(String(v || '{}'))
          return ''
        } catch {
          return '条件应为 JSON 对象'
        }
      },
    },
    { prop: 'remark', label: '备注', type: 'textarea' },
  ],
}

export const samplingPolicySchema: ResourceSchema = {
  title: '点评抽样标准',
  api: '/rx/comment/sampling-policies',
  perm: 'rx.comment.policy',
  keyword: false,
  columns: [
    { prop: 'institution', label: '机构 ID', width: 90 },
    { prop: 'outpatient_min_rate', label: '门急诊最低抽样率(%)', width: 170 },
    { prop: 'outpatient_min_monthly', label: '门急诊每月最少张数', width: 170 },
    { prop: 'inpatient_min_rate', label: '住院最低抽样率(%)', width: 160 },
    { prop: 'inpatient_min_monthly', label: '住院每月最少份数', width: 160 },
    SOURCE,
  ],
  form: [
    { prop: 'institution', label: '机构', type: 'remote', remote: '/org/institutions', required: true },
    { prop: 'outpatient_min_rate', label: '门急诊最低抽样率(%)', type: 'number', min: 0, max: 100, default: 1, help: '《医院处方点评管理规范（试行）》第十一条：不少于总处方量的 1‰，且每月不少于 100 张' },
    { prop: 'outpatient_min_monthly', label: '门急诊每月最少张数', type: 'number', min: 0, default: 100 },
    { prop: 'inpatient_min_rate', label: '住院最低抽样率(%)', type: 'number', min: 0, max: 100, default: 1 },
    { prop: 'inpatient_min_monthly', label: '住院每月最少份数', type: 'number', min: 0, default: 30 },
    SOURCE_FIELD,
  ],
}

export const visitSchema: ResourceSchema = {
  title: '点评数据上报',
  api: '/rx/comment/visits',
  perm: 'rx.comment.visit',
  keyword: '就诊号、医生或患者',
  ordering: '-visit_time',
  actions: { create: false, edit: false, delete: false },
  search: [
    { prop: 'institution', label: '机构', type: 'remote', remote: '/org/institutions' },
    { prop: 'visit_type', label: '就诊类型', type: 'select', options: options([['outpatient', '门诊'], ['emergency', '急诊'], ['inpatient', '住院']]) },
  ],
  columns: [
    { prop: 'visit_no', label: '就诊号', width: 150 },
    { prop: 'institution_name', label: '机构', minWidth: 150 },
    { prop: 'visit_type', label: '类型', width: 90 },
    { prop: 'visit_time', label: '就诊时间', type: 'datetime', width: 170 },
    { prop: 'department_name', label: '科室', width: 110 },
    { prop: 'doctor_name', label: '医生', width: 90 },
    { prop: 'patient_name', label: '患者', width: 90 },
    { prop: 'prescription_count', label: '处方数', width: 80 },
    { prop: 'source', label: '来源', width: 90 },
    { prop: 'uploaded_at', label: '上报时间', type: 'datetime', width: 170 },
  ],
}
