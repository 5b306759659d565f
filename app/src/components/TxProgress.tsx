import type { Step } from '../gasless/useGasless'
import { ErrorNotice } from './ErrorNotice'

const STAGES = ['queued', 'submitted', 'confirmed'] as const
/** A wallet user paying the gas: the wallet signs and sends; there is no relayer queue. */
const DIRECT_STAGES = ['signed', 'submitted', 'confirmed'] as const

/** In words, where a step is. */
function describe(step: Step): string {
  if (step.error) return 'Failed'
  const p = step.progress
  if (!p) return 'Preparing'
  if (p.stage === 'signing') {
    return p.direct ? 'Waiting for you to approve the transaction in your wallet (you pay the gas)' : 'Waiting for your signature in your wallet'
  }
  if (p.stage === 'sending') return 'Sending to the relayer'
  switch (p.view.status) {
    case 'queued':
      return 'Accepted by the relayer, waiting to be sent (you pay no gas)'
    case 'submitted':
      return p.direct ? 'Signed and sent by your wallet, waiting for confirmation' : 'Sent to the chain, waiting for confirmation'
    case 'confirmed':
      return p.view.block !== null ? `Confirmed in ${p.view.chain === 'solana' ? 'slot' : 'block'} ${p.view.block}` : 'Confirmed'
    case 'failed':
      return 'Failed'
  }
}

/** The progress of an action's gasless steps: queued → submitted → confirmed / failed, live from the relayer. */
export function TxProgress({ steps }: { steps: Step[] }) {
  if (steps.length === 0) return null
  return (
    <ol className="tx-progress" aria-label="Progress" data-testid="tx-progress">
      {steps.map((step, i) => {
        const status = step.error ? 'failed' : step.progress?.stage === 'tracking' ? step.progress.view.status : 'pending'
        const direct = step.progress?.stage !== 'sending' && step.progress?.direct === true
        // Direct: "signed" is reached with the transaction's hash (submitted), so both light up together.
        const reached = STAGES.indexOf(status as (typeof STAGES)[number])
        const stages = direct ? DIRECT_STAGES : STAGES
        const view = step.progress?.stage === 'tracking' ? step.progress.view : undefined
        return (
          <li key={i} className={`tx-step tx-${status}`} data-testid="tx-step" data-status={status} data-paid-by={direct ? 'you' : 'relayer'}>
            <div className="tx-label">{step.label}</div>
            <div className="tx-stages" aria-hidden="true">
              {stages.map((stage, j) => (
                <span key={stage} className={j <= reached ? 'tx-stage done' : 'tx-stage'}>
                  {stage}
                </span>
              ))}
            </div>
            <p className="tx-status" role="status" aria-live="polite">
              {describe(step)}
              {view?.tx_hash && (
                <>
                  {' '}
                  · tx <code title={view.tx_hash}>{view.tx_hash.slice(0, 10)}…</code>
                </>
              )}
            </p>
            {step.error && <ErrorNotice error={step.error} />}
          </li>
        )
      })}
    </ol>
  )
}
