// The indexer's price and economy routes (indexer/README.md "Prices, candles, wash trades, economy";
// indexer/src/api/prices.rs `PriceView`, `Candle`; economy.rs `DailyEconomy`). Amounts are base units as decimal
// strings there and bigint here; times are chain seconds. The parsers check the fields they use and throw a clear
// error when the answer does not have them (the unit tests feed them bodies captured from the real indexer).
import { formatMrc } from '../chain/format'
import { indexerGet, type Page } from './client'

/** Volume, number of sales and volume-weighted average price over one window, and the same for the prior one. */
export interface PriceWindow {
  volume: bigint
  trades: number
  /** volume / trades rounded down; null without sales. */
  vwap: bigint | null
  priorTrades: number
  priorVwap: bigint | null
}

/** The prices of one collection or item class at the indexer's `now` (the latest mirrored block's time). */
export interface PriceSummary {
  nowTime: number
  includeWash: boolean
  /** Lowest open fixed price or current Dutch price; null when nothing is listed. */
  floor: bigint | null
  lastSale: { price: bigint; time: number } | null
  /** The last 24 hours (and the 24 hours before). */
  day: PriceWindow
  /** The last 7 days (and the 7 days before). */
  week: PriceWindow
  /** The indexer's plain-language description, amounts written in MRC. */
  explanation: string
}

export interface Candle {
  /** Start of the interval, chain seconds (UTC). */
  time: number
  open: bigint
  high: bigint
  low: bigint
  close: bigint
  volume: bigint
  trades: number
  vwap: bigint
  explanation: string
}

export type CandleInterval = '1m' | '1h' | '1d'

/** One UTC day of the economy. Amounts are base units. */
export interface EconomyDay {
  day: string
  /** Midnight UTC of `day`, seconds. */
  time: number
  supply: bigint
  minted: bigint
  burned: bigint
  fees: bigint
  volume: bigint
  /** (minted − burned) / supply at the start of the day; null when that supply was 0. */
  inflation: number | null
  gini: number | null
  velocity: number | null
  holders: number
  activeHolders: number
}

export const ECONOMY_METRICS = ['supply', 'minted', 'burned', 'fees', 'volume', 'inflation', 'gini', 'velocity', 'holders', 'activeHolders'] as const
export type EconomyMetric = (typeof ECONOMY_METRICS)[number]
/** Metrics that are MRC amounts (base units); the others are ratios or counts. */
export const AMOUNT_METRICS: readonly EconomyMetric[] = ['supply', 'minted', 'burned', 'fees', 'volume']

type Json = Record<string, unknown>

class ShapeError extends Error {}

function field(o: Json, name: string, what: string): unknown {
  if (!(name in o)) throw new ShapeError(`the indexer's ${what} has no "${name}"`)
  return o[name]
}
function amount(o: Json, name: string, what: string): bigint {
  const v = field(o, name, what)
  if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new ShapeError(`the indexer's ${what} "${name}" is not an amount: ${JSON.stringify(v)}`)
  return BigInt(v)
}
function optionalAmount(o: Json, name: string, what: string): bigint | null {
  return o[name] === null || o[name] === undefined ? null : amount(o, name, what)
}
function count(o: Json, name: string, what: string): number {
  const v = field(o, name, what)
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ShapeError(`the indexer's ${what} "${name}" is not a number: ${JSON.stringify(v)}`)
  return v
}
function ratio(o: Json, name: string, what: string): number | null {
  return o[name] === null || o[name] === undefined ? null : count(o, name, what)
}
function object(raw: unknown, what: string): Json {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ShapeError(`the indexer answered ${what} that is not an object`)
  return raw as Json
}
function items(raw: unknown, what: string): Json[] {
  const list = object(raw, what).items
  if (!Array.isArray(list)) throw new ShapeError(`the indexer answered ${what} without an "items" list`)
  return list.map((x) => object(x, what))
}

/**
 * The indexer writes amounts in its explanations as base units ("7-day VWAP 15000000000000000000: 2 sales");
 * this writes each in MRC ("7-day VWAP 15 MRC: 2 sales"). Only the numbers after the words that introduce an
 * amount are touched (sale counts and percentages stay as they are).
 */
export function explainInMrc(text: string): string {
  return text.replace(/\b(VWAP|floor|close|range|volume) (\d+)(–(\d+))?/g, (_all, word: string, a: string, _r, b?: string) =>
    `${word} ${formatMrc(BigInt(a))}${b ? `–${formatMrc(BigInt(b))}` : ''}`,
  )
}

