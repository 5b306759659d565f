import { LineChart } from '../components/Chart'
import { ErrorNotice } from '../components/ErrorNotice'
import { useChainData } from '../chain/useChainData'
import { analytics, ECONOMY_METRICS, type EconomyMetric } from '../indexer/analytics'
import { explainIndexer } from '../indexer/client'

const LABELS: Record<EconomyMetric, string> = {
  supply: 'Supply (MRC)',
  minted: 'Minted per day (MRC)',
  burned: 'Burned per day (MRC)',
  fees: 'Market fees per day (MRC)',
  inflation: 'Inflation',
  gini: 'Gini coefficient of holdings',
  velocity: 'Velocity',
  active_holders: 'Active holders',
}

/** The economy's daily metrics from the indexer, one chart each. */
export function Economy() {
  const days = useChainData(() => analytics.economy(), [], 30_000)
  return (
    <section className="page" aria-labelledby="economy-title">
      <h1 id="economy-title">Economy</h1>
      <p className="hint">Daily figures of the MRC economy, computed by the indexer from every transfer, mint, burn and sale.</p>
      {days.error && <ErrorNotice error={explainIndexer(days.error, 'The economy metrics could not be loaded')} testId="economy-error" />}
      {days.data && days.data.length === 0 && <p data-testid="economy-empty">No days recorded yet.</p>}
      {days.data && days.data.length > 0 && (
        <div className="columns">
          {ECONOMY_METRICS.map((m) => {
            const points = days.data!.filter((d) => d.values[m] !== null).map((d) => ({ time: d.time, value: d.values[m]! }))
            const last = points.at(-1)
            return (
              <div className="card" key={m} data-testid={`metric-${m}`}>
                <h2>{LABELS[m]}</h2>
                <p className="big">{last ? last.value.toLocaleString('en-US') : '—'}</p>
                {points.length > 0 && <LineChart data={points} label={`${LABELS[m]} per day`} />}
              </div>
            )
          })}
        </div>
      )}
      {!days.data && !days.error && <p aria-busy="true">Loading…</p>}
    </section>
  )
}
