import { useId, useState } from 'react'
import { CandleChart } from '../components/Chart'
import { ErrorNotice } from '../components/ErrorNotice'
import { formatMrc } from '../chain/format'
import { useChainData } from '../chain/useChainData'
import { analytics, type Candle, type CandleInterval, type PriceSummary } from '../indexer/analytics'
import { explainIndexer } from '../indexer/client'
import { useApp } from '../session/AppContext'

const CLASSES = [1, 2, 3]
const INTERVALS: CandleInterval[] = ['1m', '1h', '1d']
const toMrc = (v: bigint) => Number(v / 10n ** 14n) / 1e4

/** Prices per collection and item class, from the indexer: floor, last sale, volume, VWAP, candles, explanation. */
export function Prices() {
  const { deployment } = useApp()
  const [klass, setKlass] = useState(1)
  const [interval, setInterval] = useState<CandleInterval>('1h')
  const [includeWash, setIncludeWash] = useState(false)
  const collection = useChainData(() => analytics.collection(deployment.evm.contracts.items, includeWash), [includeWash], 10_000)
  const summary = useChainData(() => analytics.itemClass(klass, includeWash), [klass, includeWash], 10_000)
  const candles = useChainData(() => analytics.candles(klass, interval, includeWash), [klass, interval, includeWash], 10_000)
  const washId = useId()

  return (
    <section className="page" aria-labelledby="prices-title">
      <h1 id="prices-title">Prices</h1>
      <p className="hint">Sales of Mercato items as the indexer prices them. Wash trades (an item sold back and forth between the same people) are left out unless you include them.</p>
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
        <Summary title="All items (collection)" data={collection.data} error={collection.error} testId="price-collection" />
        <Summary title={`Class ${klass}`} data={summary.data} error={summary.error} testId="price-class" />
      </div>
      <div className="card">
        <h2>
          Class {klass}, {interval} candles
        </h2>
        {candles.error && <ErrorNotice error={explainIndexer(candles.error, 'The candles could not be loaded')} testId="candles-error" />}
        {candles.data && candles.data.length === 0 && <p data-testid="candles-empty">No sales in this class yet.</p>}
        {candles.data && candles.data.length > 0 && <CandleChart data={candles.data.map(point)} label={`Price candles of class ${klass}, ${interval}`} />}
      </div>
    </section>
  )
}

const point = (c: Candle) => ({ time: c.time, open: toMrc(c.open), high: toMrc(c.high), low: toMrc(c.low), close: toMrc(c.close), volume: toMrc(c.volume) })

function Summary({ title, data, error, testId }: { title: string; data: PriceSummary | undefined; error: Error | undefined; testId: string }) {
  const amount = (v: bigint | null) => (v === null ? '—' : formatMrc(v))
  return (
    <div className="card" data-testid={testId}>
      <h2>{title}</h2>
      {error && <ErrorNotice error={explainIndexer(error, 'Prices could not be loaded')} />}
      {data && (
        <>
          <dl className="facts">
            <dt>Floor</dt>
            <dd>{amount(data.floor)}</dd>
            <dt>Last sale</dt>
            <dd>{amount(data.lastSale)}</dd>
            <dt>Volume</dt>
            <dd>{formatMrc(data.volume)}</dd>
            <dt>VWAP</dt>
            <dd>{amount(data.vwap)}</dd>
          </dl>
          {data.explanation && <p data-testid="explanation">{data.explanation}</p>}
        </>
      )}
      {!data && !error && <p aria-busy="true">Loading…</p>}
    </div>
  )
}