/** `GET /v1/prices/collections/{address}` and `/v1/prices/classes/{class}` (`PriceView`). */
export function parseSummary(raw: unknown): PriceSummary {
  const what = 'price summary'
  const o = object(raw, what)
  const lastPrice = optionalAmount(o, 'last_sale_price', what)
  const window = (span: '24h' | '7d'): PriceWindow => ({
    volume: amount(o, `volume_${span}`, what),
    trades: count(o, `trades_${span}`, what),
    vwap: optionalAmount(o, `vwap_${span}`, what),
    priorTrades: count(o, `prior_trades_${span}`, what),
    priorVwap: optionalAmount(o, `prior_vwap_${span}`, what),
  })
  return {
    nowTime: count(o, 'now_time', what),
    includeWash: field(o, 'include_wash', what) === true,
    floor: optionalAmount(o, 'floor', what),
    lastSale: lastPrice === null ? null : { price: lastPrice, time: count(o, 'last_sale_time', what) },
    day: window('24h'),
    week: window('7d'),
    explanation: explainInMrc(String(field(o, 'explanation', what))),
  }
}

/** One page of `GET …/candles` (`Page<Candle>`), ascending by start. */
export function parseCandles(raw: unknown): { candles: Candle[]; next: string | null } {
  const what = 'candles'
  const list = items(raw, what).map((c) => ({
    time: count(c, 'start', what),
    open: amount(c, 'open', what),
    high: amount(c, 'high', what),
    low: amount(c, 'low', what),
    close: amount(c, 'close', what),
    volume: amount(c, 'volume', what),
    trades: count(c, 'trades', what),
    vwap: amount(c, 'vwap', what),
    explanation: explainInMrc(String(c.explanation ?? '')),
  }))
  return { candles: list, next: ((raw as Json).next_cursor as string | null) ?? null }
}

/** One page of `GET /v1/economy/daily` (`Page<DailyEconomy>`), ascending by day. */
export function parseEconomy(raw: unknown): { days: EconomyDay[]; next: string | null } {
  const what = 'economy day'
  const days = items(raw, what).map((d) => {
    const day = String(field(d, 'day', what))
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new ShapeError(`the indexer's economy day is not a date: ${JSON.stringify(day)}`)
    return {
      day,
      time: Date.parse(`${day}T00:00:00Z`) / 1000,
      supply: amount(d, 'supply', what),
      minted: amount(d, 'minted', what),
      burned: amount(d, 'burned', what),
      fees: amount(d, 'fees_to_treasury', what),
      volume: amount(d, 'volume', what),
      inflation: ratio(d, 'net_inflation_rate', what),
      gini: ratio(d, 'gini', what),
      velocity: ratio(d, 'velocity', what),
      holders: count(d, 'holders', what),
      activeHolders: count(d, 'active_holders', what),
    }
  })
  return { days, next: ((raw as Json).next_cursor as string | null) ?? null }
}

/** A metric of a day as a chart value (amounts in MRC as a float: charts only, never for arithmetic). */
export function metricValue(day: EconomyDay, metric: EconomyMetric): number | null {
  const v = day[metric]
  if (typeof v === 'bigint') return Number(v / 10n ** 12n) / 1e6
  return v
}

/** Seconds per candle. */
const INTERVAL_SECONDS: Record<CandleInterval, number> = { '1m': 60, '1h': 3_600, '1d': 86_400 }

/** At most this many pages of a list are read (500 entries each). */
const MAX_PAGES = 8

async function allPages<T>(read: (cursor: string | undefined) => Promise<{ list: T[]; next: string | null }>): Promise<T[]> {
  const out: T[] = []
  let cursor: string | undefined
  for (let i = 0; i < MAX_PAGES; i++) {
    const { list, next } = await read(cursor)
    out.push(...list)
    if (!next) break
    cursor = next
  }
  return out
}

const wash = (includeWash: boolean) => ({ include_wash: String(includeWash) })

export const analytics = {
  collection: async (address: string, includeWash: boolean) =>
    parseSummary(await indexerGet(`/v1/prices/collections/${address.toLowerCase()}`, wash(includeWash))),
  itemClass: async (klass: number, includeWash: boolean) => parseSummary(await indexerGet(`/v1/prices/classes/${klass}`, wash(includeWash))),
  /**
   * The newest candles: at most MAX_PAGES pages, starting that many intervals before the indexer's (chain) time, so
   * a long history shows its recent end (the indexer lists candles oldest first).
   */
  candles: async (klass: number, interval: CandleInterval, includeWash: boolean) => {
    const { nowTime } = parseSummary(await indexerGet(`/v1/prices/classes/${klass}`, wash(includeWash)))
    const from = String(Math.max(0, nowTime - (MAX_PAGES * 500 - 1) * INTERVAL_SECONDS[interval]))
    return allPages(async (cursor) => {
      const page = parseCandles(
        await indexerGet<Page<unknown>>(`/v1/prices/classes/${klass}/candles`, { interval, ...wash(includeWash), from, limit: '500', cursor }),
      )
      return { list: page.candles, next: page.next }
    })
  },
  economy: (includeWash: boolean) =>
    allPages(async (cursor) => {
      const page = parseEconomy(await indexerGet<Page<unknown>>('/v1/economy/daily', { ...wash(includeWash), limit: '500', cursor }))
      return { list: page.days, next: page.next }
    }),
}
