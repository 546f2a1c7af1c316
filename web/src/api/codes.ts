/** 编码与参数 (platform/codes): dictionaries, entries, parameters, data elements. */
import { call } from './http'
import { endpoint, type Schemas } from './openapi'
import { resource } from './resource'
import type { Id } from './types'

export type Dictionary = Schemas['Dictionary']
export type DictionaryEntry = Schemas['DictionaryEntry']
export type RecycledDictionary = Schemas['RecycleBin']
export type Parameter = Schemas['Parameter']
export type ParameterValue = Schemas['ParameterValue']
export type ParameterOverride = Schemas['ParameterOverrideRequest']
export type DataElement = Schemas['DataElement']
export type ValueCheckResult = Schemas['ValueCheckResult']

export const codesEndpoints = {
  restoreDictionary: endpoint('post', '/codes/dictionaries/{id}/restore'),
  purgeDictionary: endpoint('delete', '/codes/dictionaries/{id}/purge'),
  overrideParameter: endpoint('post', '/codes/parameter-values/override'),
  validateValue: endpoint('post', '/codes/data-elements/{id}/validate'),
}
const ep = codesEndpoints

export const codesApi = {
  dictionaries: resource<Dictionary>('/codes/dictionaries'),
  recycleBin: resource<RecycledDictionary>('/codes/dictionaries/recycle-bin'),
  entries: resource<DictionaryEntry>('/codes/entries'),
  parameters: resource<Parameter>('/codes/parameters'),
  parameterValues: resource<ParameterValue>('/codes/parameter-values'),
  dataElements: resource<DataElement>('/codes/data-elements'),
  restoreDictionary: (id: Id) => call(ep.restoreDictionary, { path: { id } }),
  purgeDictionary: (id: Id) => call(ep.purgeDictionary, { path: { id } }),
  /** 覆盖当前值: a new value of the parameter that ends the current one when it takes effect. */
  overrideParameter: (body: ParameterOverride) => call(ep.overrideParameter, { body }),
  /** 值校验 of a value against the element's format and value domain. */
  validateValue: (id: Id, value: string) => call(ep.validateValue, { path: { id }, body: { value } }),
}
