import { describe, expect, test } from 'vitest'
import { normalizeCandles, normalizeEconomy, normalizeSummary } from './analytics'

const MRC = 10n ** 18n

describe('price and economy shapes (the assumptions about the next indexer slice)', () => {
  test('a summary with decimal-string amounts; missing floor and VWAP stay null', () => {
    const s = normalizeSummary({ floor_price: (12n * MRC).toString(), last_sale: '5000000000000000000', volume: '0', explanation: 'Two sales today.' })
    expect(s).toEqual({ floor: 12n * MRC, lastSale: 5n * MRC, volume: 0n, vwap: null, sales: null, explanation: 'Two sales today.' })
  })

  test('candles from a bare list or {candles}, times as seconds or ISO text', () => {
    const one = { open: '1', high: '3', low: '1', close: '2', volume: '6' }
    expect(normalizeCandles([{ ...one, time: 3600 }])[0]).toEqual({ time: 3600, open: 1n, high: 3n, low: 1n, close: 2n, volume: 6n })
    expect(normalizeCandles({ candles: [{ ...one, start: '1970-01-01T02:00:00Z' }] })[0].time).toBe(7200)
    expect(() => normalizeCandles({ nothing: true })).toThrow(/unknown shape/)
  })

  test('economy days: amounts to MRC, ratios as numbers, holders under either name, absent metrics null', () => {
    const [day] = normalizeEconomy({ days: [{ day: '2026-12-04', supply: (1_500n * MRC).toString(), gini: 0.42, holders: 7 }] })
    expect(day.time).toBe(Date.UTC(2026, 11, 4) / 1000)
    expect(day.values.supply).toBe(1500)
    expect(day.values.gini).toBe(0.42)
    expect(day.values.active_holders).toBe(7)
    expect(day.values.burned).toBeNull()
  })
})
