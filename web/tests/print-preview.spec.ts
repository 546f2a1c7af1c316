import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import PrintPreview from '@/components/PrintPreview.vue'
import { documentEndpoints, fetchPdf } from '@/api/documents'
import { fakeBackend, flush, globals, withUser } from './helpers'

describe('PrintPreview', () => {
  beforeEach(() => {
    URL.createObjectURL = vi.fn(() => 'blob:pdf') as typeof URL.createObjectURL
    URL.revokeObjectURL = vi.fn()
  })
  afterEach(() => vi.restoreAllMocks())

  it('loads the PDF when opened and shows it in a frame', async () => {
    const load = vi.fn(async () => new Blob(['%PDF-1.4'], { type: 'application/pdf' }))
    const wrapper = mount(PrintPreview, { props: { load, title: '花名册', visible: false }, global: globals(withUser([])), attachTo: document.body })
    expect(load).not.toHaveBeenCalled()
    await wrapper.setProps({ visible: true })
    await flush()
    await flush()
    expect(load).toHaveBeenCalledTimes(1)
    expect(document.querySelector('[data-print-frame]')?.getAttribute('src')).toBe('blob:pdf')
    await wrapper.setProps({ visible: false })
    await flush()
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:pdf')
  })

  it('prints the document in the frame', async () => {
    const wrapper = mount(PrintPreview, { props: { load: async () => new Blob(['%PDF']), visible: true }, global: globals(withUser([])), attachTo: document.body })
    await flush()
    await flush()
    const frame = document.querySelector('[data-print-frame]') as HTMLIFrameElement
    const print = vi.fn()
    Object.defineProperty(frame, 'contentWindow', { value: { focus: vi.fn(), print } })
    ;(wrapper.vm as unknown as { print: () => void }).print()
    expect(print).toHaveBeenCalledTimes(1)
  })

  it('says so when the document cannot be made', async () => {
    mount(PrintPreview, { props: { load: () => Promise.reject(new Error('500')), visible: true }, global: globals(withUser([])), attachTo: document.body })
    await flush()
    await flush()
    expect(document.body.textContent).toContain('文档生成失败')
    expect(document.querySelector('[data-print-frame]')).toBeNull()
  })

  it('fetches a declared PDF endpoint as a blob', async () => {
    const calls = fakeBackend(() => ({ data: new Blob(['%PDF']), headers: { 'content-type': 'application/pdf' } }))
    const pdf = await fetchPdf(documentEndpoints.roster, { institution_id: 12 })
    expect(calls[0].url).toBe('/org/institutions/12/roster.pdf')
    expect(calls[0].responseType).toBe('blob')
    expect(pdf).toBeInstanceOf(Blob)
  })
})
