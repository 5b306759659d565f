// The indexer's price and economy endpoints, built by another slice of issue 6 and not merged when this page was
// written. EVERY assumption about their response shapes is in this file: adapt the `normalize*` functions (and
// only them) once the real API is known. Each accepts a few likely spellings and throws a clear error otherwise.
import { indexerGet } from './client'

/** The summary of one collection or item class (amounts in MRC base units, decimal strings in the API). */
export interface PriceSummary {
  floor: bigint | null
  lastSale: bigint | null
  volume: bigint
  vwap: bigint | null
  sales: number | null
  /** The indexer's plain-language description of the market. */
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
}

export type CandleInterval = '1m' | '1h' | '1d'

/** One day of the economy (metrics as numbers for charts; amounts in MRC, not base units). */
export interface EconomyDay {
  day: string
  time: number
  values: Record<EconomyMetric, number | null>
}

export const ECONOMY_METRICS = ['supply', 'minted', 'burned', 'fees', 'inflation', 'gini', 'velocity', 'active_holders'] as const
export type EconomyMetric = (typeof ECONOMY_METRICS)[number]
/** Metrics that are MRC amounts in base units (the others are ratios or counts). */
const AMOUNT_METRICS: EconomyMetric[] = ['supply', 'minted', 'burned', 'fees']

type Json = Record<string, unknown>

const pick = (o: Json, ...names: string[]) => names.map((n) => o[n]).find((v) => v !== undefined && v !== null)
const big = (v: unknown): bigint | null => (v === undefined || v === null || v === '' ? null : BigInt(String(v).split('.')[0]))
const num = (v: unknown): number | null => (v === undefined || v === null || v === '' ? null : Number(v))

export function normalizeSummary(raw: unknown): PriceSummary {
  const o = (raw ?? {}) as Json
  return {
    floor: big(pick(o, 'floor', 'floor_price')),
    lastSale: big(pick(o, 'last_sale', 'last_sale_price', 'last_price')),
    volume: big(pick(o, 'volume', 'volume_total')) ?? 0n,
    vwap: big(pick(o, 'vwap')),
    sales: num(pick(o, 'sales', 'sale_count', 'trades')),
    explanation: String(pick(o, 'explanation') ?? ''),
  }
}

export function normalizeCandles(raw: unknown): Candle[] {
  const list = Array.isArray(raw) ? raw : ((raw as Json)?.candles ?? (raw as Json)?.items)
  if (!Array.isArray(list)) throw new Error('the indexer answered candles in an unknown shape (no list)')
  return list.map((c: Json) => {
    const t = pick(c, 'time', 'start', 'bucket', 'open_time')
    return {
      time: typeof t === 'string' && !/^\d+$/.test(t) ? Math.floor(Date.parse(t) / 1000) : Number(t),
      open: big(c.open) ?? 0n,
      high: big(c.high) ?? 0n,
      low: big(c.low) ?? 0n,
      close: big(c.close) ?? 0n,
      volume: big(c.volume) ?? 0n,
    }
  })
}

export function normalizeEconomy(raw: unknown): EconomyDay[] {
  const list = Array.isArray(raw) ? raw : ((raw as Json)?.days ?? (raw as Json)?.items)
  if (!Array.isArray(list)) throw new Error('the indexer answered economy metrics in an unknown shape (no list)')
  return list.map((d: Json) => {
    const day = String(pick(d, 'day', 'date') ?? '')
    const values = {} as Record<EconomyMetric, number | null>
    for (const m of ECONOMY_METRICS) {
      const v = pick(d, m, m === 'active_holders' ? 'holders' : m)
      values[m] = v === undefined || v === null ? null : AMOUNT_METRICS.includes(m) ? Number(BigInt(String(v).split('.')[0]) / 10n ** 14n) / 1e4 : Number(v)
    }
    return { day, time: Math.floor(Date.parse(`${day.slice(0, 10)}T00:00:00Z`) / 1000), values }
  })
}

const washQuery = (includeWash: boolean) => ({ include_wash: String(includeWash) })

export const analytics = {
  collection: async (address: string, includeWash: boolean) =>
    normalizeSummary(await indexerGet(`/v1/prices/collections/${address.toLowerCase()}`, washQuery(includeWash))),
  itemClass: async (klass: number, includeWash: boolean) =>
    normalizeSummary(await indexerGet(`/v1/prices/classes/${klass}`, washQuery(includeWash))),
  candles: async (klass: number, interval: CandleInterval, includeWash: boolean) =>
    normalizeCandles(await indexerGet(`/v1/prices/classes/${klass}/candles`, { interval, ...washQuery(includeWash) })),
  economy: async () => normalizeEconomy(await indexerGet('/v1/economy/daily')),
}
