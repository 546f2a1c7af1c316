/** 后台任务 (core/outbox api): failed background tasks and their re-run. */
import { call } from './http'
import { endpoint, type Schemas } from './openapi'
import { resource } from './resource'
import type { Id } from './types'

export type FailedTask = Schemas['FailedTask']

export const jobsEndpoints = {
  rerun: endpoint('post', '/jobs/failed-tasks/{id}/rerun'),
}

export const jobsApi = {
  failedTasks: resource<FailedTask>('/jobs/failed-tasks'),
  rerun: (id: Id) => call(jobsEndpoints.rerun, { path: { id } }),
}
