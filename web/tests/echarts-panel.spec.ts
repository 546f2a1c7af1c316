import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { flush, globals, withUser } from './helpers'

const chart = { setOption: vi.fn(), resize: vi.fn(), dispose: vi.fn(), showLoading: vi.fn(), hideLoading: vi.fn() }
const init = vi.fn(() => chart)
vi.mock('echarts/core', () => ({ init, use: vi.fn() }))

const { default: EChartsPanel } = await import('@/components/EChartsPanel.vue')

const OPTION = { xAxis: { type: 'category' as const, data: ['一月', '二月'] }, yAxis: { type: 'value' as const }, series: [{ type: 'bar' as const, data: [3, 5] }] }

describe('EChartsPanel', () => {
  it('draws the option, applies changes, and disposes the chart with the component', async () => {
    const wrapper = mount(EChartsPanel, { props: { option: OPTION, title: '转诊趋势' }, global: globals(withUser([])) })
    await flush()
    expect(wrapper.text()).toContain('转诊趋势')
    expect(init).toHaveBeenCalledTimes(1)
    expect(chart.setOption).toHaveBeenLastCalledWith(OPTION, { notMerge: true })

    const next = { ...OPTION, series: [{ type: 'line' as const, data: [1, 2] }] }
    await wrapper.setProps({ option: next })
    await flush()
    expect(chart.setOption).toHaveBeenLastCalledWith(next, { notMerge: true })
    expect(init).toHaveBeenCalledTimes(1)

    await wrapper.setProps({ loading: true })
    expect(chart.showLoading).toHaveBeenCalledTimes(1)

    wrapper.unmount()
    expect(chart.dispose).toHaveBeenCalled()
  })

  it('shows 暂无数据 instead of a chart when empty', async () => {
    init.mockClear()
    const wrapper = mount(EChartsPanel, { props: { option: OPTION, empty: true }, global: globals(withUser([])) })
    await flush()
    expect(wrapper.text()).toContain('暂无数据')
    expect(init).not.toHaveBeenCalled()
  })
})
