import { useState, type FormEvent } from 'react'
import { TxProgress } from '../components/TxProgress'
import type { ProposedChange } from '../relayer/types'
import { formatSolMrc, parseSolMrc } from './format'
import type { SolanaProposal } from './indexer'
import { useSolanaAction } from './useSolanaAction'

/** The Solana economy parameters a proposal can change from the app, with their units and the program's bounds. */
const PARAMETERS = {
  market_fee_bps: { label: 'Market fee', unit: 'bps', hint: 'basis points: 100 = 1%; at most 1,000' },
  royalty_cap_bps: { label: 'Royalty cap', unit: 'bps', hint: 'basis points; at most 2,500' },
  min_bid_increment_bps: { label: 'Minimum bid increment', unit: 'bps', hint: 'basis points; 1 to 5,000' },
  anti_snipe_buffer: { label: 'Anti-snipe buffer', unit: 's', hint: 'seconds; at most 3,600' },
  emission_rate: { label: 'Emission rate', unit: 'mrc', hint: 'MRC per second' },
  daily_reward_cap: { label: 'Daily reward cap', unit: 'mrc', hint: 'MRC per player per day' },
} as const
type Parameter = keyof typeof PARAMETERS

/** The change a person typed, or why it is not one. */
function change(parameter: Parameter, text: string): ProposedChange | string {
  const p = PARAMETERS[parameter]
  if (p.unit === 'mrc') {
    const amount = parseSolMrc(text)
    return amount === null ? 'Enter an amount of MRC, like 0.5.' : { parameter: parameter as 'emission_rate' | 'daily_reward_cap', value: amount.toString() }
  }
  const clean = text.trim()
  const limit = p.unit === 'bps' ? 65_535 : 4_294_967_295
  if (!/^\d+$/.test(clean) || Number(clean) > limit) return 'Enter a whole number.'
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
 * proposal id). Needs the governance's proposal threshold deposited; the program checks the value's bounds.
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
