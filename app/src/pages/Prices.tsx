import { useId, useState } from 'react'
import { CandleChart } from '../components/Chart'
import { ErrorNotice } from '../components/ErrorNotice'
import { formatUtc } from '../chain/format'
import { useChainData } from '../chain/useChainData'
import {
  analytics as evmAnalytics,
  toMrcNumber,
  type Analytics,
  type Candle,
  type CandleInterval,
  type PriceSummary,
  type PriceWindow,
} from '../indexer/analytics'
import { explainIndexer } from '../indexer/client'
import { useApp } from '../session/AppContext'

const CLASSES = [1, 2, 3]
const INTERVALS: CandleInterval[] = ['1m', '1h', '1d']

/**
 * Prices per collection and item class, from the indexer: floor, last sale, volume, VWAP, candles, explanation.
 * `analytics` picks the chain (EVM by default; `analyticsFor(SOLANA_ANALYTICS)` for the Solana routes and 9 decimals).
 */
export function Prices({ analytics = evmAnalytics }: { analytics?: Analytics }) {
  const { deployment } = useApp()
  const [klass, setKlass] = useState(1)
  const [interval, setInterval] = useState<CandleInterval>('1h')
  const [includeWash, setIncludeWash] = useState(false)
  const solana = analytics.chain.name === 'solana'
  const address = solana ? deployment.solana?.accounts.collection : deployment.evm.contracts.items
  const collection = useChainData(
    () => (address ? analytics.collection(address, includeWash) : Promise.reject(new Error('the deployment manifest has no Solana items collection'))),
    [analytics, address, includeWash],
    10_000,
  )
  const summary = useChainData(() => analytics.itemClass(klass, includeWash), [analytics, klass, includeWash], 10_000)
  const candles = useChainData(() => analytics.candles(klass, interval, includeWash), [analytics, klass, interval, includeWash], 10_000)
  const washId = useId()
  const last = candles.data?.at(-1)
  const format = analytics.chain.format
  const toMrc = (v: bigint) => toMrcNumber(v, analytics.chain.decimals)
  const point = (c: Candle) => ({ time: c.time, open: toMrc(c.open), high: toMrc(c.high), low: toMrc(c.low), close: toMrc(c.close), volume: toMrc(c.volume) })

  return (
    <section className="page" aria-labelledby="prices-title">
      <h1 id="prices-title">Prices{solana ? ' on Solana' : ''}</h1>
      <p className="hint">
        Sales of Mercato items as the indexer prices them, on the chain's clock. Wash trades (an item sold back and forth between the same people, bought
        again and again by one wallet, or traded between wallets first paid by the same address) are left out unless you include them.
      </p>
      <div className="filters">
        <label>
          Item class
          <select value={klass} onChange={(e) => setKlass(Number(e.target.value))}>
            {CLASSES.map((c) => (
              <option key={c} value={c}>
                class {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          Candles
          <select value={interval} onChange={(e) => setInterval(e.target.value as CandleInterval)}>
            {INTERVALS.map((i) => (
              <option key={i}>{i}</option>
            ))}
          </select>
        </label>
        <label htmlFor={washId} className="check">
          <input id={washId} type="checkbox" checked={includeWash} onChange={(e) => setIncludeWash(e.target.checked)} /> Include wash trades
        </label>
      </div>
      <div className="columns">
        <Summary title={`Class ${klass}`} data={summary.data} error={summary.error} testId="price-class" format={format} />
        <Summary title="All items (collection)" data={collection.data} error={collection.error} testId="price-collection" format={format} />
      </div>
      <div className="card">
        <h2>
          Class {klass}, {interval} candles{includeWash ? ' (wash trades included)' : ''}
        </h2>
        {candles.error && <ErrorNotice error={explainIndexer(candles.error, 'The candles could not be loaded')} testId="candles-error" />}
        {candles.data && candles.data.length === 0 && <p data-testid="candles-empty">No sales in this class yet{includeWash ? '' : ' (wash trades left out)'}.</p>}
        {candles.data && candles.data.length > 0 && (
          <>
            <CandleChart data={candles.data.map(point)} label={`Price candles of class ${klass}, ${interval}`} />
            {last && (
              <p className="hint" data-testid="candle-last">
                Latest candle, from {formatUtc(last.time)}: {last.explanation}.
              </p>
            )}
          </>
        )}
      </div>
    </section>
  )
}

type Format = (amount: bigint) => string

function WindowFacts({ label, w, testId, format }: { label: string; w: PriceWindow; testId: string; format: Format }) {
  const amount = (v: bigint | null) => (v === null ? '—' : format(v))
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>
        <span data-testid={`${testId}-trades`}>{w.trades === 1 ? '1 sale' : `${w.trades} sales`}</span>, volume{' '}
        <span data-testid={`${testId}-volume`}>{format(w.volume)}</span>, VWAP <span data-testid={`${testId}-vwap`}>{amount(w.vwap)}</span>
      </dd>
    </>
  )
}

function Summary({
  title,
  data,
  error,
  testId,
  format,
}: {
  title: string
  data: PriceSummary | undefined
  error: Error | undefined
  testId: string
  format: Format
}) {
  return (
    <div className="card" data-testid={testId} data-include-wash={data ? String(data.includeWash) : undefined}>
      <h2>{title}</h2>
      {error && <ErrorNotice error={explainIndexer(error, 'Prices could not be loaded')} />}
      {data && (
        <>
          <dl className="facts">
            <dt>Floor</dt>
            <dd data-testid="floor">{data.floor === null ? 'nothing listed' : format(data.floor)}</dd>
            <dt>Last sale</dt>
            <dd>
              <span data-testid="last-sale">{data.lastSale ? format(data.lastSale.price) : 'none yet'}</span>
              {data.lastSale && <span className="hint"> · {formatUtc(data.lastSale.time)}</span>}
            </dd>
            <WindowFacts label="Last 24 hours" w={data.day} testId="day" format={format} />
            <WindowFacts label="Last 7 days" w={data.week} testId="week" format={format} />
          </dl>
          <p data-testid="explanation">{data.explanation}</p>
        </>
      )}
      {!data && !error && <p aria-busy="true">Loading…</p>}
    </div>
  )
}
