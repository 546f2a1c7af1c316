/** Shapes shared by every resource endpoint. */

export type Id = number

export interface Page<T> {
  count: number
  page: number
  page_size: number
  results: T[]
}

/** `?brief=1` items used by select pickers. */
export interface Brief {
  id: Id
  code?: string
  name: string
  [key: string]: unknown
}

export type Row = Record<string, unknown> & { id: Id }

export type Params = Record<string, unknown>
