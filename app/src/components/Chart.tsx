import { useEffect, useRef } from 'react'
import { CandlestickSeries, ColorType, createChart, HistogramSeries, LineSeries, type Time, type UTCTimestamp } from 'lightweight-charts'

export interface CandlePoint {
  time: number
  open: number
  high: number
  low: number
  close: number
  volume: number
}

const base = {
  layout: { background: { type: ColorType.Solid, color: '#ffffff' }, textColor: '#1b1f24' },
  autoSize: true,
  timeScale: { timeVisible: true },
}

/** Candles with volume below (lightweight-charts); `label` names it for screen readers. */
export function CandleChart({ data, label }: { data: CandlePoint[]; label: string }) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!box.current) return
    // At most 24 px per bar: one candle would otherwise fill the whole width.
    const chart = createChart(box.current, { ...base, timeScale: { ...base.timeScale, maxBarSpacing: 24, rightOffset: 4 } })
    const candles = chart.addSeries(CandlestickSeries, {})
    // Candles in the top 70 %, the volume histogram in the bottom 20 %: they never overlap.
    candles.priceScale().applyOptions({ scaleMargins: { top: 0.1, bottom: 0.3 } })
    candles.setData(data.map((d) => ({ time: d.time as UTCTimestamp, open: d.open, high: d.high, low: d.low, close: d.close })))
    const volume = chart.addSeries(HistogramSeries, { priceScaleId: 'volume', color: '#9db7ff' })
    chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } })
    volume.setData(data.map((d) => ({ time: d.time as UTCTimestamp, value: d.volume })))
    chart.timeScale().fitContent()
    return () => chart.remove()
  }, [data])
  return <div className="chart" ref={box} role="img" aria-label={label} data-testid="candle-chart" data-candles={data.length} />
}

/** One metric over time as a line. */
export function LineChart({ data, label, precision = 2 }: { data: { time: number; value: number }[]; label: string; precision?: number }) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!box.current) return
    // Days: the axis says "12-04" (month-day, UTC), not the library's bare day of the month.
    const tickMarkFormatter = (time: Time) => new Date(Number(time) * 1000).toISOString().slice(5, 10)
    const chart = createChart(box.current, { ...base, timeScale: { timeVisible: false, maxBarSpacing: 40, tickMarkFormatter } })
    const priceFormat = { type: 'price' as const, precision, minMove: 10 ** -precision }
    chart.addSeries(LineSeries, { color: '#0b5fff', priceFormat, pointMarkersVisible: data.length < 3 })
      .setData(data.map((d) => ({ time: d.time as UTCTimestamp, value: d.value })))
    chart.timeScale().fitContent()
    return () => chart.remove()
  }, [data, precision])
  return <div className="chart small" ref={box} role="img" aria-label={label} data-testid="line-chart" data-points={data.length} />
}
