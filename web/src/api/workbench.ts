/** 工作台 (core/workbench): to-do counters per center, recent unread messages and announcements. */
import { call } from './http'
import { endpoint, type Schemas } from './openapi'

export type Workbench = Schemas['Workbench']
export type TodoCenter = Schemas['TodoCenter']
export type TodoCounter = Schemas['TodoCounter']

export const workbenchEndpoints = {
  get: endpoint('get', '/workbench'),
}

export const workbenchApi = {
  get: () => call(workbenchEndpoints.get, { config: { silent: true } }),
}
