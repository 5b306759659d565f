// The DAO page's actions beyond voting: parameters now and their history, delegation, a parameter-change proposal,
// queueing and executing a proposal that passed. Every call is gasless, like the votes.
import { useState, type FormEvent } from 'react'
import { encodeFunctionData, isAddress, keccak256, toBytes, type Address } from 'viem'
import { formatMrc, formatUtc, shortAddress } from '../chain/format'
import { readAccount, type Proposal } from '../chain/reads'
import { useChainData } from '../chain/useChainData'
import { economyConfigAbi, governorAbi, tokenAbi } from '../generated/abis'
import { explain } from '../gasless/explain'
import { useGasless } from '../gasless/useGasless'
import { explainIndexer, indexer } from '../indexer/client'
import { actorAddress } from '../session/actor'
import { useApp } from '../session/AppContext'
import { ErrorNotice } from './ErrorNotice'
import { TxProgress } from './TxProgress'

/** Parameters a proposal can change from here: setter, unit, and how the chain names it in ParameterChanged. */
const PARAMETERS = {
  marketFeeBps: { label: 'Market fee', setter: 'setMarketFeeBps', unit: 'bps' },
  royaltyCapBps: { label: 'Royalty cap', setter: 'setRoyaltyCapBps', unit: 'bps' },
  minBidIncrementBps: { label: 'Minimum bid increment', setter: 'setMinBidIncrementBps', unit: 'bps' },
  antiSnipeBuffer: { label: 'Anti-snipe buffer', setter: 'setAntiSnipeBuffer', unit: 's' },
} as const
type Parameter = keyof typeof PARAMETERS

const show = (name: string, value: string | number | bigint) => {
  const p = PARAMETERS[name as Parameter]
  if (name === 'treasury' || name === 'emissionRecipient') return shortAddress(`0x${BigInt(value).toString(16).padStart(40, '0')}`)
  if (name === 'emissionRate') return `${formatMrc(BigInt(value))} per second`
  if (!p) return String(value)
  return p.unit === 'bps' ? `${Number(value) / 100}% (${value} bps)` : `${value} s`
}

/** The market parameters in force (chain) and every change of every parameter (indexer). */
export function ParameterPanel() {
  const { client, deployment } = useApp()
  const params = useChainData(
    () => client.readContract({ address: deployment.evm.contracts.economyConfig, abi: economyConfigAbi, functionName: 'marketParams' }),
    [],
    5_000,
  )
  const history = useChainData(() => indexer.parameterHistory(), [], 5_000)
  return (
    <div className="card" data-testid="parameters">
      <h2>Economy parameters</h2>
      {params.error && <ErrorNotice error={explain(params.error)} />}
      {params.data && (
        <dl className="facts">
          <dt>Market fee</dt>
          <dd data-testid="market-fee">{show('marketFeeBps', params.data.marketFeeBps)}</dd>
          <dt>Royalty cap</dt>
          <dd>{show('royaltyCapBps', params.data.royaltyCapBps)}</dd>
          <dt>Minimum bid increment</dt>
          <dd>{show('minBidIncrementBps', params.data.minBidIncrementBps)}</dd>
          <dt>Anti-snipe buffer</dt>
          <dd>{show('antiSnipeBuffer', params.data.antiSnipeBuffer)}</dd>
        </dl>
      )}
      <h3>History</h3>
      {history.error && <ErrorNotice error={explainIndexer(history.error, 'The parameter history could not be loaded')} />}
      {history.data && history.data.items.length === 0 && <p>No parameter has changed since the deployment.</p>}
      {history.data && history.data.items.length > 0 && (
        <ol className="bids" data-testid="parameter-history">
          {history.data.items.map((c) => (
            <li key={`${c.block_number}-${c.log_index}`} data-testid={`change-${c.name}`}>
              <strong>{PARAMETERS[c.name as Parameter]?.label ?? c.name}</strong>: {show(c.name, c.old_value)} → {show(c.name, c.new_value)} ·{' '}
              {formatUtc(c.block_time)}
            </li>
          ))}
        </ol>
      )}
    </div>
  )
}

