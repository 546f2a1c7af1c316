/** 失败任务 (jobs.failed_task): background tasks that failed after their retries; re-run. */
import type { ResourceSchema } from '@/components/schema'
import { YES_NO } from '@/components/schema'

export const schema: ResourceSchema = {
  title: '失败任务',
  api: '/jobs/failed-tasks',
  perm: 'jobs.failed_task',
  keyword: '任务名或错误',
  ordering: '-failed_at',
  actions: { create: false, edit: false, delete: false, import: false },
  search: [
    { prop: 'task_name', label: '任务名', type: 'text' },
    { prop: 'resolved', label: '已解决', type: 'bool', options: YES_NO, default: false },
    { prop: 'rerunnable', label: '可重新执行', type: 'bool', options: YES_NO },
  ],
  columns: [
    { prop: 'task_name', label: '任务', minWidth: 220 },
    { prop: 'error', label: '错误', minWidth: 260 },
    { prop: 'failed_at', label: '失败时间', type: 'datetime', width: 165, sortable: true },
    { prop: 'retries_used', label: '已重试', width: 80, align: 'right' },
    { prop: 'rerun_count', label: '重新执行', width: 90, align: 'right' },
    { prop: 'resolved', label: '已解决', type: 'bool', width: 80 },
    { prop: 'task_id', label: '任务编号', detailOnly: true },
    { prop: 'args', label: '参数', detailOnly: true, formatter: (r) => JSON.stringify(r.args ?? []) },
    { prop: 'kwargs', label: '关键字参数', detailOnly: true, formatter: (r) => JSON.stringify(r.kwargs ?? {}) },
    { prop: 'rerun_by', label: '重新执行人', detailOnly: true },
    { prop: 'rerun_at', label: '重新执行时间', type: 'datetime', detailOnly: true },
    { prop: 'resolved_at', label: '解决时间', type: 'datetime', detailOnly: true },
    { prop: 'traceback', label: '错误堆栈', detailOnly: true },
  ],
}
