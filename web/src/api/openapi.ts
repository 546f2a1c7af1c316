/**
 * The console's typed view of the OpenAPI document.
 *
 * `schema.d.ts` is generated from `docs/openapi.yaml` (`npm run openapi-types`, checked by
 * `make openapi-types-check`); never edit it by hand. This module turns it into what the API modules
 * use: row types (`Schemas['Institution']`), the paths the server has (`ApiPath`, `PathOf<'post'>`),
 * endpoint declarations checked against those paths at compile time, and the JSON body an operation
 * answers. `tests/openapi-contract.spec.ts` checks the same declarations against the YAML at run time.
 */
import type { components, paths } from './schema'

/** Every API path below this prefix; the OpenAPI document lists the full paths. */
export const API_BASE = '/api/v1'

export type Schemas = components['schemas']

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete'
export const HTTP_METHODS: readonly HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete']

type FullPath = keyof paths & string
type Strip<P> = P extends `${typeof API_BASE}${infer Rest}` ? Rest : never

/** A path template of the document below /api/v1, e.g. `/org/institutions/{id}`. */
export type ApiPath = Strip<FullPath>

type Item<P extends ApiPath> = paths[`${typeof API_BASE}${P}`]
type Operation<M extends HttpMethod, P extends ApiPath> = NonNullable<Item<P>[M]>

/** The path templates that answer `method`. */
export type PathOf<M extends HttpMethod> = {
  [P in ApiPath]: [Operation<M, P>] extends [never] ? never : P
}[ApiPath]

/** A collection a resource page or a picker lists (GET, paginated or a plain array). */
export type ListPath = PathOf<'get'>

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : unknown

/** The JSON body of the success response (200, else 201) of an operation. */
export type ResponseOf<M extends HttpMethod, P extends ApiPath> = Operation<M, P> extends { responses: infer R }
  ? R extends { 200: infer X }
    ? Json<X>
    : R extends { 201: infer X }
      ? Json<X>
      : unknown
  : unknown

/** The JSON request body of an operation (`never` when it takes none). */
export type BodyOf<M extends HttpMethod, P extends ApiPath> = Operation<M, P> extends { requestBody?: infer B }
  ? Json<NonNullable<B>>
  : never

/** `{id}` → `'id'` for the path parameters of a template. */
export type PathParams<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? Name | PathParams<Rest> : never

/** One operation the console calls, declared so that both tsc and the contract test can check it. */
export interface Endpoint<M extends HttpMethod = HttpMethod, P extends string = string> {
  readonly method: M
  readonly path: P
}

/** Declare an endpoint; a method/path pair the document does not have is a type error. */
export function endpoint<M extends HttpMethod, P extends PathOf<M>>(method: M, path: P): Endpoint<M, P> {
  return Object.freeze({ method, path })
}

export function isEndpoint(value: unknown): value is Endpoint {
  if (!value || typeof value !== 'object') return false
  const { method, path } = value as Partial<Endpoint>
  return typeof path === 'string' && typeof method === 'string' && (HTTP_METHODS as readonly string[]).includes(method)
}

/** `/accounts/users/{id}/roles` + `{id: 7}` → `/accounts/users/7/roles`. */
export function fillPath<P extends string>(template: P, params: Record<PathParams<P>, string | number>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = (params as Record<string, string | number | undefined>)[name]
    if (value === undefined || value === '') throw new Error(`缺少路径参数 ${name}（${template}）`)
    return encodeURIComponent(String(value))
  })
}
