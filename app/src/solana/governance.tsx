import { useState, type FormEvent } from 'react'
import { formatUtc } from '../chain/format'
import { useChainData } from '../chain/useChainData'
import { ErrorNotice } from '../components/ErrorNotice'
import { TxProgress } from '../components/TxProgress'
import { explainIndexer } from '../indexer/client'
import type { ProposedChange } from '../relayer/types'
import { formatSolMrc, parseSolMrc, pubkeyFromInteger } from './format'
import { solanaIndexer, type SolanaProposal } from './indexer'
import { useSolanaAction } from './useSolanaAction'

/** The Solana economy parameters a proposal can change from the app, with their units and the program's bounds. */
const PARAMETERS = {
  market_fee_bps: { label: 'Market fee', unit: 'bps', hint: 'basis points: 100 = 1%; at most 1,000', min: 0, max: 1_000 },
  royalty_cap_bps: { label: 'Royalty cap', unit: 'bps', hint: 'basis points; at most 2,500', min: 0, max: 2_500 },
  min_bid_increment_bps: { label: 'Minimum bid increment', unit: 'bps', hint: 'basis points; 1 to 5,000', min: 1, max: 5_000 },
  anti_snipe_buffer: { label: 'Anti-snipe buffer', unit: 's', hint: 'seconds; at most 3,600', min: 0, max: 3_600 },
  // The caps of these two are in the economy config (the relayer checks them and says so).
  emission_rate: { label: 'Emission rate', unit: 'mrc', hint: 'MRC per second', min: 0, max: 0 },
  daily_reward_cap: { label: 'Daily reward cap', unit: 'mrc', hint: 'MRC per player per day', min: 0, max: 0 },
} as const
type Parameter = keyof typeof PARAMETERS

/** The change a person typed, or why it is not one (the program's bounds, which it checks only at execution). */
export function change(parameter: Parameter, text: string): ProposedChange | string {
  const p = PARAMETERS[parameter]
  if (p.unit === 'mrc') {
    const amount = parseSolMrc(text)
    return amount === null ? 'Enter an amount of MRC, like 0.5.' : { parameter: parameter as 'emission_rate' | 'daily_reward_cap', value: amount.toString() }
  }
  const clean = text.trim()
  if (!/^\d+$/.test(clean)) return 'Enter a whole number.'
  if (Number(clean) < p.min || Number(clean) > p.max) {
    return `The ${p.label.toLowerCase()} can be ${p.min.toLocaleString('en-US')} to ${p.max.toLocaleString('en-US')} ${p.unit === 's' ? 'seconds' : 'basis points'}.`
  }
  return parameter === 'anti_snipe_buffer'
    ? { parameter, value: Number(clean) }
    : { parameter: parameter as 'market_fee_bps' | 'royalty_cap_bps' | 'min_bid_increment_bps', value: Number(clean) }
}

function show(c: ProposedChange): string {
  const p = PARAMETERS[c.parameter]
  if (p.unit === 'mrc') return `${formatSolMrc(String(c.value))}${c.parameter === 'emission_rate' ? ' per second' : ''}`
  return p.unit === 'bps' ? `${Number(c.value) / 100}% (${c.value} bps)` : `${c.value} s`
}

/**
 * Proposes a change of one economy parameter on Solana (the relayer builds `propose` with the governance's next
 * proposal id, after checking the value's bounds: the program checks them only when the proposal is executed).
 * Needs the governance's proposal threshold deposited.
 */
