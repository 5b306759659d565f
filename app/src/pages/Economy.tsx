import { useId, useState } from 'react'
import { LineChart } from '../components/Chart'
import { ErrorNotice } from '../components/ErrorNotice'
import { useChainData } from '../chain/useChainData'
import { analytics as evmAnalytics, ECONOMY_METRICS, metricValue, type Analytics, type EconomyDay, type EconomyMetric } from '../indexer/analytics'
import { explainIndexer } from '../indexer/client'

const LABELS: Record<EconomyMetric, string> = {
  supply: 'Supply',
  minted: 'Minted that day',
  burned: 'Burned that day',
  fees: 'Market fees to the treasury that day',
  volume: 'Sale volume that day',
  inflation: 'Net inflation that day',
  gini: 'Gini coefficient of holdings',
  velocity: 'Velocity (volume / supply)',
  holders: 'Holders',
  activeHolders: 'Active holders that day',
}

const HINTS: Partial<Record<EconomyMetric, string>> = {
  inflation: '(minted − burned) / supply at the start of the day',
  gini: '0: everyone holds the same; 1: one address holds everything',
  holders: 'addresses with a positive balance',
  activeHolders: 'addresses that sent or received MRC',
}

/** Decimals on a chart's price scale (amounts are MRC). */
const PRECISION: Record<EconomyMetric, number> = {
  supply: 2,
  minted: 2,
  burned: 2,
  fees: 2,
  volume: 2,
  inflation: 6,
  gini: 4,
  velocity: 8,
  holders: 0,
  activeHolders: 0,
}

/** A metric's value in words: amounts exact (bigint), ratios as percent or to six places, counts as integers. */
function valueText(day: EconomyDay, metric: EconomyMetric, format: (amount: bigint) => string): string {
  const v = day[metric]
  if (typeof v === 'bigint') return format(v)
  if (v === null) return '—'
  if (metric === 'inflation') return `${(v * 100).toLocaleString('en-US', { maximumFractionDigits: 4 })}%`
  if (metric === 'gini' || metric === 'velocity') return v.toLocaleString('en-US', { maximumSignificantDigits: 6 })
  return v.toLocaleString('en-US')
}

/** The economy's daily metrics from the indexer, one chart each; `analytics` picks the chain (EVM by default). */
export function Economy({ analytics = evmAnalytics }: { analytics?: Analytics }) {
  const [includeWash, setIncludeWash] = useState(false)
  const days = useChainData(() => analytics.economy(includeWash), [analytics, includeWash], 30_000)
  const { decimals, format, name } = analytics.chain
  const washId = useId()
  const last = days.data?.at(-1)
  return (
    <section className="page" aria-labelledby="economy-title">
      <h1 id="economy-title">Economy{name === 'solana' ? ' on Solana' : ''}</h1>
      <p className="hint">
        Daily figures of the MRC economy{name === 'solana' ? ' on Solana (the MRC mint, 9 decimals)' : ''} (UTC days of the chain's clock), computed by the indexer from every transfer, mint, burn and sale.
        {last && (
          <>
            {' '}
            Latest day: <strong data-testid="economy-day" className="nowrap">{last.day}</strong>.
          </>
        )}
      </p>
      <div className="filters">
        <label htmlFor={washId} className="check">
          <input id={washId} type="checkbox" checked={includeWash} onChange={(e) => setIncludeWash(e.target.checked)} /> Count wash trades in volume and
          velocity
        </label>
      </div>
      {days.error && <ErrorNotice error={explainIndexer(days.error, 'The economy metrics could not be loaded')} testId="economy-error" />}
      {days.data && days.data.length === 0 && <p data-testid="economy-empty">No days recorded yet.</p>}
      {days.data && last && (
        <div className="metrics">
          {ECONOMY_METRICS.map((m) => {
            const points = days.data!.flatMap((d) => {
              const value = metricValue(d, m, decimals)
              return value === null ? [] : [{ time: d.time, value }]
            })
            return (
              <div className="card" key={m} data-testid={`metric-${m}`}>
                <h2>{LABELS[m]}</h2>
                <p className="big" data-testid={`metric-${m}-value`}>
                  {valueText(last, m, format)}
                </p>
                {HINTS[m] && <p className="hint">{HINTS[m]}</p>}
                {points.length > 0 ? (
                  <LineChart data={points} label={`${LABELS[m]}, per day`} precision={PRECISION[m]} />
                ) : (
                  <p className="hint">No value on any day yet{m === 'inflation' ? ' (there was no supply before the first day)' : ''}.</p>
                )}
              </div>
            )
          })}
        </div>
      )}
      {!days.data && !days.error && <p aria-busy="true">Loading…</p>}
    </section>
  )
}