/** Voting power follows delegation: to yourself (the default) or to someone you trust. */
export function DelegateForm() {
  const { actor, client, deployment } = useApp()
  const { steps, busy, start } = useGasless()
  const me = actor ? actorAddress(actor) : undefined
  const account = useChainData(() => (me ? readAccount(client, deployment.evm, me) : Promise.resolve(undefined)), [me])
  const [to, setTo] = useState('')
  const [invalid, setInvalid] = useState(false)
  if (!actor || !me) return null
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const target = to.trim() === '' ? me : to.trim()
    setInvalid(!isAddress(target))
    if (!isAddress(target)) return
    await start(async (run) => {
      await run(`Delegate your votes to ${target.toLowerCase() === me.toLowerCase() ? 'yourself' : shortAddress(target)}`, {
        to: deployment.evm.contracts.token,
        data: encodeFunctionData({ abi: tokenAbi, functionName: 'delegate', args: [target as Address] }),
      })
    })
  }
  const current = account.data?.delegate
  return (
    <div className="card" data-testid="delegate">
      <h2>Your votes</h2>
      {account.data && (
        <p>
          Voting power <strong data-testid="dao-voting-power">{formatMrc(account.data.votes)}</strong>; your MRC votes through{' '}
          <strong data-testid="delegate-now">
            {!current || /^0x0+$/.test(current) ? 'nobody (delegate to vote)' : current.toLowerCase() === me.toLowerCase() ? 'yourself' : shortAddress(current)}
          </strong>
          .
        </p>
      )}
      <form onSubmit={submit}>
        <label>
          Delegate to (empty: yourself)
          <input value={to} onChange={(e) => setTo(e.target.value)} placeholder="0x…" spellCheck={false} aria-invalid={invalid} />
        </label>
        {invalid && <p className="field-error">Enter an address (0x followed by 40 hex digits), or nothing for yourself.</p>}
        <button type="submit" disabled={busy}>
          {busy ? 'Delegating…' : 'Delegate'}
        </button>
      </form>
      <TxProgress steps={steps} />
    </div>
  )
}

/** A proposal to change one economy parameter (the timelock executes it if the vote passes). */
export function ProposeForm() {
  const { actor, deployment } = useApp()
  const { steps, busy, start } = useGasless()
  const [name, setName] = useState<Parameter>('marketFeeBps')
  const [value, setValue] = useState('')
  const [why, setWhy] = useState('')
  const [invalid, setInvalid] = useState(false)
  if (!actor) return null
  const p = PARAMETERS[name]
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const ok = /^\d+$/.test(value.trim())
    setInvalid(!ok)
    if (!ok) return
    const n = Number(value.trim())
    const { economyConfig, governor } = deployment.evm.contracts
    const call = encodeFunctionData({ abi: economyConfigAbi, functionName: p.setter, args: [n] })
    const description = `Set the ${p.label.toLowerCase()} to ${show(name, n)}${why.trim() ? `\n${why.trim()}` : ''}`
    await start(async (run) => {
      await run(`Propose: ${p.label.toLowerCase()} to ${show(name, n)}`, {
        to: governor,
        data: encodeFunctionData({ abi: governorAbi, functionName: 'propose', args: [[economyConfig], [0n], [call], description] }),
      })
    })
  }
  return (
    <details className="card list-form" data-testid="propose">
      <summary>Propose a parameter change</summary>
      <form onSubmit={submit}>
        <label>
          Parameter
          <select value={name} onChange={(e) => setName(e.target.value as Parameter)}>
            {Object.entries(PARAMETERS).map(([key, q]) => (
              <option key={key} value={key}>
                {q.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          New value ({p.unit === 'bps' ? 'basis points: 100 = 1%' : 'seconds'})
          <input inputMode="numeric" value={value} onChange={(e) => setValue(e.target.value)} aria-invalid={invalid} />
        </label>
        {invalid && <p className="field-error">Enter a whole number.</p>}
        <label>
          Why (optional)
          <input value={why} onChange={(e) => setWhy(e.target.value)} />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Proposing…' : 'Propose'}
        </button>
      </form>
      <TxProgress steps={steps} />
    </details>
  )
}

/** Queue a proposal that passed (the timelock's delay starts), then execute it once the delay is over. */
export function Lifecycle({ proposal }: { proposal: Proposal }) {
  const { actor, deployment } = useApp()
  const { steps, busy, start } = useGasless()
  if (!actor || (proposal.state !== 'Succeeded' && proposal.state !== 'Queued' && steps.length === 0)) return null
  const { targets, values, calldatas } = proposal.actions
  const hash = keccak256(toBytes(proposal.description))
  const act = (fn: 'queue' | 'execute') =>
    start(async (run) => {
      await run(fn === 'queue' ? 'Queue in the timelock' : 'Execute', {
        to: deployment.evm.contracts.governor,
        data: encodeFunctionData({ abi: governorAbi, functionName: fn, args: [targets, values, calldatas, hash] }),
      })
    })
  return (
    <div className="action">
      {proposal.state === 'Succeeded' && (
        <button type="button" className="primary" onClick={() => void act('queue')} disabled={busy}>
          Queue
        </button>
      )}
      {proposal.state === 'Queued' && (
        <button type="button" className="primary" onClick={() => void act('execute')} disabled={busy}>
          Execute
        </button>
      )}
      <TxProgress steps={steps} />
    </div>
  )
}
