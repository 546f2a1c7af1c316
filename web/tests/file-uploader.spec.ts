import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import FileUploader from '@/components/FileUploader.vue'
import { formatSize, isImage } from '@/components/files'
import { fakeBackend, flush, globals, page, withUser } from './helpers'

const ROWS = [
  { id: 5, original_name: '转诊单.pdf', category_display: '病历附件', size: 2048, uploaded_by_name: '李医生', created_at: '2026-11-25T08:00:00+08:00', preview_available: true, kind: 'pdf', mime_type: 'application/pdf' },
  { id: 6, original_name: '胸片.png', category_display: '影像', size: 3 * 1024 * 1024, uploaded_by_name: '李医生', created_at: '2026-11-25T08:00:00+08:00', preview_available: true, kind: 'image', mime_type: 'image/png' },
]

describe('FileUploader', () => {
  beforeEach(() => {
    URL.createObjectURL = vi.fn(() => 'blob:preview') as typeof URL.createObjectURL
    URL.revokeObjectURL = vi.fn()
  })
  afterEach(() => vi.restoreAllMocks())

  it('lists the attachments of the record and a thumbnail for images', async () => {
    const calls = fakeBackend((c) => (c.url?.endsWith('/preview') ? { data: new Blob(['png']) } : { data: page(ROWS) }))
    const wrapper = mount(FileUploader, { props: { ownerType: 'org.institution', ownerId: 9 }, global: globals(withUser(['files.attachment.view'])) })
    await flush()
    await flush()
    expect(calls[0].url).toBe('/files/attachments')
    expect(calls[0].params).toEqual({ page_size: 100, owner_type: 'org.institution', owner_id: 9 })
    expect(wrapper.findAll('[data-attachment]').map((a) => a.find('.name').text())).toEqual(['转诊单.pdf', '胸片.png'])
    expect(wrapper.find('[data-attachment="6"] .meta').text()).toContain('3.0 MB')
    expect(calls.map((c) => c.url)).toContain('/files/attachments/6/preview')
    expect(calls.map((c) => c.url)).not.toContain('/files/attachments/5/preview')
    expect(wrapper.find('[data-attachment="6"] img').attributes('src')).toBe('blob:preview')
  })

  it('has no upload or delete without the codes', async () => {
    fakeBackend(() => ({ data: page(ROWS) }))
    const wrapper = mount(FileUploader, { props: { ownerType: 'org.institution', ownerId: 9 }, global: globals(withUser(['files.attachment.view'])) })
    await flush()
    expect(wrapper.find('[data-upload-input]').exists()).toBe(false)
    expect(wrapper.text()).not.toContain('删除')
  })

  it('uploads the picked file as multipart with the owner and category, then reloads', async () => {
    const calls = fakeBackend((c) => (c.method === 'post' ? { status: 201, data: ROWS[0] } : { data: page([]) }))
    const wrapper = mount(FileUploader, {
      props: { ownerType: 'org.institution', ownerId: 9, category: 'lab_report' },
      global: globals(withUser(['files.attachment.view', 'files.attachment.add'])),
    })
    await flush()
    const file = new File(['%PDF-1.4'], '化验单.pdf', { type: 'application/pdf' })
    await (wrapper.vm as unknown as { upload: (f: File) => Promise<void> }).upload(file)
    await flush()
    const post = calls.find((c) => c.method === 'post')!
    expect(post.url).toBe('/files/attachments')
    const form = post.data as FormData
    expect(form.get('owner_type')).toBe('org.institution')
    expect(form.get('owner_id')).toBe('9')
    expect(form.get('category')).toBe('lab_report')
    expect((form.get('file') as File).name).toBe('化验单.pdf')
    expect(calls.filter((c) => c.method === 'get' && c.url === '/files/attachments')).toHaveLength(2)
  })

  it('refuses a file over the size limit without sending it', async () => {
    const calls = fakeBackend(() => ({ data: page([]) }))
    const wrapper = mount(FileUploader, {
      props: { ownerType: 'org.institution', ownerId: 9, maxMb: 1 },
      global: globals(withUser(['files.attachment.add'])),
    })
    await flush()
    const big = new File([new Uint8Array(1024 * 1024 + 1)], 'big.bin')
    await (wrapper.vm as unknown as { upload: (f: File) => Promise<void> }).upload(big)
    expect(calls.filter((c) => c.method === 'post')).toHaveLength(0)
  })

  it('formats sizes and tells images apart', () => {
    expect(formatSize(512)).toBe('512 B')
    expect(formatSize(1536)).toBe('1.5 KB')
    expect(formatSize(5 * 1024 * 1024)).toBe('5.0 MB')
    expect(isImage({ kind: 'image' })).toBe(true)
    expect(isImage({ mime_type: 'image/jpeg' })).toBe(true)
    expect(isImage({ kind: 'pdf', mime_type: 'application/pdf' })).toBe(false)
  })
})
