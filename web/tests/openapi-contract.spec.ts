/**
 * The console calls no endpoint that is not in the OpenAPI document (conventions §7).
 *
 * What the console calls is declared, so it can be collected here without a browser:
 * - `src/api/*.ts` export `endpoint(method, path)` declarations and `resource(path)` clients;
 * - every `src/views/**\/data.ts` exports its `ResourceSchema`s (or functions returning them):
 *   the collection, the operations its buttons use (`schemaOperations`) and the pickers' `remote`s.
 * Each (method, path template) must be an operation of docs/openapi.yaml. A last check makes sure
 * nothing bypasses the declarations (a literal path handed to the HTTP client outside src/api).
 *
 * tsc checks the same declarations at build time (`endpoint()` and `ListPath` are typed from the
 * generated schema.d.ts); this test reads the YAML itself, so it also catches a stale schema.d.ts.
 */
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { API_BASE, isEndpoint } from '@/api/openapi'
import { isResourceClient, resourceEndpoint } from '@/api/resource'
import { schemaOperations, type FormField, type ResourceSchema, type SearchField } from '@/components/schema'
// The committed document (regenerated from the backend by `make openapi`; vite.config.ts allows it).
import openapiYaml from '../../docs/openapi.yaml?raw'

type OpenApiDoc = { paths: Record<string, Record<string, { responses?: Record<string, unknown>; requestBody?: unknown }>> } & Record<string, unknown>

const doc = parse(openapiYaml) as OpenApiDoc

/** `/org/institutions/{pk}` and `/org/institutions/{id}` are the same operation path. */
const normalise = (path: string) => path.replace(/\{[^}]+\}/g, '{}')

const documented = new Set<string>()
for (const [path, item] of Object.entries(doc.paths ?? {})) {
  for (const method of Object.keys(item ?? {})) documented.add(`${method.toUpperCase()} ${normalise(path)}`)
}

interface Use {
  method: string
  path: string
  where: string
}

function key(use: Pick<Use, 'method' | 'path'>): string {
  return `${use.method.toUpperCase()} ${normalise(API_BASE + use.path)}`
}

function isSchema(value: unknown): value is ResourceSchema {
  return !!value && typeof value === 'object' && typeof (value as ResourceSchema).api === 'string' && Array.isArray((value as ResourceSchema).columns)
}

function isRemoteField(value: unknown): value is FormField | SearchField {
  return !!value && typeof value === 'object' && typeof (value as FormField).remote === 'string' && typeof (value as FormField).prop === 'string'
}

/** Everything reachable from a module's exports that names an endpoint. */
function collect(value: unknown, where: string, out: Use[], seen = new Set<unknown>(), depth = 0): void {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value) || depth > 8) return
  seen.add(value)
  if (typeof value === 'function') {
    // Schema factories (`logSchema(type)`, `entrySchema(dictionary?)`…) must work without arguments;
    // the API functions themselves are not called (their endpoints are declared next to them).
    if (!/schema|fields|columns/i.test(value.name)) return
    let produced: unknown
    try {
      produced = (value as () => unknown)()
    } catch {
      return
    }
    collect(produced, `${where}()`, out, seen, depth + 1)
    return
  }
  if (isEndpoint(value)) {
    out.push({ method: value.method, path: value.path, where })
    return
  }
  if (isResourceClient(value)) {
    out.push({ ...resourceEndpoint(value.path, 'list'), where })
    return
  }
  if (isSchema(value)) {
    for (const op of schemaOperations(value)) out.push({ ...resourceEndpoint(value.api, op), where: `${where} (${op})` })
  }
  if (isRemoteField(value)) out.push({ method: 'get', path: value.remote!, where: `${where} (${value.prop} 下拉)` })
  for (const [name, child] of Object.entries(value)) collect(child, `${where}.${name}`, out, seen, depth + 1)
}

const apiModules = import.meta.glob<Record<string, unknown>>(['/src/api/*.ts', '!/src/api/*.d.ts'], { eager: true })
const viewModules = import.meta.glob<Record<string, unknown>>('/src/views/**/data.ts', { eager: true })

function uses(modules: Record<string, Record<string, unknown>>): Use[] {
  const out: Use[] = []
  for (const [file, exports] of Object.entries(modules)) {
    for (const [name, value] of Object.entries(exports)) collect(value, `${file}:${name}`, out)
  }
  return out
}

const apiUses = uses(apiModules)
const viewUses = uses(viewModules)

describe('the console and the OpenAPI document', () => {
  it('reads the document', () => {
    expect(doc.openapi).toMatch(/^3\./)
    expect(documented.has(`GET ${API_BASE}/auth/me`)).toBe(true)
  })

  it('collects the declared endpoints of src/api and the resource pages', () => {
    // Guards the collector itself: if it stops finding things, the check below proves nothing.
    const keys = new Set([...apiUses, ...viewUses].map(key))
    for (const expected of [
      'POST /api/v1/auth/login',
      'GET /api/v1/auth/me',
      'POST /api/v1/registry/residents/{}/reveal',
      'GET /api/v1/org/institutions',
      'PATCH /api/v1/org/institutions/{}',
      'POST /api/v1/org/departments/import',
      'GET /api/v1/audit/logs',
      'POST /api/v1/audit/logs/verify',
      'GET /api/v1/codes/dictionaries/recycle-bin',
      'GET /api/v1/registry/chronic-diseases',
    ]) {
      expect(keys, expected).toContain(expected)
    }
    expect(Object.keys(viewModules).length).toBeGreaterThanOrEqual(20)
    expect(viewUses.length).toBeGreaterThan(100)
  })

  it('calls no endpoint that is not in docs/openapi.yaml', () => {
    const missing = [...apiUses, ...viewUses].filter((u) => !documented.has(key(u))).map((u) => `${key(u)}  ← ${u.where}`)
    expect([...new Set(missing)]).toEqual([])
  })
})

describe('no request bypasses the declarations', () => {
  const sources = import.meta.glob<string>(['/src/**/*.ts', '/src/**/*.vue', '!/src/api/schema.d.ts'], {
    eager: true,
    query: '?raw',
    import: 'default',
  })
  // The client itself builds URLs from variables; everything else names its paths in src/api.
  const CLIENT = new Set(['/src/api/http.ts', '/src/api/resource.ts', '/src/api/openapi.ts'])
  const RULES: [RegExp, string][] = [
    [/\b(?:get|post|patch|put|del|download)\s*(?:<[^>()]*>)?\s*\(\s*['"`]\//, '把字面路径直接交给 HTTP 客户端'],
    [/\bhttp\s*\.\s*(?:get|post|put|patch|delete|request)\b/, '直接使用 axios 实例 http'],
    [/\bresource\s*(?:<[^>()]*>)?\s*\(\s*['"`]/, '在 src/api 之外创建 resource 客户端'],
    [/^\s*import\s+(?!type\b)[^;]*from\s+['"]axios['"]/, '直接引入 axios'],
    [/\bfetch\s*\(/, '使用 fetch'],
  ]

  it('sends every API request through an endpoint declared in src/api', () => {
    const problems: string[] = []
    expect(Object.keys(sources).length).toBeGreaterThan(40)
    for (const [file, text] of Object.entries(sources)) {
      if (CLIENT.has(file)) continue
      const inApi = file.startsWith('/src/api/')
      text.split('\n').forEach((line, i) => {
        for (const [rule, what] of RULES) {
          if (inApi && what.includes('src/api 之外')) continue
          if (rule.test(line)) problems.push(`${file}:${i + 1} ${what}: ${line.trim()}`)
        }
      })
    }
    expect(problems).toEqual([])
  })
})
