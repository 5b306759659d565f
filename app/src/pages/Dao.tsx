import { encodeFunctionData } from 'viem'
import { GasChoice } from '../components/GasChoice'
import { ErrorNotice } from '../components/ErrorNotice'
import { TxProgress } from '../components/TxProgress'
import { formatMrc, formatUtc, relativeTime, shortAddress } from '../chain/format'
import { readGovernance, type Proposal } from '../chain/reads'
import { useChainClock } from '../chain/useChainClock'
import { useChainData } from '../chain/useChainData'
import { governorAbi } from '../generated/abis'
import { explain } from '../gasless/explain'
import { useGasless } from '../gasless/useGasless'
import { actorAddress } from '../session/actor'
import { useApp } from '../session/AppContext'
import { DelegateForm, Lifecycle, ParameterPanel, ProposeForm } from '../components/Governance'

export function Dao() {
  const { client, deployment, actor } = useApp()
  const account = actor ? actorAddress(actor) : undefined
  const governance = useChainData(() => readGovernance(client, deployment.evm, account), [account], 5_000)
  const now = useChainClock(governance.data?.now)

  return (
    <section className="page" aria-labelledby="dao-title">
      <div className="page-head">
        <h1 id="dao-title">DAO</h1>
        <button type="button" onClick={governance.reload} disabled={governance.loading}>
          {governance.loading ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <p className="hint">
        MRC holders decide the economy&apos;s parameters. Your voting power is the MRC you hold (or that is delegated to
        you) when a proposal opens. Voting costs you no gas (wallet users may pay it themselves).
      </p>
      <GasChoice />
      <div className="columns">
        <ParameterPanel />
        <DelegateForm />
      </div>
      <ProposeForm />
      {governance.error && <ErrorNotice error={explain(governance.error)} />}
      {governance.data && governance.data.proposals.length === 0 && <p>No proposals yet.</p>}
      {governance.data && now !== undefined && (
        <ul className="proposals">
          {governance.data.proposals.map((p) => (
            <ProposalCard key={p.id.toString()} proposal={p} now={now} />
          ))}
        </ul>
      )}
      {!governance.data && !governance.error && <p aria-busy="true">Loading proposals…</p>}
    </section>
  )
}

function Tally({ label, value, total }: { label: string; value: bigint; total: bigint }) {
  const percent = total === 0n ? 0 : Number((value * 1000n) / total) / 10
  return (
    <div className="tally">
      <span className="tally-label">{label}</span>
      <meter min={0} max={100} value={percent} aria-label={`${label}: ${percent}%`} />
      <span data-testid={`tally-${label.toLowerCase()}`}>{formatMrc(value)}</span>
    </div>
  )
}

function ProposalCard({ proposal: p, now }: { proposal: Proposal; now: bigint }) {
  const total = p.for + p.against + p.abstain
  const [title, ...rest] = p.description.split('\n')
  const testId = `proposal-${p.id.toString().slice(0, 12)}`
  return (
    <li className="card proposal" data-testid={testId} data-proposal-id={p.id.toString()}>
      <h2>
        {title || 'Untitled proposal'}{' '}
        <span className={`tag state-${p.state.toLowerCase()}`} data-testid="proposal-state">
          {p.state}
        </span>
      </h2>
      {rest.length > 0 && <p className="hint">{rest.join(' ')}</p>}
      <dl className="facts">
        <dt>Proposed by</dt>
        <dd>{shortAddress(p.proposer)}</dd>
        <dt>{p.state === 'Pending' ? 'Voting opens' : 'Voting opened'}</dt>
        <dd>
          {formatUtc(p.snapshot)} ({relativeTime(p.snapshot, now)})
        </dd>
        <dt>{now < p.deadline ? 'Voting closes' : 'Voting closed'}</dt>
        <dd>
          {formatUtc(p.deadline)} ({relativeTime(p.deadline, now)})
        </dd>
        <dt>Turnout</dt>
        <dd>
          {formatMrc(total)}
          {p.quorum > 0n && ` of ${formatMrc(p.quorum)} needed for quorum`}
        </dd>
      </dl>
      <Tally label="For" value={p.for} total={total} />
      <Tally label="Against" value={p.against} total={total} />
      <Tally label="Abstain" value={p.abstain} total={total} />
      <VoteAction proposal={p} />
      <Lifecycle proposal={p} />
    </li>
  )
}

const CHOICES = [
  { support: 1, label: 'For' },
  { support: 0, label: 'Against' },
  { support: 2, label: 'Abstain' },
] as const

function VoteAction({ proposal }: { proposal: Proposal }) {
  const { actor, deployment } = useApp()
  const { steps, busy, start } = useGasless()
  if (proposal.state !== 'Active') return null
  if (!actor) {
    return (
      <p className="notice">
        <a href="#/signin">Sign in</a> to vote.
      </p>
    )
  }
  const vote = (support: number, label: string) =>
    start(async (run) => {
      await run(`Vote ${label}`, {
        to: deployment.evm.contracts.governor,
        data: encodeFunctionData({ abi: governorAbi, functionName: 'castVote', args: [proposal.id, support] }),
      })
    })
  return (
    <div className="action">
      {proposal.hasVoted ? (
        <p className="notice" data-testid="voted">
          You have voted on this proposal.
        </p>
      ) : (
        <div className="inline" role="group" aria-label="Your vote">
          {CHOICES.map((choice) => (
            <button
              key={choice.support}
              type="button"
              className={choice.support === 1 ? 'primary' : undefined}
              onClick={() => void vote(choice.support, choice.label)}
              disabled={busy}
            >
              Vote {choice.label}
            </button>
          ))}
        </div>
      )}
      <TxProgress steps={steps} />
    </div>
  )
}
