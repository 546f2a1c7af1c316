/** ECharts options from the statistics API's `chart` (categories + series; pies carry {name, value} data). */
import type { ChartOption } from '@/components/EChartsPanel.vue'

export interface StatsChart {
  categories: string[]
  series: { name: string; key: string; type: string; data: unknown[] }[]
}

export function chartOption(chart: StatsChart | undefined, kind: 'bar' | 'line' = 'bar'): ChartOption {
  const series = chart?.series ?? []
  const pies = series.filter((s) => s.type === 'pie')
  if (pies.length) {
    const width = 100 / pies.length
    return {
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      title: pies.map((s, i) => ({ text: s.name, left: `${width * i + width / 2}%`, top: 0, textAlign: 'center', textStyle: { fontSize: 13 } })),
      series: pies.map((s, i) => ({
        type: 'pie' as const,
        name: s.name,
        radius: ['30%', '55%'],
        center: [`${width * i + width / 2}%`, '50%'],
        data: s.data as { name: string; value: number }[],
      })),
    }
  }
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 40, right: 16, top: 36, bottom: 60, containLabel: true },
    xAxis: { type: 'category', data: chart?.categories ?? [], axisLabel: { interval: 0, rotate: (chart?.categories.length ?? 0) > 6 ? 30 : 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: series.map((s) => ({ type: kind, name: s.name, data: s.data as number[], smooth: kind === 'line' })),
  } as ChartOption
}

/** Hours as "3.5 小时" (or — when nothing was measured). */
export function hours(value: unknown): string {
  return value === null || value === undefined ? '—' : `${Number(value).toFixed(1)} 小时`
}

export function percent(value: unknown): string {
  return value === null || value === undefined ? '—' : `${(Number(value) * 100).toFixed(1)}%`
}
