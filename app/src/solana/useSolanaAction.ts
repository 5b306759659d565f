import { useCallback, useRef, useState } from 'react'
import type { Step } from '../gasless/useGasless'
import { RelayerError } from '../relayer/errors'
import type { RequestView, SolanaAction } from '../relayer/types'
import { useApp } from '../session/AppContext'
import { useGasPayer } from '../session/gasChoice'
import { explainSolana, explainSolanaFailure } from './errors'
import { sendSolana } from './send'
import { useSolana } from './SolanaContext'

/**
 * Runs one Solana action (gasless, or paid by a wallet user who chose to pay the fee) with its progress as a `Step` (shown by `TxProgress`, like the EVM steps). A refused
 * or failed action is shown with its reason; `run` resolves whether it was confirmed.
 */
export function useSolanaAction() {
  const { chainChanged, signOut } = useApp()
  const { actor } = useSolana()
  const [payer] = useGasPayer('solana')
  const [steps, setSteps] = useState<Step[]>([])
  const [busy, setBusy] = useState(false)
  const stepRef = useRef<Step>({ label: '' })

  const run = useCallback(
    async (label: string, action: SolanaAction): Promise<RequestView | null> => {
      if (!actor) return null
      const update = (patch: Partial<Step>) => {
        stepRef.current = { ...stepRef.current, ...patch }
        setSteps([stepRef.current])
      }
      stepRef.current = { label }
      setSteps([stepRef.current])
      setBusy(true)
      try {
        const result = await sendSolana(actor, action, (progress) => update({ progress }), payer)
        update({ result })
        if (result.status === 'failed') {
          update({ error: { title: explainSolanaFailure(result.error), reason: 'failed', detail: result.error ?? undefined } })
          return null
        }
        return result
      } catch (error) {
        update({ error: explainSolana(error) })
        if (error instanceof RelayerError && error.status === 401 && actor.kind === 'custodial') void signOut()
        return null
      } finally {
        setBusy(false)
        chainChanged()
      }
    },
    [actor, chainChanged, payer, signOut],
  )

  return { steps, busy, run }
}
