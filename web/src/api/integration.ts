/** 系统集成 (platform/integration): OAuth2 clients of hospital systems (client credentials). */
import { call } from './http'
import { endpoint, type Schemas } from './openapi'
import { resource } from './resource'
import type { Id } from './types'

export type ApiClient = Schemas['ApiClient']
export type ApiClientSecret = Schemas['ApiClientSecret']
export type ApiScope = Schemas['Scope']
export type ClientScope = Schemas['ApiClientCreateRequest']['scopes'][number]

export const integrationEndpoints = {
  create: endpoint('post', '/integration/clients'),
  scopes: endpoint('get', '/integration/clients/scopes'),
  rotate: endpoint('post', '/integration/clients/{id}/rotate-secret'),
  enable: endpoint('post', '/integration/clients/{id}/enable'),
  disable: endpoint('post', '/integration/clients/{id}/disable'),
}
const ep = integrationEndpoints

export const integrationApi = {
  clients: resource<ApiClient>('/integration/clients'),
  /** The secret is in the answer once, never again. */
  create: (body: Schemas['ApiClientCreateRequest']) => call(ep.create, { body }),
  scopes: async (): Promise<ApiScope[]> => {
    const data: unknown = await call(ep.scopes)
    return Array.isArray(data) ? (data as ApiScope[]) : [data as ApiScope]
  },
  rotate: (id: Id) => call(ep.rotate, { path: { id } }),
  enable: (id: Id) => call(ep.enable, { path: { id } }),
  disable: (id: Id) => call(ep.disable, { path: { id } }),
}
