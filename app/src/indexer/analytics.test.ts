import { describe, expect, test } from 'vitest'
import { explainInMrc, metricValue, parseCandles, parseEconomy, parseSummary, SOLANA_ANALYTICS } from './analytics'

// Bodies captured from the real indexer after the demo seed (see fixtures/README.md).
const FIXTURES = import.meta.glob('./fixtures/*.json', { eager: true, import: 'default' })
const body = (name: string): unknown => {
  const found = FIXTURES[`./fixtures/${name}`]
  if (found === undefined) throw new Error(`no fixture ${name}`)
  return structuredClone(found)
}
const MRC = 10n ** 18n

describe('prices (GET /v1/prices/classes/{class})', () => {
  test('wash trades excluded: the one honest sale; amounts exact; the explanation in MRC', () => {
    const s = parseSummary(body('class1.json'))
    expect(s.includeWash).toBe(false)
    expect(s.nowTime).toBe(1796400199)
    expect(s.floor).toBe(30n * MRC)
    expect(s.lastSale).toEqual({ price: 18n * MRC, time: 1796400182 })
    expect(s.day).toEqual({ volume: 18n * MRC, trades: 1, vwap: 18n * MRC, priorTrades: 0, priorVwap: null })
    expect(s.week).toEqual(s.day)
    expect(s.explanation).toBe(
      '7-day VWAP 18 MRC: 1 sale; no sales in the prior week. 24-hour VWAP 18 MRC: 1 sale; no sales in the prior day. floor 30 MRC; wash trades excluded.',
    )
  })

  test('wash trades included: three sales, the last one the wash buy-back; VWAP rounded down as the indexer does', () => {
    const s = parseSummary(body('class1-wash.json'))
    expect(s.includeWash).toBe(true)
    expect(s.lastSale).toEqual({ price: 14n * MRC, time: 1796400185 })
    expect(s.week.trades).toBe(3)
    expect(s.week.volume).toBe(44n * MRC)
    expect(s.week.vwap).toBe(14666666666666666666n)
    expect(s.explanation).toContain('7-day VWAP 14.6666 MRC: 3 sales')
  })

  test('a class with no sales and nothing listed: nulls, not zeros', () => {
    const s = parseSummary(body('class3-empty.json'))
    expect(s.floor).toBeNull()
    expect(s.lastSale).toBeNull()
    expect(s.day).toEqual({ volume: 0n, trades: 0, vwap: null, priorTrades: 0, priorVwap: null })
    expect(s.explanation).toBe('7-day VWAP: no sales. 24-hour VWAP: no sales. nothing listed; wash trades excluded.')
  })

  test('an answer without the fields is refused in words (an error body is not a summary)', () => {
    expect(() => parseSummary(body('candles-bad.json'))).toThrow(/price summary has no "now_time"/)
    expect(() => parseSummary({ ...(body('class1.json') as object), volume_7d: 12 })).toThrow(/"volume_7d" is not an amount/)
    expect(() => parseSummary([])).toThrow(/not an object/)
  })
})

describe('candles (GET …/candles?interval=)', () => {
  test('1m with wash trades: one candle of the three sales, open/high/low/close in chain order', () => {
    const { candles, next } = parseCandles(body('candles-1m-wash.json'))
    expect(next).toBeNull()
    expect(candles).toHaveLength(1)
    expect(candles[0]).toMatchObject({ time: 1796400180, open: 12n * MRC, high: 18n * MRC, low: 12n * MRC, close: 14n * MRC, volume: 44n * MRC, trades: 3 })
    expect(candles[0].explanation).toBe('close 14 MRC (+17% on the open), range 12 MRC–18 MRC: 3 sales, volume 44 MRC')
  })

  test('1d without wash trades: the day starts at midnight UTC', () => {
    const [c] = parseCandles(body('candles-1d.json')).candles
    expect(c.time % 86_400).toBe(0)
    expect([c.open, c.close, c.trades]).toEqual([18n * MRC, 18n * MRC, 1])
  })

  test('a refusal body is not a list of candles', () => {
    expect(() => parseCandles(body('candles-bad.json'))).toThrow(/without an "items" list/)
  })
})

describe('economy (GET /v1/economy/daily)', () => {
  test('the seeded day: supply and mints exact, fees, ratios as numbers, holders', () => {
    const { days, next } = parseEconomy(body('economy.json'))
    expect(next).toBeNull()
    const [d] = days
    expect(d.day).toBe('2026-12-04')
    expect(d.time).toBe(Date.UTC(2026, 11, 4) / 1000)
    expect(d.supply).toBe(100_000_000n * MRC)
    expect(d.minted).toBe(100_000_000n * MRC)
    expect(d.burned).toBe(0n)
    expect(d.fees).toBe(1_650_000_000_000_000_000n)
    expect(d.volume).toBe(40n * MRC)
    expect(d.inflation).toBeNull() // no supply before the genesis day
    expect(d.gini).toBeCloseTo(0.87451237125, 12)
    expect(d.velocity).toBe(4e-7)
    expect([d.holders, d.activeHolders]).toEqual([8, 9])
    expect(metricValue(d, 'supply')).toBe(100_000_000)
    expect(metricValue(d, 'fees')).toBe(1.65)
    expect(metricValue(d, 'activeHolders')).toBe(9)
  })

  test('a day before anything happened: zeros and null ratios', () => {
    const [d] = parseEconomy(body('economy-before.json')).days
    expect([d.supply, d.holders, d.gini, d.velocity, d.inflation]).toEqual([0n, 0, null, null, null])
  })

  test('a malformed day is refused in words', () => {
    expect(() => parseEconomy({ items: [{ day: '4 Dec', supply: '1' }] })).toThrow(/not a date/)
    expect(() => parseEconomy({ items: [{ day: '2026-12-04' }] })).toThrow(/has no "supply"/)
  })
})

test('only amounts after their words are rewritten in MRC (counts and percentages stay)', () => {
  expect(explainInMrc('7-day VWAP 1500000000000000000 (+12%): 12 sales; demand up 30% on the prior week. floor 1; x 5000')).toBe(
    '7-day VWAP 1.5 MRC (+12%): 12 sales; demand up 30% on the prior week. floor < 0.0001 MRC; x 5000',
  )
})

describe('Solana (9 decimals)', () => {
  test('a Solana price answer: amounts exact in base units, the explanation in Solana MRC', () => {
    const s = parseSummary(body('solana-collection.json'), SOLANA_ANALYTICS)
    expect(s.lastSale?.price).toBe(40_000_000_000n)
    expect(s.week.trades).toBe(1)
    expect(s.explanation).toMatch(/^7-day VWAP 40 MRC: 1 sale;.* floor 250 MRC;/)
    // Read with EVM's 18 decimals the same answer would be a dust amount: the chain's decimals matter.
    expect(parseSummary(body('solana-collection.json')).explanation).toMatch(/^7-day VWAP < 0\.0001 MRC/)
  })

  test('chart values use the decimals of the chain', () => {
    const [d] = parseEconomy({ items: [{ ...(body('economy.json') as { items: object[] }).items[0], supply: '100000000000000000' }] }).days
    expect(metricValue(d, 'supply', SOLANA_ANALYTICS.decimals)).toBe(100_000_000)
  })
})