export function SolanaProposeForm({ onProposed }: { onProposed: () => void }) {
  const { steps, busy, run } = useSolanaAction()
  const [parameter, setParameter] = useState<Parameter>('market_fee_bps')
  const [value, setValue] = useState('')
  const [invalid, setInvalid] = useState<string>()
  const p = PARAMETERS[parameter]
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const proposed = change(parameter, value)
    if (typeof proposed === 'string') return setInvalid(proposed)
    setInvalid(undefined)
    if (await run(`Propose: ${p.label.toLowerCase()} to ${show(proposed)}`, { type: 'propose', change: proposed })) {
      setValue('')
      onProposed()
    }
  }
  return (
    <details className="card list-form" data-testid="sol-propose">
      <summary>Propose a parameter change</summary>
      <form onSubmit={submit} aria-label="Propose a parameter change">
        <label>
          Parameter
          <select value={parameter} onChange={(e) => setParameter(e.target.value as Parameter)}>
            {Object.entries(PARAMETERS).map(([key, q]) => (
              <option key={key} value={key}>
                {q.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          New value ({p.hint})
          <input inputMode={p.unit === 'mrc' ? 'decimal' : 'numeric'} value={value} onChange={(e) => setValue(e.target.value)} aria-invalid={invalid !== undefined} />
        </label>
        {invalid && <p className="field-error">{invalid}</p>}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Proposing…' : 'Propose'}
        </button>
      </form>
      <TxProgress steps={steps} />
    </details>
  )
}

/**
 * Executes a proposal that passed once its hold-up is over (anyone may; the economy parameter changes in the same
 * transaction). Shown only then.
 */
export function SolanaExecute({ proposal, now }: { proposal: SolanaProposal; now: bigint }) {
  const { steps, busy, run } = useSolanaAction()
  const ready = proposal.state === 'succeeded' && (proposal.eta === null || now >= BigInt(proposal.eta))
  if (!ready && steps.length === 0) return null
  return (
    <div className="action">
      {ready && (
        <button type="button" className="primary" disabled={busy} onClick={() => void run('Execute', { type: 'execute', proposal_id: Number(proposal.proposal_id) })}>
          Execute
        </button>
      )}
      <TxProgress steps={steps} />
    </div>
  )
}

/** The program's names of the parameters (as in its `ParameterChanged` events, the EVM suite's names too). */
const EVENT_NAMES: Record<string, { label: string; unit: 'bps' | 's' | 'mrc' | 'address' }> = {
  marketFeeBps: { label: 'Market fee', unit: 'bps' },
  royaltyCapBps: { label: 'Royalty cap', unit: 'bps' },
  minBidIncrementBps: { label: 'Minimum bid increment', unit: 'bps' },
  antiSnipeBuffer: { label: 'Anti-snipe buffer', unit: 's' },
  minAuctionDuration: { label: 'Shortest auction', unit: 's' },
  maxAuctionDuration: { label: 'Longest auction', unit: 's' },
  emissionRate: { label: 'Emission rate', unit: 'mrc' },
  dailyRewardCap: { label: 'Daily reward cap', unit: 'mrc' },
  gameServer: { label: 'Game server', unit: 'address' },
  authority: { label: 'Economy authority', unit: 'address' },
}

/** A parameter history value in its unit (basis points, seconds, MRC, a key). */
export function showValue(name: string, value: string): string {
  switch (EVENT_NAMES[name]?.unit) {
    case 'bps':
      return `${Number(value) / 100}% (${value} bps)`
    case 's':
      return `${value} s`
    case 'mrc':
      return formatSolMrc(value)
    case 'address':
      return pubkeyFromInteger(value)
    default:
      return value
  }
}

/** Every change of a Solana economy parameter (the indexer's `/solana/v1/parameters/history`), newest first. */
export function SolanaParameterHistory() {
  const history = useChainData(() => solanaIndexer.parameterHistory(), [], 5_000)
  return (
    <div className="card" data-testid="sol-parameters">
      <h2>Economy parameter changes</h2>
      {history.error && <ErrorNotice error={explainIndexer(history.error, 'The parameter history could not be loaded')} />}
      {history.data && history.data.items.length === 0 && <p>No parameter has changed since the deployment.</p>}
      {history.data && history.data.items.length > 0 && (
        <ol className="bids" data-testid="parameter-history">
          {history.data.items.map((c) => (
            <li key={`${c.block_number}-${c.log_index}`} data-testid={`change-${c.name}`}>
              <strong>{EVENT_NAMES[c.name]?.label ?? c.name}</strong>: {showValue(c.name, c.old_value)} → {showValue(c.name, c.new_value)} ·{' '}
              {formatUtc(c.block_time)}
            </li>
          ))}
        </ol>
      )}
      {!history.data && !history.error && <p aria-busy="true">Loading…</p>}
    </div>
  )
}
