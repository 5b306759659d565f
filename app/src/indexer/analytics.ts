// The indexer's price and economy routes (indexer/README.md "Prices, candles, wash trades, economy";
// indexer/src/api/prices.rs `PriceView`, `Candle`; economy.rs `DailyEconomy`). Amounts are base units as decimal
// strings there and bigint here; times are chain seconds. The parsers check the fields they use and throw a clear
// error when the answer does not have them (the unit tests feed them bodies captured from the real indexer).
import { formatMrc, MRC_DECIMALS } from '../chain/format'
import { formatSolMrc, SOL_MRC_DECIMALS } from '../solana/format'
import { indexerGet, type Page } from './client'

/**
 * Which chain's analytics: the indexer serves the same price and economy routes for Solana under `/solana`
 * (base58 addresses), and MRC has 18 decimals on EVM, 9 on Solana.
 */
export interface AnalyticsChain {
  name: 'evm' | 'solana'
  /** Route prefix before `/v1/…`. */
  prefix: '' | '/solana'
  decimals: number
  /** An amount of base units in MRC, for people. */
  format: (amount: bigint) => string
  /** A collection address as the indexer takes it (EVM hex lowercase; base58 is case-sensitive and stays). */
  address: (address: string) => string
}

export const EVM_ANALYTICS: AnalyticsChain = { name: 'evm', prefix: '', decimals: MRC_DECIMALS, format: formatMrc, address: (a) => a.toLowerCase() }
export const SOLANA_ANALYTICS: AnalyticsChain = {
  name: 'solana',
  prefix: '/solana',
  decimals: SOL_MRC_DECIMALS,
  format: (v) => formatSolMrc(v),
  address: (a) => a,
}

/** Base units as a float number of MRC (charts only, never for arithmetic); exact to 6 decimals. */
export function toMrcNumber(v: bigint, decimals: number = MRC_DECIMALS): number {
  return Number(v / 10n ** BigInt(decimals - 6)) / 1e6
}

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
export function explainInMrc(text: string, format: (amount: bigint) => string = formatMrc): string {
  return text.replace(/\b(VWAP|floor|close|range|volume) (\d+)(–(\d+))?/g, (_all, word: string, a: string, _r, b?: string) =>
    `${word} ${format(BigInt(a))}${b ? `–${format(BigInt(b))}` : ''}`,
  )
}

/** `GET /v1/prices/collections/{address}` and `/v1/prices/classes/{class}` (`PriceView`). */
export function parseSummary(raw: unknown, chain: AnalyticsChain = EVM_ANALYTICS): PriceSummary {
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
    explanation: explainInMrc(String(field(o, 'explanation', what)), chain.format),
  }
}

/** One page of `GET …/candles` (`Page<Candle>`), ascending by start. */
export function parseCandles(raw: unknown, chain: AnalyticsChain = EVM_ANALYTICS): { candles: Candle[]; next: string | null } {
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
    explanation: explainInMrc(String(c.explanation ?? ''), chain.format),
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
export function metricValue(day: EconomyDay, metric: EconomyMetric, decimals: number = MRC_DECIMALS): number | null {
  const v = day[metric]
  if (typeof v === 'bigint') return toMrcNumber(v, decimals)
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

/** The price and economy reads of one chain (`analyticsFor(SOLANA_ANALYTICS)` reads `/solana/v1/…`). */
export function analyticsFor(chain: AnalyticsChain) {
  const v1 = `${chain.prefix}/v1`
  return {
    chain,
    collection: async (address: string, includeWash: boolean) =>
      parseSummary(await indexerGet(`${v1}/prices/collections/${chain.address(address)}`, wash(includeWash)), chain),
    itemClass: async (klass: number, includeWash: boolean) => parseSummary(await indexerGet(`${v1}/prices/classes/${klass}`, wash(includeWash)), chain),
    /**
     * The newest candles: at most MAX_PAGES pages, starting that many intervals before the indexer's (chain) time, so
     * a long history shows its recent end (the indexer lists candles oldest first).
     */
    candles: async (klass: number, interval: CandleInterval, includeWash: boolean) => {
      const { nowTime } = parseSummary(await indexerGet(`${v1}/prices/classes/${klass}`, wash(includeWash)), chain)
      const from = String(Math.max(0, nowTime - (MAX_PAGES * 500 - 1) * INTERVAL_SECONDS[interval]))
      return allPages(async (cursor) => {
        const page = parseCandles(
          await indexerGet<Page<unknown>>(`${v1}/prices/classes/${klass}/candles`, { interval, ...wash(includeWash), from, limit: '500', cursor }),
          chain,
        )
        return { list: page.candles, next: page.next }
      })
    },
    economy: (includeWash: boolean) =>
      allPages(async (cursor) => {
        const page = parseEconomy(await indexerGet<Page<unknown>>(`${v1}/economy/daily`, { ...wash(includeWash), limit: '500', cursor }))
        return { list: page.days, next: page.next }
      }),
  }
}

export type Analytics = ReturnType<typeof analyticsFor>

/** The EVM reads (`/v1/…`). */
export const analytics = analyticsFor(EVM_ANALYTICS)
